import type { Resolvers } from '../../generated/internal';
import * as service from './attachment.service';
import type { RequestContext } from '../../context';
import { attachmentsByCaseLoader } from './attachment.loaders';
import { userRef } from '../user/user.loaders';

/** A document may hold several mutations: attachments this request cached are stale after a write. */
async function thenForgetAttachments<T>(ctx: RequestContext, write: Promise<T>): Promise<T> {
  const result = await write;
  attachmentsByCaseLoader(ctx).clearAll();
  return result;
}

export const attachmentResolvers: Resolvers = {
  Mutation: {
    addAttachment: (_p, { caseId, file, external }, ctx) => thenForgetAttachments(ctx, service.addAttachment(ctx, caseId, file, external ?? false)),
    setAttachmentExternal: (_p, { id, external }, ctx) => thenForgetAttachments(ctx, service.setAttachmentExternal(ctx, id, external)),
  },
  Case: {
    attachments: (c: { id: string }, _a, ctx) => attachmentsByCaseLoader(ctx).load(c.id),
  },
  Attachment: {
    createdBy: (a: service.AttachmentRow, _a, ctx) => userRef(ctx, a.createdById),
  },
};
