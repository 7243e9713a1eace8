import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { appendAudit, PendingEntry } from './audit-append';

export interface AuditInput {
  action: string;
  objectType: string;
  objectId?: string | null;
  caseId?: string | null;
  details?: Record<string, unknown>;
  /** Overrides for entries written without an authenticated principal (logins). */
  actorId?: string | null;
  organisationId?: string | null;
}

const SECRET_KEYS = /pass(word)?|token|secret|key|hash/i;

/** Secrets never reach the audit log, whatever a caller passes (R28). */
export function redact(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details).map(([k, v]) => [
      k,
      SECRET_KEYS.test(k) ? '<hidden>' : v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? redact(v as Record<string, unknown>) : v,
    ]),
  );
}

/** {field: {from, to}} for the fields whose value changes. */
export function changes<T extends object>(before: T, patch: Partial<T>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [k, to] of Object.entries(patch)) {
    if (to === undefined) continue;
    const from = (before as Record<string, unknown>)[k];
    if (JSON.stringify(from) !== JSON.stringify(to)) out[k] = { from, to };
  }
  return out;
}

/**
 * Records one entry in the caller's transaction, so the entry exists iff the write commits (R28).
 * Inside ctx.transaction the entry is appended to its organisation's hash chain (R41) when the
 * transaction's work is done, just before COMMIT: the chain head is then the last lock the
 * transaction takes (no lock-order cycle with the rows it locked before) and is held only for
 * the append and the commit. The insert trigger announces it to the live feed at commit (R30).
 */
export async function recordAudit(ctx: RequestContext, tx: EntityManager, input: AuditInput): Promise<void> {
  const entry: PendingEntry = {
    id: randomUUID(),
    actorId: input.actorId !== undefined ? input.actorId : ctx.principal?.userId ?? null,
    organisationId: input.organisationId !== undefined ? input.organisationId : ctx.principal?.organisationId ?? null,
    action: input.action,
    objectType: input.objectType,
    objectId: input.objectId ?? null,
    caseId: input.caseId ?? null,
    // Through JSON once: what is hashed is exactly what jsonb gives back (dates as strings, no undefined).
    details: JSON.parse(JSON.stringify(redact(input.details ?? {}))),
    viaPortal: ctx.endpoint === 'portal',
  };
  const pending = deferred.get(tx);
  if (pending) pending.push(entry);
  else await appendAudit(tx, [entry]);
}

/** Entries recorded in a transaction run by auditedTransaction, appended before it commits. */
const deferred = new WeakMap<EntityManager, PendingEntry[]>();

/** Runs fn in the transaction `tx` and appends the entries it recorded at its end (ctx.transaction). */
export async function auditedTransaction<T>(tx: EntityManager, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
  const pending: PendingEntry[] = [];
  deferred.set(tx, pending);
  try {
    const result = await fn(tx);
    if (pending.length) await appendAudit(tx, pending);
    return result;
  } finally {
    deferred.delete(tx);
  }
}
