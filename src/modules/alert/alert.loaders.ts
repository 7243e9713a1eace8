import { defineLoader, loaderOf } from '../../loaders';
import { alertScope, CASE_SCOPE_COLUMNS, caseScopeJoin, itemScopeJoin } from '../../authz/scopes';
import { OBSERVABLE } from '../../db/records/items';
import { CASE_COLUMNS, CaseRow } from '../../db/records/case';
import { caseById } from '../case/case.loaders';
import { ALERT_COLUMNS, ALERT_OBSERVABLE_COLUMNS, AlertObservableRow, AlertRow } from '../../db/records/alert';

declare module '../../loader-map' {
  interface LoaderMap {
    'alert.byId': { one: AlertRow };
    'alert.observables': { many: AlertObservableRow };
    'alert.similarCases': { many: SimilarCaseRow };
  }
}

/** Query.alert: the active organisation's alerts only (R34). */
export const alertById = defineLoader({
  name: 'alert.byId',
  one: (ctx, q, ids) => `SELECT ${ALERT_COLUMNS} FROM alert al WHERE al.id = ${ids} AND ${alertScope(ctx, q)}`,
});

/** Alert.observables for a page of alerts (already in scope): one statement per batch, in push order. */
export const alertObservables = defineLoader({
  name: 'alert.observables',
  many: (_ctx, _q, keys) => `SELECT ${ALERT_OBSERVABLE_COLUMNS} FROM alert_observable ao WHERE ao.alert_id = ${keys} ORDER BY ao.alert_id, ao.position`,
  keyOf: (r) => r.alertId,
});

/** At most this many similar cases per alert, those sharing the most first: a common observable must not list every case. */
export const MAX_SIMILAR_CASES = 50;

export interface SimilarCaseRow {
  alertId: string;
  sharedObservables: number;
  case: CaseRow;
}

/**
 * Alert.similarCases (R35) for a page of alerts in ONE statement per batch: the cases holding an
 * observable with the same dataType and data as one of the alert's, counted among the observables
 * the active organisation sees (itemScopeJoin, R17 — so only visible cases, R13, and no
 * count revealing an observable the organisation was not given). The cases come with their scope
 * columns and prime Case loaders, so `case { … }` costs nothing more.
 */
export const similarCases = defineLoader({
  name: 'alert.similarCases',
  many: (ctx, q, keys) =>
    `SELECT m."alertId", m."sharedObservables", row_to_json(cr) AS "case" FROM (
       SELECT ao.alert_id AS "alertId", hit.case_id, count(DISTINCT ao.id)::int AS "sharedObservables",
              row_number() OVER (PARTITION BY ao.alert_id ORDER BY count(DISTINCT ao.id) DESC, hit.case_id) AS rank
         FROM alert_observable ao
         -- Per alert observable, an index probe on observable(data_type, md5(data)): the cost follows
         -- the page's observables, never the organisation's (OFFSET 0 keeps the planner from flattening it).
         CROSS JOIN LATERAL (
           SELECT ob.case_id FROM observable ob ${itemScopeJoin(ctx, q, OBSERVABLE)}
            WHERE ob.data_type = ao.data_type AND md5(ob.data) = md5(ao.data) AND ob.data = ao.data OFFSET 0) hit
        WHERE ao.alert_id = ${keys}
        GROUP BY ao.alert_id, hit.case_id) m
     -- Each case by its key (OFFSET 0 again: flattened, the planner would hash the organisation's every share).
     CROSS JOIN LATERAL (SELECT ${CASE_COLUMNS}, ${CASE_SCOPE_COLUMNS} FROM "case" c ${caseScopeJoin(ctx, q)} WHERE c.id = m.case_id OFFSET 0) cr
     WHERE m.rank <= ${MAX_SIMILAR_CASES}
     ORDER BY m."alertId", m.rank`,
  keyOf: (r) => r.alertId,
  onRows: (ctx, batch) => {
    for (const r of batch) {
      // row_to_json brings timestamps as text.
      const c = r.case as CaseRow & Record<string, unknown>;
      for (const k of ['createdAt', 'updatedAt'] as const) if (typeof c[k] === 'string') c[k] = new Date(c[k] as unknown as string);
      loaderOf(ctx, caseById).prime(c.id, c);
    }
  },
});
