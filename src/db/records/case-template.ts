import type { CustomFieldValues } from './custom-field';

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
