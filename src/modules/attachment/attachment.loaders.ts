import type { RequestContext } from '../../context';
import { groupLoader } from '../../loaders';
import { AttachmentRow } from './attachment.shared';
import { attachmentsByCaseSql } from './attachment.service';

/** Case.attachments for every case of a page in one statement. */
export const attachmentsByCaseLoader = (ctx: RequestContext) =>
  ctx.loaders.get('attachment.byCase', () => groupLoader<AttachmentRow>(ctx, attachmentsByCaseSql(ctx), (r) => r.caseId));
