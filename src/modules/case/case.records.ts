import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one, Sql } from '../../db/sql';
import { ForbiddenError } from '../../errors/app-error';
import { ADMIN_ORGANISATION } from '../../authz/permissions';
import { currentAssignee } from '../../authz/scopes';
import { recordAudit } from '../audit/audit.service';
import { ALL_PROFILE } from '../profile/default-profiles';

/** A case row as services and resolvers pass it around: always loaded through caseScopeJoin. */
export interface CaseRow {
  id: string;
  number: number;
  title: string;
  description: string;
  severity: number;
  status: string;
  tlp: string;
  pap: string;
  tags: string[];
  /** R32: {fieldName: value}. */
  customFields: Record<string, unknown>;
  assigneeId: string | null;
  /** The owner organisation. */
  organisationId: string;
  createdById: string;
  createdAt: Date;
  updatedAt: Date;
  /** The active organisation's share on the case and its profile's permissions (caseScopeJoin, R15). */
  shareId: string;
  ownerShare: boolean;
  shareProfilePermissions: string[];
}

export const CASE_COLUMNS = `c.id, c.number, c.title, c.description, c.severity, c.status, c.tlp, c.pap, c.tags, c.custom_fields AS "customFields",
  ${currentAssignee('c.assignee_id', 'c.id')} AS "assigneeId", c.organisation_id AS "organisationId", c.created_by AS "createdById",
  c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

export interface NewCase {
  title: string;
  description: string;
  severity: number;
  tlp?: string;
  pap?: string;
  tags?: string[];
  /** R32: values already checked against their definitions. */
  customFields?: Record<string, unknown>;
}

/**
 * Inserts a case owned by the caller's active organisation with its owner share (profile `all`,
 * rules ALL: R12, R17), numbered without races (the counter row is locked by the UPDATE), and
 * audits it. Shared by the internal createCase and the portal's (R26). Validation is the caller's.
 * `also` writes what belongs to the same creation (the portal reporter's grant) before the entry,
 * and returns what the entry should say of it: one write, one entry (R28).
 */
export async function insertCase(ctx: RequestContext, tx: EntityManager, input: NewCase,
  also?: (caseId: string) => Promise<Record<string, unknown>>): Promise<{ id: string; number: number }> {
  const p = principalOf(ctx);
  if (p.organisationName === ADMIN_ORGANISATION) throw new ForbiddenError('The admin organisation holds no cases');
  const counter = await one<{ n: number }>(tx, 'UPDATE organisation SET case_counter = case_counter + 1 WHERE id = $1 RETURNING case_counter AS n', [p.organisationId]);
  const row = await one<{ id: string; number: number }>(tx,
    `INSERT INTO "case" (organisation_id, number, title, description, severity, tlp, pap, tags, custom_fields, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10) RETURNING id, number`,
    [p.organisationId, counter!.n, input.title, input.description, input.severity, input.tlp ?? 'AMBER', input.pap ?? 'AMBER', input.tags ?? [],
      JSON.stringify(input.customFields ?? {}), p.userId]);
  await tx.query(
    `INSERT INTO share (case_id, organisation_id, profile_id, owner, task_rule, observable_rule, created_by)
     SELECT $1, $2, id, true, 'ALL', 'ALL', $4 FROM profile WHERE name = $3`,
    [row!.id, p.organisationId, ALL_PROFILE, p.userId]);
  const moreDetails = also ? await also(row!.id) : {};
  await recordAudit(ctx, tx, {
    action: 'case.create', objectType: 'Case', objectId: row!.id, caseId: row!.id,
    details: { number: row!.number, title: input.title, severity: input.severity, tlp: input.tlp ?? 'AMBER', pap: input.pap ?? 'AMBER', tags: input.tags ?? [],
      ...(Object.keys(input.customFields ?? {}).length ? { customFields: input.customFields } : {}), ...moreDetails },
  });
  return row!;
}

/**
 * UPDATE of a case, task or observable row: the given columns and updated_at. Column names come
 * from the services' fixed patch keys, never from the client.
 */
export async function updateColumns(tx: EntityManager, table: 'case' | 'task' | 'observable', id: string, values: Record<string, unknown>): Promise<void> {
  const q = new Sql();
  const set = Object.entries(values).map(([column, value]) => `${column} = ${q.p(value)}`).join(', ');
  await tx.query(`UPDATE "${table}" SET ${set}, updated_at = now() WHERE id = ${q.p(id)}`, q.params);
}
