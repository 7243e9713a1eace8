import type { Resolvers } from '../../generated/internal';
import { checked } from '../../authz/checked';
import * as service from './comment.service';
import type { RequestContext } from '../../context';
import { commentsByCaseLoader } from './comment.loaders';
import { userRef } from '../user/user.loaders';
import { CommentRow } from './comment.shared';

/** A document may hold several mutations: comments this request cached are stale after a write. */
async function thenForgetComments<T>(ctx: RequestContext, write: Promise<T>): Promise<T> {
  const result = await write;
  commentsByCaseLoader(ctx).clearAll();
  return result;
}

export const commentResolvers: Resolvers = {
  Mutation: {
    addComment: (_p, args, ctx) => thenForgetComments(ctx, service.addComment(ctx, checked(args), args.message, args.external ?? false)),
    setCommentExternal: (_p, args, ctx) => thenForgetComments(ctx, service.setCommentExternal(ctx, checked(args), args.external)),
  },
  Case: {
    comments: (c: { id: string }, _a, ctx) => commentsByCaseLoader(ctx).load(c.id),
  },
  Comment: {
    createdBy: (c: CommentRow, _a, ctx) => userRef(ctx, c.createdById),
  },
};
