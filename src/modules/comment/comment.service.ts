import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one, Sql } from '../../db/sql';
import { caseScopeJoin } from '../../authz/scopes';
import type { Checked } from '../../authz/checked';
import type { CaseRow } from '../../db/records/case';
import { recordAudit } from '../audit/audit.service';
import { setExternalFlag } from '../external/external-flag';
import { requiredText } from '../validation';

export const MAX_COMMENT_LENGTH = 100_000;

export interface CommentRow {
  id: string;
  caseId: string;
  message: string;
  external: boolean;
  viaPortal: boolean;
  createdById: string;
  createdAt: Date;
}

export const COMMENT_COLUMNS = `cm.id, cm.case_id AS "caseId", cm.message, cm.external, cm.via_portal AS "viaPortal",
  cm.created_by AS "createdById", cm.created_at AS "createdAt"`;

export function validCommentMessage(message: string): string {
  return requiredText(message, 'message', MAX_COMMENT_LENGTH);
}

/** Inserts and audits a comment on a case the caller may comment on (checked by the caller). Shared with the portal. */
export async function insertComment(ctx: RequestContext, tx: EntityManager, caseId: string, message: string, flags: { external: boolean; viaPortal: boolean }): Promise<CommentRow> {
  const row = await one<CommentRow>(tx,
    `INSERT INTO comment AS cm (case_id, message, external, via_portal, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COMMENT_COLUMNS}`,
    [caseId, message, flags.external, flags.viaPortal, principalOf(ctx).userId]);
  await recordAudit(ctx, tx, {
    action: 'comment.create', objectType: 'Comment', objectId: row!.id, caseId,
    details: { message, external: flags.external, viaPortal: flags.viaPortal },
  });
  return row!;
}

/** R19/R24: manageCase on the case, and manageExternalShare too when the comment is shown in the portal. */
export async function addComment(ctx: RequestContext, target: Checked<CaseRow>, message: string, external: boolean): Promise<CommentRow> {
  const text = validCommentMessage(message);
  return ctx.transaction(async (tx) => {
    // FOR SHARE: the case cannot be deleted between this check and the insert.
    const access = await target.lock(tx, 'share');
    return insertComment(ctx, tx, access.id, text, { external, viaPortal: false });
  });
}

/** R24: shows or hides a comment in the portal; needs manageExternalShare on its case. */
export function setCommentExternal(ctx: RequestContext, target: Checked<{ id: string }>, external: boolean): Promise<CommentRow> {
  return setExternalFlag<CommentRow>(ctx, { table: 'comment', alias: 'cm', columns: COMMENT_COLUMNS, objectType: 'Comment' }, target, external);
}

/** Case.comments for a page of cases: one statement per batch, through the case scope (R13, R17). */
export function commentsByCaseSql(ctx: RequestContext) {
  return (q: Sql, keys: string) =>
    `SELECT ${COMMENT_COLUMNS} FROM comment cm JOIN "case" c ON c.id = cm.case_id ${caseScopeJoin(ctx, q)}
      WHERE cm.case_id = ANY(${keys}) ORDER BY cm.created_at, cm.id`;
}
