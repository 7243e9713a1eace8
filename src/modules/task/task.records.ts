import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one } from '../../db/sql';
import { recordAudit } from '../audit/audit.service';
import { currentAssignee } from '../../authz/scopes';

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

/** A task loaded through taskScopeJoin: with the active organisation's share on it, for writes (R15). */
export interface TaskRow extends TaskFields {
  ownerShare: boolean;
  shareProfilePermissions: string[];
}

export const TASK_COLUMNS = `t.id, t.case_id AS "caseId", t.title, t.description, t.status, ${currentAssignee('t.assignee_id', 't.case_id')} AS "assigneeId",
  t.created_by AS "createdById", t.created_at AS "createdAt", t.updated_at AS "updatedAt"`;

/**
 * Inserts a task of case `caseId` and audits it (R28). R17: it is shared with the creator's
 * organisation (creatorShareId) and with every share whose task rule is ALL (the owner share
 * always is). `position` orders tasks created in one transaction (a template's, R33): Case.tasks
 * sorts by created_at, which now() makes equal within a transaction, so each gets one more
 * microsecond.
 */
export async function insertTask(ctx: RequestContext, tx: EntityManager, caseId: string, creatorShareId: string,
  task: { title: string; description: string; status: string }, position = 0): Promise<string> {
  const row = await one<{ id: string }>(tx,
    `INSERT INTO task (case_id, title, description, status, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, now() + $6 * interval '1 microsecond', now() + $6 * interval '1 microsecond') RETURNING id`,
    [caseId, task.title, task.description, task.status, principalOf(ctx).userId, position]);
  await tx.query(
    `INSERT INTO task_share (share_id, task_id) SELECT s.id, $2 FROM share s WHERE s.case_id = $1 AND (s.task_rule = 'ALL' OR s.id = $3)`,
    [caseId, row!.id, creatorShareId]);
  await recordAudit(ctx, tx, { action: 'task.create', objectType: 'Task', objectId: row!.id, caseId, details: task });
  return row!.id;
}
