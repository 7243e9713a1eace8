import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one } from '../../db/sql';
import { recordAudit } from '../audit-trail/audit-trail.shared';

export const MAX_TASK_TITLE = 512;

export const MAX_TASK_DESCRIPTION = 100_000;

/**
 * Inserts a task of case `caseId` and audits it (R28). R17: it is shared with the creator's
 * organisation (creatorShareId) and with every share whose task rule is ALL (the owner share
 * always is). `position` orders tasks created in one transaction (a template's, R33): Case.tasks
 * sorts by created_at, which now() makes equal within a transaction, so each gets one more
 * microsecond.
 */
export async function insertTask(
  ctx: RequestContext,
  tx: EntityManager,
  caseId: string,
  creatorShareId: string,
  task: { title: string; description: string; status: string },
  position = 0,
): Promise<string> {
  const row = await one<{ id: string }>(
    tx,
    `INSERT INTO task (case_id, title, description, status, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, now() + $6 * interval '1 microsecond', now() + $6 * interval '1 microsecond') RETURNING id`,
    [caseId, task.title, task.description, task.status, principalOf(ctx).userId, position],
  );
  await tx.query(`INSERT INTO task_share (share_id, task_id) SELECT s.id, $2 FROM share s WHERE s.case_id = $1 AND (s.task_rule = 'ALL' OR s.id = $3)`, [
    caseId,
    row!.id,
    creatorShareId,
  ]);
  await recordAudit(ctx, tx, { action: 'task.create', objectType: 'Task', objectId: row!.id, caseId, details: task });
  return row!.id;
}
