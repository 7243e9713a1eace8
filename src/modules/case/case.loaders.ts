import { defineLoader } from '../../loaders';
import { CASE_SCOPE_COLUMNS, caseScopeJoin } from '../../authz/scopes';
import { CASE_COLUMNS, CaseRow } from '../../db/records/case';

declare module '../../loader-map' {
  interface LoaderMap {
    'case.byId': { one: CaseRow };
  }
}

/** Query.case and Task.case/Observable.case: cases visible to the active organisation (R13). */
export const caseById = defineLoader({
  name: 'case.byId',
  one: (ctx, q, ids) => `SELECT ${CASE_COLUMNS}, ${CASE_SCOPE_COLUMNS} FROM "case" c ${caseScopeJoin(ctx, q)} WHERE c.id = ${ids}`,
});
