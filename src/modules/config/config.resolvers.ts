import type { Resolvers } from '../../generated/internal';
import * as service from './config.service';

export const configResolvers: Resolvers = {
  Query: {
    config: (_p, _a, ctx) => service.listConfig(ctx),
  },
  Mutation: {
    setConfig: (_p, { key, value }, ctx) => service.setConfig(ctx, key, value),
    resetConfig: (_p, { key }, ctx) => service.resetConfig(ctx, key),
  },
};
