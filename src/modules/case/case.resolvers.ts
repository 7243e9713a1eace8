import type { Resolvers } from '../../generated/internal';
import { isUuid } from '../../db/sql';
import { effectiveCasePermissions, explainAccess } from '../../authz/case-access';
import type { CaseRow } from './case.records';
import * as service from './case.service';
import { caseByIdLoader } from './case.loaders';
import { tasksByCaseLoader } from '../task/task.loaders';
import { observablesByCaseLoader } from '../observable/observable.loaders';
import { sharesByCaseLoader } from '../share/share.loaders';
import { userRef } from '../user/user.loaders';

/** Case fields comments, attachments, externalUsers and sharedExternally live in their own modules. */
export const caseResolvers: Resolvers = {
  Query: {
    cases: (_p, args, ctx) => service.listCases(ctx, args),
    case: (_p, { id }, ctx) => (isUuid(id) ? caseByIdLoader(ctx).load(id) : null),
    explainAccess: (_p, { caseId, permission }, ctx) => explainAccess(ctx, caseId, permission),
  },
  Mutation: {
    createCase: (_p, { input }, ctx) => service.createCase(ctx, input),
    updateCase: (_p, { id, input }, ctx) => service.updateCase(ctx, id, input),
    deleteCase: (_p, { id }, ctx) => service.deleteCase(ctx, id),
    assignCase: (_p, { id, login }, ctx) => service.assignCase(ctx, id, login),
  },
  Case: {
    assignee: (c: CaseRow, _a, ctx) => userRef(ctx, c.assigneeId),
    organisation: (c: CaseRow, _a, ctx) => ctx.loaders.organisation.load(c.organisationId),
    createdBy: (c: CaseRow, _a, ctx) => userRef(ctx, c.createdById),
    shares: (c: CaseRow, _a, ctx) => sharesByCaseLoader(ctx).load(c.id),
    tasks: (c: CaseRow, _a, ctx) => tasksByCaseLoader(ctx).load(c.shareId),
    observables: (c: CaseRow, _a, ctx) => observablesByCaseLoader(ctx).load(c.shareId),
    myPermissions: (c: CaseRow, _a, ctx) => effectiveCasePermissions(ctx, c),
  },
};
