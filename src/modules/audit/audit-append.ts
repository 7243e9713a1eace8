import type { DataSource, EntityManager } from 'typeorm';
import { ADMIN_ORGANISATION } from '../../authz/permissions';
import { ChainEntry, entryHash } from './audit-chain';

/** An entry as recorded, before it has a chain position, a time and hashes. */
export interface PendingEntry {
  id: string;
  actorId: string | null;
  organisationId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  caseId: string | null;
  details: unknown;
  viaPortal: boolean;
}

/**
 * A timestamptz as the chain hashes it: ISO-8601 UTC with microseconds. The same expression
 * formats the time at append and when entries are read back for verifyAudit and the export, so
 * the hashed text is the stored value exactly (a JavaScript Date would drop the microseconds).
 */
export const AUDIT_TIME_SQL = (expr: string) => `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** admin's id never changes (R1, R2: never renamed or deleted): looked up once per database. */
const adminIds = new WeakMap<DataSource, string>();

async function adminOrganisationId(tx: EntityManager): Promise<string> {
  const known = adminIds.get(tx.connection);
  if (known) return known;
  const [row] = await tx.query(`SELECT id FROM organisation WHERE name = $1`, [ADMIN_ORGANISATION]);
  if (!row) throw new Error('the admin organisation does not exist yet');
  adminIds.set(tx.connection, row.id);
  return row.id;
}

/**
 * Appends entries to their organisations' chains (R41) in the caller's transaction; entries of no
 * organisation (attempts with an unknown login) go to admin's chain, the only organisation that
 * sees them. Per chain, two statements: the first locks the chain's head row (created on the
 * first append) and returns its position, its hash and the time; the second inserts the entries
 * with their hashes and moves the head. The lock is held until the transaction ends, so
 * concurrent appends to one chain queue and never fork; chains are locked in id order, so two
 * transactions that append to the same chains cannot deadlock on them.
 */
export async function appendAudit(tx: EntityManager, entries: PendingEntry[]): Promise<void> {
  const byChain = new Map<string, PendingEntry[]>();
  for (const e of entries) {
    const chain = e.organisationId ?? (await adminOrganisationId(tx));
    byChain.set(chain, [...(byChain.get(chain) ?? []), e]);
  }
  for (const chain of [...byChain.keys()].sort()) {
    const list = byChain.get(chain)!;
    // A no-op update takes the row lock; after waiting for another append it returns the head that append committed.
    // Entries of one transaction get strictly increasing times (+1 µs each), so lists keep their order.
    const [head] = await tx.query(
      `INSERT INTO audit_chain_head AS h (organisation_id) VALUES ($1) ON CONFLICT (organisation_id) DO UPDATE SET seq = h.seq
       RETURNING h.seq::text AS seq, h.hash,
         ARRAY(SELECT ${AUDIT_TIME_SQL(`clock_timestamp() + g * interval '1 microsecond'`)} FROM generate_series(0, $2::int - 1) g) AS times`,
      [chain, list.length]);
    let seq = Number(head.seq);
    let previousHash: string | null = head.hash;
    const params: unknown[] = [];
    const values: string[] = [];
    list.forEach((e, i) => {
      const entry: ChainEntry = { ...e, chain, seq: ++seq, createdAt: head.times[i], previousHash };
      const hash = entryHash(entry);
      const n = params.push(entry.id, chain, entry.seq, previousHash, hash, e.actorId, e.organisationId, e.action, e.objectType,
        e.objectId, e.caseId, JSON.stringify(e.details), e.viaPortal, entry.createdAt);
      values.push(`(${Array.from({ length: 14 }, (_, k) => `$${n - 13 + k}`).join(', ')}::timestamptz)`);
      previousHash = hash;
    });
    const at = params.length;
    params.push(seq, previousHash, chain);
    await tx.query(
      `WITH appended AS (
         INSERT INTO audit (id, chain_id, seq, previous_hash, hash, actor_id, organisation_id, action, object_type, object_id, case_id, details, via_portal, created_at)
         VALUES ${values.join(', ')} RETURNING 1)
       UPDATE audit_chain_head SET seq = $${at + 1}, hash = $${at + 2} WHERE organisation_id = $${at + 3}`,
      params);
  }
}
