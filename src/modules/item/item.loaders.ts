import type { CaseItem } from '../../db/records/items';
import { ORGANISATION_COLUMNS, OrganisationRow } from '../../db/records/organisation';
import type { KeySql } from '../../loaders';
import { itemScopeColumns, itemScopeJoin, itemVisible, liveShare, organisationScope } from '../../authz/scopes';

/**
 * The loaders of a case's items (tasks, observables: db/records/items.ts), written once for both
 * kinds; task.loaders and observable.loaders declare them under their kind's names.
 */

/** The link table's alias: ts, os. */
const link = (item: CaseItem<unknown, unknown>) => `${item.table[0]}s`;

/** Query.task/observable: items visible to the active organisation (R17), with their share profile. */
export const itemById = <F, R extends F>(item: CaseItem<F, R>): { one: KeySql } => ({
  one: (ctx, q, ids) =>
    `SELECT ${item.columns}, ${itemScopeColumns(item)} FROM ${item.table} ${item.alias} ${itemScopeJoin(ctx, q, item)} WHERE ${item.alias}.id = ${ids}`,
});

/**
 * Case.tasks/observables for a page of cases: the items held by the active organisation's share
 * on each case (R17). Keyed by that share's id, which the case row brought from caseScopeJoin, so
 * no share or profile is joined again; the share's profile travels on the case row.
 */
export const itemsByShare = <F extends { shareId: string }, R extends F>(
  item: CaseItem<F, R>,
): { nested: KeySql; order: string; keyOf: (r: F) => string; dates: readonly string[] } => ({
  nested: (_ctx, _q, key) => `SELECT ${item.columns}, ${link(item)}.share_id AS "shareId" FROM ${item.shareTable} ${link(item)}
      JOIN ${item.table} ${item.alias} ON ${item.alias}.id = ${link(item)}.${item.key} WHERE ${link(item)}.share_id = ${key}`,
  order: '"createdAt", id',
  keyOf: (r) => r.shareId,
  dates: ['createdAt', 'updatedAt'],
});

export type Holder = OrganisationRow & { itemId: string };

/** Task/Observable.sharedWith: organisations holding the item through a live share (R39), limited to those the caller can see; only for visible items. */
export const itemHolders = <F, R extends F>(item: CaseItem<F, R>): { many: KeySql; keyOf: (r: Holder) => string } => ({
  many: (ctx, q, keys) =>
    `SELECT ${link(item)}.${item.key} AS "itemId", ${ORGANISATION_COLUMNS} FROM ${item.shareTable} ${link(item)}
       JOIN share sh ON sh.id = ${link(item)}.share_id AND ${liveShare('sh')} JOIN organisation o ON o.id = sh.organisation_id
      WHERE ${link(item)}.${item.key} = ${keys} AND ${itemVisible(ctx, q, item, `${link(item)}.${item.key}`)} AND ${organisationScope(ctx, q)}
      ORDER BY lower(o.name)`,
  keyOf: (r) => r.itemId,
});
