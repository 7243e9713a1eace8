import type { RequestContext } from '../../context';
import { groupLoader } from '../../loaders';
import { CommentRow } from '../../db/records/comment';
import { commentsByCaseSql } from './comment.service';

/** Case.comments for every case of a page in one statement. */
export const commentsByCaseLoader = (ctx: RequestContext) =>
  ctx.loaders.get('comment.byCase', () => groupLoader<CommentRow>(ctx, commentsByCaseSql(ctx), (r) => r.caseId));
