import type { Resolvers } from '../../generated/internal';
import { liveFeed } from './live-feed';

export const liveFeedResolvers: Resolvers = {
  Subscription: {
    liveFeed: {
      subscribe: (_p, _a, ctx) => liveFeed(ctx),
      resolve: (entry: unknown) => entry,
    },
  },
};
