import type { Resolvers } from '../../generated/internal';
import { checked } from '../../authz/checked';
import * as service from './attachment.service';
import type { RequestContext } from '../../context';
import { attachmentsByCaseLoader } from './attachment.loaders';
import { userRef } from '../user/user.loaders';
import { AttachmentRow } from './attachment.shared';

/** A document may hold several mutations: attachments this request cached are stale after a write. */
async function thenForgetAttachments<T>(ctx: RequestContext, write: Promise<T>): Promise<T> {
  const result = await write;
  attachmentsByCaseLoader(ctx).clearAll();
  return result;
}

export const attachmentResolvers: Resolvers = {
  Mutation: {
    addAttachment: (_p, args, ctx) => thenForgetAttachments(ctx, service.addAttachment(ctx, checked(args), args.file, args.external ?? false)),
    setAttachmentExternal: (_p, args, ctx) => thenForgetAttachments(ctx, service.setAttachmentExternal(ctx, checked(args), args.external)),
  },
  Case: {
    attachments: (c: { id: string }, _a, ctx) => attachmentsByCaseLoader(ctx).load(c.id),
  },
  Attachment: {
    createdBy: (a: AttachmentRow, _a, ctx) => userRef(ctx, a.createdById),
  },
};
