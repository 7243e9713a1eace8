import type { RequestContext } from '../../context';
import type { Queryable } from '../../db/sql';
import { one, rows } from '../../db/sql';
import { requireVisibleOrganisation } from '../organisation/organisation.shared';
import { optionalText } from '../validation';
import { ChainHead, HashedEntry, Verification, verifyChain } from '../audit-trail/audit-chain';
import { AUDIT_TIME_SQL } from '../audit-trail/audit-append';

const BATCH = 1000;

const ENTRY_COLUMNS = `a.id::text AS id, a.chain_id::text AS chain, a.organisation_id::text AS "organisationId",
  a.actor_id::text AS "actorId", a.action, a.object_type AS "objectType", a.object_id AS "objectId", a.case_id::text AS "caseId",
  a.via_portal AS "viaPortal", a.details, ${AUDIT_TIME_SQL('a.created_at')} AS "createdAt"`;

type EntryRow = HashedEntry & { seq: string | number | null; linkId: string; missing: boolean };

/**
 * The entries of one chain in chain order, read in keyset batches through the (chain_id, seq)
 * index: memory stays at one batch however long the chain is. A link whose entry was deleted is
 * skipped (the verifier sees the gap); a position held twice (after tampering with the index)
 * comes out twice. Then the entries of the chain that have no link at all (written around the
 * sealing trigger), which the verifier reports as inserted.
 */
export async function* chainEntries(db: Queryable, chainId: string): AsyncGenerator<HashedEntry> {
  let after: [string, string] = ['-1', '00000000-0000-0000-0000-000000000000'];
  for (;;) {
    const batch = await rows<EntryRow>(
      db,
      `SELECT ${ENTRY_COLUMNS}, l.audit_id::text AS "linkId", l.seq::text AS seq, l.previous_hash AS "previousHash", l.hash, a.id IS NULL AS missing
         FROM audit_link l LEFT JOIN audit a ON a.id = l.audit_id
        WHERE l.chain_id = $1 AND (l.seq, l.audit_id) > ($2::bigint, $3::uuid)
        ORDER BY l.seq, l.audit_id LIMIT ${BATCH}`,
      [chainId, ...after],
    );
    for (const { linkId: _l, missing, ...e } of batch) if (!missing) yield { ...e, chain: chainId, seq: Number(e.seq) };
    if (batch.length < BATCH) break;
    const last = batch[batch.length - 1];
    after = [String(last.seq), last.linkId];
  }
  const unlinked = await rows<HashedEntry>(
    db,
    `SELECT ${ENTRY_COLUMNS}, NULL::bigint AS seq, NULL::text AS "previousHash", NULL::text AS hash FROM audit a
      WHERE a.chain_id = $1 AND NOT EXISTS (SELECT 1 FROM audit_link l WHERE l.audit_id = a.id) ORDER BY a.created_at, a.id LIMIT ${BATCH}`,
    [chainId],
  );
  yield* unlinked;
}

/** The organisation named by an administrator (R6: the field's rule in admin reaches every organisation). */
export async function chainOf(ctx: RequestContext, name: string): Promise<{ id: string; name: string }> {
  const org = await requireVisibleOrganisation(ctx, optionalText(name, 'organisation', 64));
  return { id: org.id, name: org.name };
}

export async function chainHead(db: Queryable, chainId: string): Promise<ChainHead> {
  const head = await one<{ seq: string; hash: string | null }>(db, `SELECT seq::text AS seq, hash FROM audit_chain_head WHERE organisation_id = $1`, [chainId]);
  return { seq: Number(head?.seq ?? 0), hash: head?.hash ?? null };
}

/**
 * The chain read against a head read before it. An entry past that head is either appended since
 * (the head has moved over it: reading stops there, a later read has it) or one the head never
 * recorded (kept: verifyChain reports it as inserted).
 */
export async function* chainUpToHead(db: Queryable, chainId: string, head: ChainHead): AsyncGenerator<HashedEntry> {
  for await (const e of chainEntries(db, chainId)) {
    if (e.seq !== null && e.seq > head.seq && (await chainHead(db, chainId)).seq >= e.seq) return;
    yield e;
  }
}

/** verifyAudit (R41): recomputes the organisation's chain up to its current head. */
export async function verifyAudit(ctx: RequestContext, organisation: string): Promise<Verification> {
  const { id } = await chainOf(ctx, organisation);
  const head = await chainHead(ctx.db, id);
  return verifyChain(chainUpToHead(ctx.db, id, head), head);
}
