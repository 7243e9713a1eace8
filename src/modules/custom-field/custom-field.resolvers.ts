import type { Resolvers } from '../../generated/internal';
import type { CaseRow } from '../../db/records/case';
import { customFieldValueList } from './custom-field.values';
import * as service from './custom-field.service';

export const customFieldResolvers: Resolvers = {
  Query: {
    customFields: (_p, _a, ctx) => service.listCustomFields(ctx),
  },
  Mutation: {
    createCustomField: (_p, { input }, ctx) => service.createCustomField(ctx, input),
    updateCustomField: (_p, { name, input }, ctx) => service.updateCustomField(ctx, name, input),
    deleteCustomField: (_p, { name }, ctx) => service.deleteCustomField(ctx, name),
  },
  Case: {
    customFields: (c: CaseRow, _a, ctx) => customFieldValueList(ctx, c.customFields),
  },
};
