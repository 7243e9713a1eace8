import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { appendAudit } from './audit-append';

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
 * Records one entry with the caller's transaction manager, so the entry exists iff the write
 * commits (R28); the database links it into its organisation's hash chain at COMMIT (R41,
 * appendAudit). The insert trigger announces it to the live feed at commit (R30).
 */
export async function recordAudit(ctx: RequestContext, tx: EntityManager, input: AuditInput): Promise<void> {
  await appendAudit(tx, [
    {
      id: randomUUID(),
      actorId: input.actorId !== undefined ? input.actorId : (ctx.principal?.userId ?? null),
      organisationId: input.organisationId !== undefined ? input.organisationId : (ctx.principal?.organisationId ?? null),
      action: input.action,
      objectType: input.objectType,
      objectId: input.objectId ?? null,
      caseId: input.caseId ?? null,
      // Through JSON once: what is hashed is exactly what jsonb gives back (dates as strings, no undefined).
      details: JSON.parse(JSON.stringify(redact(input.details ?? {}))),
      viaPortal: ctx.endpoint === 'portal',
    },
  ]);
}
