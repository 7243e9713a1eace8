import type { RequestContext } from '../../context';
import type { Queryable } from '../../db/sql';
import { one, rows } from '../../db/sql';
import { requireVisibleOrganisation } from '../organisation/organisation.service';
import { optionalText } from '../validation';
import { ChainHead, HashedEntry, Verification, verifyChain } from './audit-chain';
import { AUDIT_TIME_SQL } from './audit-append';

const BATCH = 1000;

/**
 * The entries of one chain in chain order (seq, then created_at and id, so a position held twice
 * after tampering comes out twice), read in keyset batches: memory stays at one batch however
 * long the chain is.
 */
export async function* chainEntries(db: Queryable, chainId: string): AsyncGenerator<HashedEntry> {
  let after: [string, string, string] = ['-1', '-infinity', '00000000-0000-0000-0000-000000000000'];
  for (;;) {
    const batch = await rows<HashedEntry & { seq: string | number }>(db,
      `SELECT a.id::text AS id, a.chain_id::text AS chain, a.seq::text AS seq, a.organisation_id::text AS "organisationId",
              a.actor_id::text AS "actorId", a.action, a.object_type AS "objectType", a.object_id AS "objectId",
              a.case_id::text AS "caseId", a.via_portal AS "viaPortal", a.details, ${AUDIT_TIME_SQL('a.created_at')} AS "createdAt",
              a.previous_hash AS "previousHash", a.hash
         FROM audit a
        WHERE a.chain_id = $1 AND (a.seq, a.created_at, a.id) > ($2::bigint, $3::timestamptz, $4::uuid)
        ORDER BY a.seq, a.created_at, a.id LIMIT ${BATCH}`, [chainId, ...after]);
    for (const e of batch) yield { ...e, seq: Number(e.seq) };
    if (batch.length < BATCH) return;
    const last = batch[batch.length - 1];
    after = [String(last.seq), last.createdAt, last.id];
  }
}

/** The organisation named by an administrator (R6: manageConfig in admin sees every organisation). */
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
    if (e.seq > head.seq && (await chainHead(db, chainId)).seq >= e.seq) return;
    yield e;
  }
}

/** verifyAudit (R41): recomputes the organisation's chain up to its current head. */
export async function verifyAudit(ctx: RequestContext, organisation: string): Promise<Verification> {
  const { id } = await chainOf(ctx, organisation);
  const head = await chainHead(ctx.db, id);
  return verifyChain(chainUpToHead(ctx.db, id, head), head);
}
