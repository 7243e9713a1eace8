import type { Resolvers } from '../../generated/internal';
import { principalOf } from '../../context';
import { UserRow } from '../../db/records/user';
import { organisationById, profileById, loaderOf } from '../../loaders';
import * as auth from '../auth/auth.service';
import * as service from './user.service';
import { memberships, userRef } from './user.loaders';
import { findVisibleUser } from './user.shared';

export const userResolvers: Resolvers = {
  Query: {
    me: (_p, _a, ctx) => userRef(ctx, principalOf(ctx).userId),
    users: (_p, _a, ctx) => service.listUsers(ctx),
    user: (_p, { login }, ctx) => findVisibleUser(ctx, login),
  },
  Mutation: {
    login: (_p, { login, password }, ctx) => auth.login(ctx, login, password),
    logout: (_p, _a, ctx) => auth.logout(ctx),
    createUser: (_p, args, ctx) => service.createUser(ctx, args),
    setMembership: (_p, { login, organisation, profile }, ctx) => service.setMembership(ctx, login, organisation, profile),
    removeMembership: (_p, { login, organisation }, ctx) => service.removeMembership(ctx, login, organisation),
    lockUser: (_p, { login, locked }, ctx) => service.lockUser(ctx, login, locked),
    setPassword: (_p, { login, password }, ctx) => service.setPassword(ctx, login, password),
    createApiKey: (_p, { login }, ctx) => service.createApiKey(ctx, login),
  },
  User: {
    memberships: (u: UserRow, _a, ctx) => loaderOf(ctx, memberships).load(u.id),
  },
  Membership: {
    organisation: (m: service.MembershipRow, _a, ctx) => loaderOf(ctx, organisationById).load(m.organisationId),
    profile: (m: service.MembershipRow, _a, ctx) => loaderOf(ctx, profileById).load(m.profileId),
  },
};
