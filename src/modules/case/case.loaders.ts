import type { RequestContext } from '../../context';
import { byIdLoader } from '../../loaders';
import { CASE_SCOPE_COLUMNS, caseScopeJoin } from '../../authz/scopes';
import { CASE_COLUMNS, CaseRow } from '../../db/records/case';

/** Query.case and Task.case/Observable.case: cases visible to the active organisation (R13). */
export const caseByIdLoader = (ctx: RequestContext) =>
  ctx.loaders.get('case.byId', () =>
    byIdLoader<CaseRow>(ctx, (q, ids) => `SELECT ${CASE_COLUMNS}, ${CASE_SCOPE_COLUMNS} FROM "case" c ${caseScopeJoin(ctx, q)} WHERE c.id = ANY(${ids})`),
  );
