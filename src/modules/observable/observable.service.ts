import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import type { CreateObservableInput, UpdateObservableInput } from '../../generated/internal';
import { one, updateColumns } from '../../db/sql';
import { findVisibleItem } from '../../authz/case-access';
import { OBSERVABLE } from '../../db/records/items';
import type { Checked } from '../../authz/checked';
import type { CaseRow } from '../../db/records/case';
import { changes, recordAudit } from '../audit-trail/audit-trail.shared';
import { notNull, optionalText, requiredText } from '../validation';
import { ObservableRow } from '../../db/records/observable';
import { linkNewObservable, MAX_OBSERVABLE_DATA, MAX_OBSERVABLE_MESSAGE, validDataType } from './observable.shared';
import { validTags } from '../tag/tag-names';

/** R17: shared with the creator's organisation and every share whose observable rule is ALL. */
export async function createObservable(ctx: RequestContext, target: Checked<CaseRow>, input: CreateObservableInput): Promise<ObservableRow> {
  const dataType = validDataType(input.dataType);
  const data = requiredText(input.data, 'data', MAX_OBSERVABLE_DATA);
  const message = optionalText(input.message ?? '', 'message', MAX_OBSERVABLE_MESSAGE);
  const ioc = input.ioc ?? false;
  const tlp = input.tlp ?? 'AMBER';
  const tags = validTags(input.tags ?? []);
  return ctx.transaction(async (tx) => {
    const row = await target.lock(tx, 'share');
    const created = await one<{ id: string }>(
      tx,
      `INSERT INTO observable (case_id, data_type, data, message, ioc, tlp, tags, created_by_external, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, false, $8) RETURNING id`,
      [row.id, dataType, data, message, ioc, tlp, tags, principalOf(ctx).userId],
    );
    await linkNewObservable(tx, row.id, created!.id, row.shareId);
    await recordAudit(ctx, tx, {
      action: 'observable.create',
      objectType: 'Observable',
      objectId: created!.id,
      caseId: row.id,
      details: { dataType, data, message, ioc, tlp, tags },
    });
    return (await findVisibleItem(ctx, tx, OBSERVABLE, created!.id))!;
  });
}

type ObservablePatch = Partial<Pick<ObservableRow, 'message' | 'ioc' | 'tlp' | 'tags'>>;

export async function updateObservable(ctx: RequestContext, target: Checked<ObservableRow>, input: UpdateObservableInput): Promise<ObservableRow> {
  const patch: ObservablePatch = {};
  if (input.message !== undefined) patch.message = optionalText(notNull(input.message, 'message'), 'message', MAX_OBSERVABLE_MESSAGE);
  if (input.ioc !== undefined) patch.ioc = notNull(input.ioc, 'ioc');
  if (input.tlp !== undefined) patch.tlp = notNull(input.tlp, 'tlp');
  if (input.tags !== undefined) patch.tags = validTags(notNull(input.tags, 'tags'));
  return ctx.transaction(async (tx) => {
    const row = await target.lock(tx, 'update');
    const diff = changes(row, patch);
    const fields = Object.keys(diff) as Array<keyof ObservablePatch>;
    if (!fields.length) return row;
    await updateColumns(tx, 'observable', row.id, Object.fromEntries(fields.map((f) => [f, patch[f]])));
    await recordAudit(ctx, tx, { action: 'observable.update', objectType: 'Observable', objectId: row.id, caseId: row.caseId, details: diff });
    return (await findVisibleItem(ctx, tx, OBSERVABLE, row.id))!;
  });
}

export async function deleteObservable(ctx: RequestContext, target: Checked<ObservableRow>): Promise<boolean> {
  await ctx.transaction(async (tx) => {
    const row = await target.lock(tx, 'update');
    await tx.query('DELETE FROM observable WHERE id = $1', [row.id]);
    await recordAudit(ctx, tx, {
      action: 'observable.delete',
      objectType: 'Observable',
      objectId: row.id,
      caseId: row.caseId,
      details: { dataType: row.dataType, data: row.data },
    });
  });
  return true;
}
