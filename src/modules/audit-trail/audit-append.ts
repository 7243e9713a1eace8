import type { DataSource, EntityManager } from 'typeorm';
import { ADMIN_ORGANISATION } from '../../authz/permissions';
import { contentHash } from './audit-chain';

/** An entry as recorded by a write. */
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
 * A timestamptz as the chain hashes it: ISO-8601 UTC with microseconds. The same format is
 * written (auditTime) and read back for verifyAudit and the export, so the hashed text is the
 * stored value exactly (a JavaScript Date would drop the microseconds).
 */
export const AUDIT_TIME_SQL = (expr: string) => `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

let lastMicros = 0n;

/** Now, to the microsecond, strictly increasing in this process: entries of one write keep their order. */
export function auditTime(): string {
  const now = BigInt(Date.now()) * 1000n;
  lastMicros = now > lastMicros ? now : lastMicros + 1n;
  const iso = new Date(Number(lastMicros / 1000n)).toISOString();
  return `${iso.slice(0, -1)}${String(lastMicros % 1000n).padStart(3, '0')}Z`;
}

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
 * Inserts entries in the caller's transaction, with the hash of their canonical content (R41,
 * audit-chain.ts). Entries of no organisation (attempts with an unknown login) belong to admin's
 * chain, the only organisation that sees them. The chain itself is extended at COMMIT by the
 * database (deferred constraint trigger hive_audit_seal): it locks the chain's head row, links the
 * entry to the previous one and moves the head. So appends to one chain queue only for the
 * commit itself — never for a round trip to this process — and never fork; a rolled-back write
 * leaves neither entry nor link.
 */
export async function appendAudit(tx: EntityManager, entries: PendingEntry[]): Promise<void> {
  const params: unknown[] = [];
  const values: string[] = [];
  for (const e of entries) {
    const chain = e.organisationId ?? (await adminOrganisationId(tx));
    const createdAt = auditTime();
    const n = params.push(
      e.id,
      chain,
      contentHash({ ...e, createdAt }),
      e.actorId,
      e.organisationId,
      e.action,
      e.objectType,
      e.objectId,
      e.caseId,
      JSON.stringify(e.details),
      e.viaPortal,
      createdAt,
    );
    values.push(`(${Array.from({ length: 12 }, (_, k) => `$${n - 11 + k}`).join(', ')}::timestamptz)`);
  }
  await tx.query(
    `INSERT INTO audit (id, chain_id, content_hash, actor_id, organisation_id, action, object_type, object_id, case_id, details, via_portal, created_at)
     VALUES ${values.join(', ')}`,
    params,
  );
}
