import type { Resolvers } from '../../generated/internal';
import { loaderOf } from '../../loaders';
import { checked } from '../../authz/checked';
import * as service from './external.service';
import { asDate } from '../../scalars';
import { externalUsersByCase, sharedExternally } from './external.loaders';

export const externalResolvers: Resolvers = {
  Mutation: {
    createExternalUser: (_p, args, ctx) => service.createExternalUser(ctx, args),
    resendInvitation: (_p, { login }, ctx) => service.resendInvitation(ctx, login),
    grantExternalAccess: (_p, args, ctx) => service.grantExternalAccess(ctx, checked(args), args.login, asDate(args.expiresAt)),
    revokeExternalAccess: (_p, args, ctx) => service.revokeExternalAccess(ctx, checked(args), args.login),
  },
  Case: {
    externalUsers: (c: { id: string }, _a, ctx) => loaderOf(ctx, externalUsersByCase).load(c.id),
    sharedExternally: async (c: { id: string }, _a, ctx) => (await loaderOf(ctx, sharedExternally).load(c.id))?.sharedExternally ?? false,
  },
};
