import type { Resolvers } from '../../generated/internal';
import { loaderOf } from '../../loaders';
import { checked } from '../../authz/checked';
import * as service from './attachment.service';
import { attachmentsByCase } from './attachment.loaders';
import { userRef } from '../user/user.loaders';
import { AttachmentRow } from '../../db/records/attachment';

export const attachmentResolvers: Resolvers = {
  Mutation: {
    addAttachment: (_p, args, ctx) => service.addAttachment(ctx, checked(args), args.file, args.external ?? false),
    setAttachmentExternal: (_p, args, ctx) => service.setAttachmentExternal(ctx, checked(args), args.external),
  },
  Case: {
    attachments: (c: { id: string }, _a, ctx) => loaderOf(ctx, attachmentsByCase).load(c.id),
  },
  Attachment: {
    createdBy: (a: AttachmentRow, _a, ctx) => userRef(ctx, a.createdById),
  },
};
