export interface AttachmentRow {
  id: string;
  caseId: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
  external: boolean;
  viaPortal: boolean;
  createdById: string;
  createdAt: Date;
}

export const ATTACHMENT_COLUMNS = `a.id, a.case_id AS "caseId", a.name, a.size::float8 AS size, a.content_type AS "contentType", a.sha256,
  a.external, a.via_portal AS "viaPortal", a.created_by AS "createdById", a.created_at AS "createdAt"`;
