import { OBSERVABLE_COLUMNS, ObservableFields, ObservableRow } from './observable';
import { TASK_COLUMNS, TaskFields, TaskRow } from './task';

/**
 * Tasks and observables are the items of a case that are shared one by one (R17, R18): each has
 * its table and reaches organisations through a link table to their shares. One descriptor per
 * kind names those tables for the visibility scope (authz/scopes), the access check
 * (authz/case-access), the loaders and the services, which are written once for both kinds.
 */
export interface CaseItem<Fields, Row extends Fields> {
  /** The GraphQL type, also the audit entries' objectType and the NOT_FOUND label. */
  readonly objectType: 'Task' | 'Observable';
  readonly table: 'task' | 'observable';
  /** The table's alias in `columns`. */
  readonly alias: 't' | 'ob';
  /** The item's own columns, as Fields (alias `alias`). */
  readonly columns: string;
  /** The link table to the shares holding the item, and its item column. */
  readonly shareTable: 'task_share' | 'observable_share';
  readonly key: 'task_id' | 'observable_id';
  /** Never set: carries the row types, so functions taking a descriptor return the kind's rows. */
  readonly rows?: { fields: Fields; row: Row };
}

/** Either kind, where only the tables matter (scopes). */
export type AnyCaseItem = CaseItem<unknown, unknown>;

export const TASK: CaseItem<TaskFields, TaskRow> = {
  objectType: 'Task',
  table: 'task',
  alias: 't',
  columns: TASK_COLUMNS,
  shareTable: 'task_share',
  key: 'task_id',
};

export const OBSERVABLE: CaseItem<ObservableFields, ObservableRow> = {
  objectType: 'Observable',
  table: 'observable',
  alias: 'ob',
  columns: OBSERVABLE_COLUMNS,
  shareTable: 'observable_share',
  key: 'observable_id',
};
