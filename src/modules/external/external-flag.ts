import type { RequestContext } from '../../context';
import { one } from '../../db/sql';
import type { Checked } from '../../authz/checked';
import { changes, recordAudit } from '../audit-trail/audit-trail.shared';

/** A case element that can be shown in the portal one by one (R24): comments and attachments. */
export interface FlagTarget<T> {
  table: 'comment' | 'attachment';
  alias: string;
  /** The row's columns on `alias`, as the module's resolvers expect them. */
  columns: string;
  objectType: 'Comment' | 'Attachment';
  /** Extra audit details naming the element. */
  describe?: (row: T) => Record<string, unknown>;
}

/**
 * R24: shows or hides one comment or attachment in the portal. The element follows its case
 * (visible iff the active organisation holds a share on it, else NOT_FOUND) and the change needs
 * manageExternalShare in user ∩ share profile (R15, R19, else FORBIDDEN). A no-op writes nothing.
 */
export async function setExternalFlag<T extends { caseId: string; external: boolean }>(
  ctx: RequestContext,
  target: FlagTarget<T>,
  element: Checked<{ id: string }>,
  external: boolean,
): Promise<T> {
  const { table, alias: a, columns, objectType } = target;
  return ctx.transaction(async (tx) => {
    // Re-checked and locked FOR UPDATE (its case FOR SHARE) inside the write's transaction.
    const { id } = await element.lock(tx, 'update');
    const current = (await one<T>(tx, `SELECT ${columns} FROM ${table} ${a} WHERE ${a}.id = $1`, [id]))!;
    if (current.external === external) return current;
    const row = await one<T>(tx, `UPDATE ${table} ${a} SET external = $2 WHERE id = $1 RETURNING ${columns}`, [id, external]);
    await recordAudit(ctx, tx, {
      action: `${table}.update`,
      objectType,
      objectId: id,
      caseId: current.caseId,
      details: { ...target.describe?.(current), ...changes({ external: current.external }, { external }) },
    });
    return row!;
  });
}
