import { one, Queryable } from '../../db/sql';
import type { CustomFieldValues } from '../custom-field/custom-field.values';

/** A case template (R33); `description`, `severity`, `tlp`, `pap` null when the template leaves them to the input or the default. */
export interface CaseTemplateRow {
  id: string;
  organisationId: string;
  name: string;
  titlePrefix: string;
  description: string | null;
  severity: number | null;
  tlp: string | null;
  pap: string | null;
  tags: string[];
  tasks: Array<{ title: string; description: string }>;
  customFields: CustomFieldValues;
  createdAt: Date;
  updatedAt: Date;
}

export const CASE_TEMPLATE_COLUMNS = `ct.id, ct.organisation_id AS "organisationId", ct.name, ct.title_prefix AS "titlePrefix", ct.description,
  ct.severity, ct.tlp, ct.pap, ct.tags, ct.tasks, ct.custom_fields AS "customFields", ct.created_at AS "createdAt", ct.updated_at AS "updatedAt"`;

/**
 * R33: a template of `organisationId` by name (case-insensitive); another organisation's is
 * never found. 'update' locks it for a change; 'use' (FOR KEY SHARE) keeps it from changing
 * while a case is created from it.
 */
export async function findCaseTemplate(db: Queryable, organisationId: string, name: string, lock?: 'update' | 'use'): Promise<CaseTemplateRow | null> {
  const suffix = lock === 'update' ? ' FOR UPDATE' : lock === 'use' ? ' FOR KEY SHARE' : '';
  return (await one<CaseTemplateRow>(db,
    `SELECT ${CASE_TEMPLATE_COLUMNS} FROM case_template ct WHERE ct.organisation_id = $1 AND lower(ct.name) = lower($2)${suffix}`,
    [organisationId, name.trim()])) ?? null;
}
