import type { RequestContext } from '../../context';
import { Sql } from '../../db/sql';
import { caseScopeJoin } from '../../authz/scopes';
import type { Checked } from '../../authz/checked';
import type { CaseRow } from '../../db/records/case';
import { setExternalFlag } from '../external/external-flag';
import { CommentRow, COMMENT_COLUMNS } from '../../db/records/comment';
import { validCommentMessage, insertComment } from './comment.shared';

/** R19/R24: the field's rule checks the case, with its external-share part when the comment is shown in the portal. */
export async function addComment(ctx: RequestContext, target: Checked<CaseRow>, message: string, external: boolean): Promise<CommentRow> {
  const text = validCommentMessage(message);
  return ctx.transaction(async (tx) => {
    // FOR SHARE: the case cannot be deleted between this check and the insert.
    const access = await target.lock(tx, 'share');
    return insertComment(ctx, tx, access.id, text, { external, viaPortal: false });
  });
}

/** R24: shows or hides a comment in the portal (the field's rule checks the case). */
export function setCommentExternal(ctx: RequestContext, target: Checked<{ id: string }>, external: boolean): Promise<CommentRow> {
  return setExternalFlag<CommentRow>(ctx, { table: 'comment', alias: 'cm', columns: COMMENT_COLUMNS, objectType: 'Comment' }, target, external);
}

/** Case.comments for a page of cases: one statement per batch, through the case scope (R13, R17). */
export function commentsByCaseSql(ctx: RequestContext, q: Sql, key: string) {
  return `SELECT ${COMMENT_COLUMNS} FROM comment cm JOIN "case" c ON c.id = cm.case_id ${caseScopeJoin(ctx, q)}
      WHERE cm.case_id = ${key} ORDER BY cm.created_at, cm.id`;
}
