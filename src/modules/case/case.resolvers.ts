import type { GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../../generated/internal';
import { isUuid } from '../../db/sql';
import { checked } from '../../authz/checked';
import { effectiveCasePermissions, explainAccess } from '../../authz/case-access';
import type { CaseRow } from '../../db/records/case';
import type { TaskFields } from '../../db/records/task';
import type { ObservableFields } from '../../db/records/observable';
import * as service from './case.service';
import { caseById } from './case.loaders';
import { tasksByShare } from '../task/task.loaders';
import { observablesByShare } from '../observable/observable.loaders';
import { sharesOfCase } from '../share/share.loaders';
import { userRef } from '../user/user.loaders';
import { selectedFields } from '../../lookahead';
import { primedOn, organisationById, loaderOf } from '../../loaders';

/** Case fields whose rows the page statement nests (each read through its loader's own SQL). */
const NESTABLE: Record<string, service.NestedRelation> = {
  tasks: { relation: tasksByShare, key: 'shareId' },
  observables: { relation: observablesByShare, key: 'shareId' },
  shares: { relation: sharesOfCase, key: 'id' },
};

function pageSelection(info: GraphQLResolveInfo): service.CasePageSelection {
  const node = selectedFields(info, ['edges', 'node']);
  return {
    totalCount: selectedFields(info).has('totalCount'),
    nested: Object.keys(NESTABLE)
      .filter((f) => node.has(f))
      .map((f) => NESTABLE[f]!),
  };
}

/** Case fields comments, attachments, externalUsers and sharedExternally live in their own modules. */
export const caseResolvers: Resolvers = {
  Query: {
    cases: (_p, args, ctx, info) => service.listCases(ctx, args, pageSelection(info)),
    case: (_p, { id }, ctx) => (isUuid(id) ? loaderOf(ctx, caseById).load(id) : null),
    explainAccess: (_p, { caseId, permission }, ctx) => explainAccess(ctx, caseId, permission),
  },
  Mutation: {
    // R32: a value of the case, so the case module writes it (custom-field only defines the fields).
    setCustomField: (_p, args, ctx) => service.setCustomField(ctx, checked(args), args.name, args.value),
    createCase: (_p, { input }, ctx) => service.createCase(ctx, input),
    updateCase: (_p, args, ctx) => service.updateCase(ctx, checked(args), args.input),
    deleteCase: (_p, args, ctx) => service.deleteCase(ctx, checked(args)),
    assignCase: (_p, args, ctx) => service.assignCase(ctx, checked(args), args.login),
  },
  Case: {
    assignee: (c: CaseRow, _a, ctx) => userRef(ctx, c.assigneeId),
    organisation: (c: CaseRow, _a, ctx) => loaderOf(ctx, organisationById).load(c.organisationId),
    createdBy: (c: CaseRow, _a, ctx) => userRef(ctx, c.createdById),
    shares: (c: CaseRow, _a, ctx) => primedOn(c, sharesOfCase) ?? loaderOf(ctx, sharesOfCase).load(c.id),
    tasks: (c: CaseRow, _a, ctx) => primedOn(c, tasksByShare) ?? loaderOf(ctx, tasksByShare).load(c.shareId),
    observables: (c: CaseRow, _a, ctx) => primedOn(c, observablesByShare) ?? loaderOf(ctx, observablesByShare).load(c.shareId),
    myPermissions: (c: CaseRow, _a, ctx) => effectiveCasePermissions(ctx, c),
  },
  // The way back from a case's items, here with the case's loader: the item modules import nothing of this one.
  Task: {
    case: (t: TaskFields, _a, ctx) => loaderOf(ctx, caseById).load(t.caseId),
  },
  Observable: {
    case: (o: ObservableFields, _a, ctx) => loaderOf(ctx, caseById).load(o.caseId),
  },
};
