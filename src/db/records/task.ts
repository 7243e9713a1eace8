import { currentAssignee } from './live';

/** A task's own columns, as Case.tasks lists them (the case row carries the share). */
export interface TaskFields {
  id: string;
  caseId: string;
  title: string;
  description: string;
  status: string;
  assigneeId: string | null;
  createdById: string;
  createdAt: Date;
  updatedAt: Date;
  shareId: string;
}

/** A task loaded through itemScopeJoin: with the active organisation's share on it, for writes (R15). */
export interface TaskRow extends TaskFields {
  ownerShare: boolean;
  shareProfilePermissions: string[];
}

export const TASK_COLUMNS = `t.id, t.case_id AS "caseId", t.title, t.description, t.status, ${currentAssignee('t.assignee_id', 't.case_id')} AS "assigneeId",
  t.created_by AS "createdById", t.created_at AS "createdAt", t.updated_at AS "updatedAt"`;
