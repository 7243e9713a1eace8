import type { Resolvers } from '../../generated/internal';
import * as service from './profile.service';
import { findProfile } from './profile.shared';

export const profileResolvers: Resolvers = {
  Query: {
    profiles: (_p, _a, ctx) => service.listProfiles(ctx),
    profile: (_p, { name }, ctx) => findProfile(ctx.db, name),
  },
  Mutation: {
    createProfile: (_p, { name, permissions, external }, ctx) => service.createProfile(ctx, name, permissions, external ?? false),
    updateProfile: (_p, { name, permissions }, ctx) => service.updateProfile(ctx, name, permissions),
    deleteProfile: (_p, { name }, ctx) => service.deleteProfile(ctx, name),
  },
};
