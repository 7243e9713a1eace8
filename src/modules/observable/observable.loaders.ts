import type { RequestContext } from '../../context';
import { byIdLoader, Relation, relationLoader } from '../../loaders';
import { OBSERVABLE_SCOPE_COLUMNS, observableScopeJoin } from '../../authz/scopes';
import { OBSERVABLE_COLUMNS, ObservableFields, ObservableRow } from '../../db/records/observable';

/** Query.observable: observables visible to the active organisation (R17). */
export const observableByIdLoader = (ctx: RequestContext) =>
  ctx.loaders.get('observable.byId', () => byIdLoader<ObservableRow>(ctx, (q, ids) =>
    `SELECT ${OBSERVABLE_COLUMNS}, ${OBSERVABLE_SCOPE_COLUMNS} FROM observable ob ${observableScopeJoin(ctx, q)} WHERE ob.id = ANY(${ids})`));

/** Case.observables for a page of cases: as tasksByShare (R17), keyed by the active organisation's share id. */
export const observablesByShare: Relation<ObservableFields> = {
  name: 'observable.byShare',
  select: (_ctx, _q, key) => `SELECT ${OBSERVABLE_COLUMNS}, os.share_id AS "shareId" FROM observable_share os JOIN observable ob ON ob.id = os.observable_id WHERE os.share_id = ${key}`,
  order: '"createdAt", id',
  keyOf: (r) => r.shareId,
  dates: ['createdAt', 'updatedAt'],
};

export const observablesByCaseLoader = (ctx: RequestContext) => relationLoader(ctx, observablesByShare);
