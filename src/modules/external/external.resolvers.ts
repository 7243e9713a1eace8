import type { Resolvers } from '../../generated/internal';
import { checked } from '../../authz/checked';
import type { RequestContext } from '../../context';
import * as service from './external.service';
import { asDate } from '../../scalars';
import { externalUsersByCaseLoader, sharedExternallyLoader } from './external.loaders';

/** A document may hold several mutations: what this request cached about grants is stale after one. */
async function thenForgetGrants<T>(ctx: RequestContext, write: Promise<T>): Promise<T> {
  const result = await write;
  externalUsersByCaseLoader(ctx).clearAll();
  sharedExternallyLoader(ctx).clearAll();
  return result;
}

export const externalResolvers: Resolvers = {
  Mutation: {
    createExternalUser: (_p, args, ctx) => service.createExternalUser(ctx, args),
    resendInvitation: (_p, { login }, ctx) => service.resendInvitation(ctx, login),
    grantExternalAccess: (_p, args, ctx) => thenForgetGrants(ctx, service.grantExternalAccess(ctx, checked(args), args.login, asDate(args.expiresAt))),
    revokeExternalAccess: (_p, args, ctx) => thenForgetGrants(ctx, service.revokeExternalAccess(ctx, checked(args), args.login)),
  },
  Case: {
    externalUsers: (c: { id: string }, _a, ctx) => externalUsersByCaseLoader(ctx).load(c.id),
    sharedExternally: async (c: { id: string }, _a, ctx) => (await sharedExternallyLoader(ctx).load(c.id))?.sharedExternally ?? false,
  },
};
