import type { RequestContext } from '../../context';
import { byIdLoader } from '../../loaders';
import { CASE_SCOPE_COLUMNS, caseScopeJoin } from '../../authz/scopes';
import { CASE_COLUMNS, CaseRow } from '../../db/records/case';
import { taskByIdLoader, tasksByCaseLoader } from '../task/task.loaders';
import { observableByIdLoader, observablesByCaseLoader } from '../observable/observable.loaders';
import { taskSharedWithLoader } from '../task/task.loaders';
import { observableSharedWithLoader } from '../observable/observable.loaders';
import { sharesByCaseLoader } from '../share/share.loaders';

/** Query.case and Task.case/Observable.case: cases visible to the active organisation (R13). */
export const caseByIdLoader = (ctx: RequestContext) =>
  ctx.loaders.get('case.byId', () => byIdLoader<CaseRow>(ctx, (q, ids) =>
    `SELECT ${CASE_COLUMNS}, ${CASE_SCOPE_COLUMNS} FROM "case" c ${caseScopeJoin(ctx, q)} WHERE c.id = ANY(${ids})`));

/**
 * After a write, this request's cached cases, tasks, observables and shares may be stale (a
 * document may hold several mutations): forget them.
 */
export function clearCaseLoaders(ctx: RequestContext): void {
  for (const loader of [caseByIdLoader, taskByIdLoader, tasksByCaseLoader, observableByIdLoader, observablesByCaseLoader,
    sharesByCaseLoader, taskSharedWithLoader, observableSharedWithLoader]) {
    loader(ctx).clearAll();
  }
}
