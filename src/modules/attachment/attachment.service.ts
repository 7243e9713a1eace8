import type { RequestContext } from '../../context';
import { isUuid, one, Sql } from '../../db/sql';
import { caseScopeJoin } from '../../authz/scopes';
import type { Checked } from '../../authz/checked';
import type { CaseRow } from '../../db/records/case';
import { portalAttachmentScope } from '../../authz/portal-scopes';
import { setExternalFlag } from '../external/external-flag';
import type { FileUpload } from './upload';
import { AttachmentRow, ATTACHMENT_COLUMNS } from '../../db/records/attachment';
import { withStoredUpload, insertAttachment } from './attachment.shared';

/**
 * R19/R24: the field's rule (SDL) on the case, with its external-share part for an external attachment, checked
 * before a byte is read and again in the transaction that inserts the row, since rights may
 * change while a large file streams (the transaction is not held open during the upload).
 */
export async function addAttachment(ctx: RequestContext, target: Checked<CaseRow>, file: Promise<FileUpload>, external: boolean): Promise<AttachmentRow> {
  return withStoredUpload(ctx, file, (stored) =>
    ctx.transaction(async (tx) => {
      // FOR SHARE: the case cannot be deleted between this check and the insert.
      const access = await target.lock(tx, 'share');
      return insertAttachment(ctx, tx, access.id, stored, { external, viaPortal: false });
    }),
  );
}

/** R24: shows or hides an attachment in the portal (the field's rule checks the case). */
export function setAttachmentExternal(ctx: RequestContext, target: Checked<{ id: string }>, external: boolean): Promise<AttachmentRow> {
  return setExternalFlag<AttachmentRow>(
    ctx,
    { table: 'attachment', alias: 'a', columns: ATTACHMENT_COLUMNS, objectType: 'Attachment', describe: (row) => ({ name: row.name }) },
    target,
    external,
  );
}

/** Case.attachments for a page of cases: one statement per batch, through the case scope (R13, R17). */
export function attachmentsByCaseSql(ctx: RequestContext, q: Sql, key: string) {
  return `SELECT ${ATTACHMENT_COLUMNS} FROM attachment a JOIN "case" c ON c.id = a.case_id ${caseScopeJoin(ctx, q)}
      WHERE a.case_id = ${key} ORDER BY a.created_at, a.id`;
}

/**
 * GET /attachments/:id: internal callers through the active organisation's share on the case;
 * external users only for external attachments of cases they see in the portal (R24). Else null.
 */
export async function findDownloadableAttachment(ctx: RequestContext, id: string): Promise<(AttachmentRow & { ownerOrganisationId: string }) | null> {
  if (!isUuid(id)) return null;
  const q = new Sql();
  const [join, where] = ctx.endpoint === 'portal' ? ['', portalAttachmentScope(ctx, q)] : [caseScopeJoin(ctx, q), 'TRUE'];
  const row = await one<AttachmentRow & { ownerOrganisationId: string }>(
    ctx.db,
    `SELECT ${ATTACHMENT_COLUMNS}, c.organisation_id AS "ownerOrganisationId" FROM attachment a JOIN "case" c ON c.id = a.case_id ${join} WHERE ${where} AND a.id = ${q.p(id)}`,
    q.params,
  );
  return row ?? null;
}
