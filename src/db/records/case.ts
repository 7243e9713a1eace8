import { currentAssignee } from './live';

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
