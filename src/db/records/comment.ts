export interface CommentRow {
  id: string;
  caseId: string;
  message: string;
  external: boolean;
  viaPortal: boolean;
  createdById: string;
  createdAt: Date;
}

export const COMMENT_COLUMNS = `cm.id, cm.case_id AS "caseId", cm.message, cm.external, cm.via_portal AS "viaPortal",
  cm.created_by AS "createdById", cm.created_at AS "createdAt"`;
