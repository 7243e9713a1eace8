import type { Resolvers } from '../../generated/internal';
import { customFieldValueList } from '../custom-field/custom-field.values';
import type { CaseTemplateRow } from '../../db/records/case-template';
import * as service from './case-template.service';

export const caseTemplateResolvers: Resolvers = {
  Query: {
    caseTemplates: (_p, _a, ctx) => service.listCaseTemplates(ctx),
  },
  Mutation: {
    createCaseTemplate: (_p, { input }, ctx) => service.createCaseTemplate(ctx, input),
    updateCaseTemplate: (_p, { name, input }, ctx) => service.updateCaseTemplate(ctx, name, input),
    deleteCaseTemplate: (_p, { name }, ctx) => service.deleteCaseTemplate(ctx, name),
  },
  CaseTemplate: {
    customFields: (t: CaseTemplateRow, _a, ctx) => customFieldValueList(ctx, t.customFields),
  },
};
