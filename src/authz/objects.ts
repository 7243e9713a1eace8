import type { RequestContext } from '../context';
import { isUuid, one, Queryable, Sql } from '../db/sql';
import { alertScope, CASE_SCOPE_COLUMNS, caseScopeJoin } from './scopes';
import { INTERNAL_PERMISSIONS } from './permissions';
import { OBSERVABLE, TASK } from '../db/records/items';
import { ALERT_COLUMNS, AlertRow } from '../db/records/alert';
import { findVisibleCase, findVisibleItem, lockCaseOf, RowLock, ShareScoped } from './case-access';

/** What every object a rule checks carries: the active organisation's share on its case (R15). */
export type ScopedRow = ShareScoped & { id: string; ownerShare: boolean };

/**
 * One entry per `AuthzObject` of the SDL: how to load the object THROUGH the active
 * organisation's visibility scope (null when absent or invisible: R13, R17), optionally locked
 * for a write. The boot check refuses an SDL kind without an entry here.
 */
export interface ObjectKind {
  /** The name NOT_FOUND errors use. */
  label: string;
  find(ctx: RequestContext, db: Queryable, id: string, lock?: RowLock): Promise<ScopedRow | null>;
}

/** Comments and attachments follow their case (R17): visible iff the case is, with its share profile. */
function caseElement(table: 'comment' | 'attachment', label: string): ObjectKind {
  return {
    label,
    async find(ctx, db, id, lock) {
      if (!isUuid(id)) return null;
      if (lock) await lockCaseOf(db, table, id, 'share');
      const q = new Sql();
      const row = await one<ScopedRow>(
        db,
        `SELECT x.id, x.case_id AS "caseId", ${CASE_SCOPE_COLUMNS} FROM ${table} x JOIN "case" c ON c.id = x.case_id ${caseScopeJoin(ctx, q)}
          WHERE x.id = ${q.p(id)}${lock ? ` FOR ${lock === 'update' ? 'UPDATE' : 'SHARE'} OF x` : ''}`,
        q.params,
      );
      return row ?? null;
    },
  };
}

/**
 * R34: an alert is its organisation's alone and never shared, so no share profile narrows the
 * caller's rights on it: the organisation holds it as an owner with every permission, and the
 * caller's own effective permissions decide (in admin, manageAlert is never effective: R6).
 */
async function findAlert(ctx: RequestContext, db: Queryable, id: string, lock?: RowLock): Promise<(AlertRow & ScopedRow) | null> {
  if (!isUuid(id)) return null;
  const q = new Sql();
  const row = await one<AlertRow>(
    db,
    `SELECT ${ALERT_COLUMNS} FROM alert al WHERE al.id = ${q.p(id)} AND ${alertScope(ctx, q)}${lock ? ` FOR ${lock === 'update' ? 'UPDATE' : 'SHARE'} OF al` : ''}`,
    q.params,
  );
  return row ? { ...row, ownerShare: true, shareProfilePermissions: [...INTERNAL_PERMISSIONS] } : null;
}

export const OBJECT_KINDS: Record<string, ObjectKind> = {
  CASE: { label: 'Case', find: findVisibleCase },
  // Writes on an element lock the element FOR UPDATE (and its case FOR SHARE), as before.
  TASK: { label: TASK.objectType, find: (ctx, db, id, lock) => findVisibleItem(ctx, db, TASK, id, lock) },
  OBSERVABLE: { label: OBSERVABLE.objectType, find: (ctx, db, id, lock) => findVisibleItem(ctx, db, OBSERVABLE, id, lock) },
  COMMENT: caseElement('comment', 'Comment'),
  ATTACHMENT: caseElement('attachment', 'Attachment'),
  ALERT: { label: 'Alert', find: findAlert },
};
