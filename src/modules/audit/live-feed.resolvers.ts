import type { Resolvers } from '../../generated/internal';
import { FeedEvent, liveFeed } from './live-feed';

export const liveFeedResolvers: Resolvers = {
  Subscription: {
    liveFeed: {
      subscribe: (_p, _a, ctx) => liveFeed(ctx),
      // R30a: a feed whose credentials ended delivers that error (UNAUTHENTICATED/FORBIDDEN), then completes.
      resolve: (event: FeedEvent) => {
        if ('end' in event) throw event.end;
        return event;
      },
    },
  },
};
