import { lockCaseOf } from '../../authz/case-access';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { columns, RowOf } from '../../db/columns';
import { AttachmentEntity } from '../../db/entities/attachment.entity';
import { attachmentSize } from '../../db/records/attachment';
import { CaseEntity } from '../../db/entities/case.entity';
import { CommentEntity } from '../../db/entities/comment.entity';
import { ObservableEntity } from '../../db/entities/observable.entity';
import { isUuid, one, Queryable, rows, Sql } from '../../db/sql';
import { portalCaseScope, portalCommentScope, portalAttachmentScope, portalObservableScope } from '../../authz/portal-scopes';
import { NotFoundError } from '../../errors/app-error';
import { recordAudit } from '../audit-trail/audit-trail.shared';
import { insertCase } from '../case/case.shared';
import { MAX_DESCRIPTION, MAX_TITLE, validSeverity } from '../case-fields/case-fields.shared';
import { insertComment, validCommentMessage } from '../comment/comment.shared';
import { insertAttachment, withStoredUpload } from '../attachment/attachment.shared';
import type { FileUpload } from '../attachment/upload';
import { grantToCreator, SHARED_EXTERNALLY_SQL } from '../external/external.shared';
import { linkNewObservable } from '../observable/observable.shared';
import { MAX_OBSERVABLE_DATA, MAX_OBSERVABLE_MESSAGE, validDataType } from '../observable/observable.shared';
import { optionalText, requiredText, requiredLine } from '../validation';

/*
 * The portal reads only these columns: its types have no field for anything else (R27). Each list
 * is an allow-list (pick), so a column added to an entity never reaches the portal unnamed. Every
 * statement here goes through a scope of src/authz/portal-scopes.ts.
 */
const PORTAL_CASE = columns(CaseEntity, 'c', { pick: ['id', 'number', 'title', 'description', 'severity', 'status', 'createdAt', 'updatedAt'] });
export type PortalCaseRow = RowOf<typeof PORTAL_CASE> & { sharedExternally: boolean };
const PORTAL_CASE_COLUMNS = `${PORTAL_CASE},
  ${SHARED_EXTERNALLY_SQL('c')} AS "sharedExternally"`;

const PORTAL_COMMENT = columns(CommentEntity, 'cm', { pick: ['id', 'caseId', 'message', 'createdAt'] });
export type PortalCommentRow = RowOf<typeof PORTAL_COMMENT> & { author: string };
/**
 * R27: an internal author is shown as the owner organisation, never by name; external authors
 * (portal users) by their name.
 */
const PORTAL_COMMENT_COLUMNS = `${PORTAL_COMMENT},
  CASE WHEN au.type = 'EXTERNAL' THEN au.name ELSE (SELECT ao.name FROM organisation ao WHERE ao.id = c.organisation_id) END AS author`;

const PORTAL_ATTACHMENT = columns(AttachmentEntity, 'a', { pick: ['id', 'caseId', 'name', 'size', 'contentType', 'createdAt'], sql: { size: attachmentSize } });
export type PortalAttachmentRow = Omit<RowOf<typeof PORTAL_ATTACHMENT>, 'size'> & { size: number };
const PORTAL_ATTACHMENT_COLUMNS: string = PORTAL_ATTACHMENT;

const PORTAL_OBSERVABLE_COLUMNS = columns(ObservableEntity, 'ob', { pick: ['id', 'caseId', 'dataType', 'data', 'message', 'createdAt'] });
export type PortalObservableRow = RowOf<typeof PORTAL_OBSERVABLE_COLUMNS>;

export async function listCases(ctx: RequestContext): Promise<PortalCaseRow[]> {
  const q = new Sql();
  return rows<PortalCaseRow>(
    ctx.db,
    `SELECT ${PORTAL_CASE_COLUMNS} FROM "case" c WHERE ${portalCaseScope(ctx, q)} ORDER BY c.created_at DESC, c.id DESC`,
    q.params,
  );
}

/** A case the caller sees in the portal (R23), else null. */
export async function findCase(ctx: RequestContext, id: string, db: Queryable = ctx.db, lock = false): Promise<PortalCaseRow | null> {
  if (!isUuid(id)) return null;
  // Lock first, then read through the scope in a fresh statement: a revoke or unshare that
  // committed while this write waited is seen (see lockCaseOf).
  if (lock) await lockCaseOf(db, 'case', id, 'share');
  const q = new Sql();
  return (await one<PortalCaseRow>(db, `SELECT ${PORTAL_CASE_COLUMNS} FROM "case" c WHERE c.id = ${q.p(id)} AND ${portalCaseScope(ctx, q)}`, q.params)) ?? null;
}

/** For writes inside a transaction, lock = true keeps the case from being deleted before the insert. */
async function requireCase(ctx: RequestContext, id: string, db: Queryable = ctx.db, lock = false): Promise<PortalCaseRow> {
  const row = await findCase(ctx, id, db, lock);
  if (!row) throw new NotFoundError('Case');
  return row;
}

export function commentsByCaseSql(ctx: RequestContext, q: Sql, key: string) {
  return `SELECT ${PORTAL_COMMENT_COLUMNS} FROM comment cm JOIN "case" c ON c.id = cm.case_id JOIN app_user au ON au.id = cm.created_by
      WHERE cm.case_id = ${key} AND ${portalCommentScope(ctx, q)} ORDER BY cm.created_at, cm.id`;
}

export function attachmentsByCaseSql(ctx: RequestContext, q: Sql, key: string) {
  return `SELECT ${PORTAL_ATTACHMENT_COLUMNS} FROM attachment a JOIN "case" c ON c.id = a.case_id
      WHERE a.case_id = ${key} AND ${portalAttachmentScope(ctx, q)} ORDER BY a.created_at, a.id`;
}

export function observablesByCaseSql(ctx: RequestContext, q: Sql, key: string) {
  return `SELECT ${PORTAL_OBSERVABLE_COLUMNS} FROM observable ob JOIN "case" c ON c.id = ob.case_id
      WHERE ob.case_id = ${key} AND ${portalObservableScope(ctx, q)} ORDER BY ob.created_at, ob.id`;
}

/** R26: a case owned by the caller's organisation (owner share, numbering, audit) and granted to the caller. */
export async function createCase(ctx: RequestContext, input: { title: string; description?: string | null; severity?: number | null }): Promise<PortalCaseRow> {
  // The same rules as the internal createCase.
  const title = requiredLine(input.title, 'title', MAX_TITLE);
  const description = optionalText(input.description ?? '', 'description', MAX_DESCRIPTION);
  const severity = validSeverity(input.severity ?? 2);
  return ctx.transaction(async (tx) => {
    const created = await insertCase(ctx, tx, { title, description, severity }, async (id) => ({ externalGrant: await grantToCreator(ctx, tx, id) }));
    return requireCase(ctx, created.id, tx);
  });
}

/** R24/R26: external by construction. */
export async function addComment(ctx: RequestContext, caseId: string, message: string): Promise<PortalCommentRow> {
  const text = validCommentMessage(message);
  return ctx.transaction(async (tx) => {
    const visible = await requireCase(ctx, caseId, tx, true);
    const row = await insertComment(ctx, tx, visible.id, text, { external: true, viaPortal: true });
    return { id: row.id, caseId: row.caseId, message: row.message, createdAt: row.createdAt, author: principalOf(ctx).name };
  });
}

/** R24/R26: visibility checked before a byte is read and again when the row is written. */
export async function addAttachment(ctx: RequestContext, caseId: string, file: Promise<FileUpload>): Promise<PortalAttachmentRow> {
  await requireCase(ctx, caseId);
  return withStoredUpload(ctx, file, (stored) =>
    ctx.transaction(async (tx) => {
      const visible = await requireCase(ctx, caseId, tx, true);
      const row = await insertAttachment(ctx, tx, visible.id, stored, { external: true, viaPortal: true });
      return { id: row.id, caseId: row.caseId, name: row.name, size: row.size, contentType: row.contentType, createdAt: row.createdAt };
    }),
  );
}

/**
 * R25/R26: created_by_external, so the portal shows it; shared like any new observable (R17) with
 * the caller's organisation's share and every share whose observable rule is ALL.
 */
export async function addObservable(
  ctx: RequestContext,
  caseId: string,
  input: { dataType: string; data: string; message?: string | null },
): Promise<PortalObservableRow> {
  // The same rules as the internal createObservable.
  const dataType = validDataType(input.dataType);
  const data = requiredText(input.data, 'data', MAX_OBSERVABLE_DATA);
  const message = optionalText(input.message ?? '', 'message', MAX_OBSERVABLE_MESSAGE);
  const p = principalOf(ctx);
  return ctx.transaction(async (tx) => {
    const visible = await requireCase(ctx, caseId, tx, true);
    const row = await one<PortalObservableRow>(
      tx,
      `INSERT INTO observable AS ob (case_id, data_type, data, message, created_by_external, created_by)
       VALUES ($1, $2, $3, $4, true, $5) RETURNING ${PORTAL_OBSERVABLE_COLUMNS}`,
      [visible.id, dataType, data, message, p.userId],
    );
    const share = await one<{ id: string }>(tx, 'SELECT id FROM share WHERE case_id = $1 AND organisation_id = $2', [visible.id, p.organisationId]);
    await linkNewObservable(tx, visible.id, row!.id, share?.id ?? null);
    await recordAudit(ctx, tx, {
      action: 'observable.create',
      objectType: 'Observable',
      objectId: row!.id,
      caseId: visible.id,
      details: { dataType, data, message, createdByExternal: true },
    });
    return row!;
  });
}
