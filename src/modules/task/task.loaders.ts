import type { RequestContext } from '../../context';
import { byIdLoader, Relation, relationLoader } from '../../loaders';
import { TASK_SCOPE_COLUMNS, taskScopeJoin } from '../../authz/scopes';
import { TASK_COLUMNS, TaskFields, TaskRow } from '../../db/records/task';

/** Query.task: tasks visible to the active organisation (R17), with their share profile. */
export const taskByIdLoader = (ctx: RequestContext) =>
  ctx.loaders.get('task.byId', () => byIdLoader<TaskRow>(ctx, (q, ids) =>
    `SELECT ${TASK_COLUMNS}, ${TASK_SCOPE_COLUMNS} FROM task t ${taskScopeJoin(ctx, q)} WHERE t.id = ANY(${ids})`));

/**
 * Case.tasks for a page of cases: the tasks held by the active organisation's share on each case
 * (R17). Keyed by that share's id, which the case row brought from caseScopeJoin, so no share or
 * profile is joined again; the share's profile travels on the case row.
 */
export const tasksByShare: Relation<TaskFields> = {
  name: 'task.byShare',
  select: (_ctx, _q, key) => `SELECT ${TASK_COLUMNS}, ts.share_id AS "shareId" FROM task_share ts JOIN task t ON t.id = ts.task_id WHERE ts.share_id = ${key}`,
  order: '"createdAt", id',
  keyOf: (r) => r.shareId,
  dates: ['createdAt', 'updatedAt'],
};

export const tasksByCaseLoader = (ctx: RequestContext) => relationLoader(ctx, tasksByShare);
