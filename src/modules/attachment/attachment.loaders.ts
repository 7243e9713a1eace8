import type { RequestContext } from '../../context';
import { groupLoader } from '../../loaders';
import { AttachmentRow } from '../../db/records/attachment';
import { attachmentsByCaseSql } from './attachment.service';

/** Case.attachments for every case of a page in one statement. */
export const attachmentsByCaseLoader = (ctx: RequestContext) =>
  ctx.loaders.get('attachment.byCase', () => groupLoader<AttachmentRow>(ctx, attachmentsByCaseSql(ctx), (r) => r.caseId));
