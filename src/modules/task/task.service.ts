import type { RequestContext } from '../../context';
import type { CreateTaskInput, UpdateTaskInput } from '../../generated/internal';
import { updateColumns } from '../../db/sql';
import { requireAssignable } from '../assignee/assignee.shared';
import { findVisibleItem } from '../../authz/case-access';
import { TASK } from '../../db/records/items';
import type { Checked } from '../../authz/checked';
import type { CaseRow } from '../../db/records/case';
import { changes, recordAudit } from '../audit-trail/audit-trail.shared';
import { notNull, optionalText, requiredLine } from '../validation';
import { loginOf } from '../assignee/assignee.shared';
import type { TaskRow } from '../../db/records/task';
import { insertTask, MAX_TASK_DESCRIPTION, MAX_TASK_TITLE } from './task.shared';

/**
 * R17: the new task is shared with the creator's organisation and with every share whose task
 * rule is ALL (the owner share always is). The case row is share-locked so a concurrent
 * shareCase(ALL/EXISTING) sees either the task or the new share, never neither.
 */
export async function createTask(ctx: RequestContext, target: Checked<CaseRow>, input: CreateTaskInput): Promise<TaskRow> {
  const title = requiredLine(input.title, 'title', MAX_TASK_TITLE);
  const description = optionalText(input.description ?? '', 'description', MAX_TASK_DESCRIPTION);
  const status = input.status ?? 'WAITING';
  return ctx.transaction(async (tx) => {
    const row = await target.lock(tx, 'share');
    const taskId = await insertTask(ctx, tx, row.id, row.shareId, { title, description, status });
    return (await findVisibleItem(ctx, tx, TASK, taskId))!;
  });
}

type TaskPatch = Partial<Pick<TaskRow, 'title' | 'description' | 'status'>>;

/** Only the given fields change; the audit entry lists those whose value changed. */
export async function updateTask(ctx: RequestContext, target: Checked<TaskRow>, input: UpdateTaskInput): Promise<TaskRow> {
  const patch: TaskPatch = {};
  if (input.title !== undefined) patch.title = requiredLine(notNull(input.title, 'title'), 'title', MAX_TASK_TITLE);
  if (input.description !== undefined) patch.description = optionalText(notNull(input.description, 'description'), 'description', MAX_TASK_DESCRIPTION);
  if (input.status !== undefined) patch.status = notNull(input.status, 'status');
  return ctx.transaction(async (tx) => {
    const task = await target.lock(tx, 'update');
    const diff: Record<string, unknown> = changes(task, patch);
    // Column names come from the fixed TaskPatch keys and assignee_id, never from the client.
    const set: Record<string, unknown> = Object.fromEntries(Object.keys(diff).map((f) => [f, patch[f as keyof TaskPatch]]));
    if (input.assignee !== undefined) {
      // R20 applies to task assignees as to case assignees.
      const user = input.assignee === null ? null : await requireAssignable(ctx, tx, task.caseId, input.assignee);
      if ((user?.id ?? null) !== task.assigneeId) {
        set.assignee_id = user?.id ?? null;
        diff.assignee = { from: await loginOf(tx, task.assigneeId), to: user?.login ?? null };
      }
    }
    if (!Object.keys(set).length) return task;
    await updateColumns(tx, 'task', task.id, set);
    await recordAudit(ctx, tx, { action: 'task.update', objectType: 'Task', objectId: task.id, caseId: task.caseId, details: diff });
    return (await findVisibleItem(ctx, tx, TASK, task.id))!;
  });
}

export async function deleteTask(ctx: RequestContext, target: Checked<TaskRow>): Promise<boolean> {
  await ctx.transaction(async (tx) => {
    const task = await target.lock(tx, 'update');
    await tx.query('DELETE FROM task WHERE id = $1', [task.id]);
    await recordAudit(ctx, tx, { action: 'task.delete', objectType: 'Task', objectId: task.id, caseId: task.caseId, details: { title: task.title } });
  });
  return true;
}
