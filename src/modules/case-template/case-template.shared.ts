import { one, Queryable } from '../../db/sql';
import { CASE_TEMPLATE_COLUMNS, CaseTemplateRow } from '../../db/records/case-template';

/**
 * R33: a template of `organisationId` by name (case-insensitive); another organisation's is
 * never found. 'update' locks it for a change; 'use' (FOR KEY SHARE) keeps it from changing
 * while a case is created from it.
 */
export async function findCaseTemplate(db: Queryable, organisationId: string, name: string, lock?: 'update' | 'use'): Promise<CaseTemplateRow | null> {
  const suffix = lock === 'update' ? ' FOR UPDATE' : lock === 'use' ? ' FOR KEY SHARE' : '';
  return (
    (await one<CaseTemplateRow>(
      db,
      `SELECT ${CASE_TEMPLATE_COLUMNS} FROM case_template ct WHERE ct.organisation_id = $1 AND lower(ct.name) = lower($2)${suffix}`,
      [organisationId, name.trim()],
    )) ?? null
  );
}
