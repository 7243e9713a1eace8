import type { Resolvers } from '../../generated/internal';
import { loaderOf } from '../../loaders';
import { checked } from '../../authz/checked';
import * as service from './comment.service';
import { commentsByCase } from './comment.loaders';
import { userRef } from '../user/user.loaders';
import { CommentRow } from '../../db/records/comment';

export const commentResolvers: Resolvers = {
  Mutation: {
    addComment: (_p, args, ctx) => service.addComment(ctx, checked(args), args.message, args.external ?? false),
    setCommentExternal: (_p, args, ctx) => service.setCommentExternal(ctx, checked(args), args.external),
  },
  Case: {
    comments: (c: { id: string }, _a, ctx) => loaderOf(ctx, commentsByCase).load(c.id),
  },
  Comment: {
    createdBy: (c: CommentRow, _a, ctx) => userRef(ctx, c.createdById),
  },
};
