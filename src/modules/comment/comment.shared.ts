import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one } from '../../db/sql';
import { recordAudit } from '../audit-trail/audit-trail.shared';
import { requiredText } from '../validation';
import { CommentRow, COMMENT_COLUMNS } from '../../db/records/comment';

export const MAX_COMMENT_LENGTH = 100_000;

export function validCommentMessage(message: string): string {
  return requiredText(message, 'message', MAX_COMMENT_LENGTH);
}

/** Inserts and audits a comment on a case the caller may comment on (checked by the caller). Shared with the portal. */
export async function insertComment(
  ctx: RequestContext,
  tx: EntityManager,
  caseId: string,
  message: string,
  flags: { external: boolean; viaPortal: boolean },
): Promise<CommentRow> {
  const row = await one<CommentRow>(
    tx,
    `INSERT INTO comment AS cm (case_id, message, external, via_portal, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COMMENT_COLUMNS}`,
    [caseId, message, flags.external, flags.viaPortal, principalOf(ctx).userId],
  );
  await recordAudit(ctx, tx, {
    action: 'comment.create',
    objectType: 'Comment',
    objectId: row!.id,
    caseId,
    details: { message, external: flags.external, viaPortal: flags.viaPortal },
  });
  return row!;
}
