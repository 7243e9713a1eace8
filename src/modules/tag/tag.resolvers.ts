import type { Resolvers } from '../../generated/internal';
import * as service from './tag.service';

export const tagResolvers: Resolvers = {
  Query: {
    tags: (_p, _a, ctx) => service.listTags(ctx),
  },
  Mutation: {
    createTag: (_p, { name, colour, description }, ctx) => service.createTag(ctx, name, colour, description),
    updateTag: (_p, { name, input }, ctx) => service.updateTag(ctx, name, input),
    deleteTag: (_p, { name }, ctx) => service.deleteTag(ctx, name),
  },
};
