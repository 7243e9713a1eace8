import type { GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../../generated/internal';
import { isUuid } from '../../db/sql';
import { checked } from '../../authz/checked';
import { organisationById, loaderOf } from '../../loaders';
import { selectedFields } from '../../lookahead';
import type { CaseRow } from '../../db/records/case';
import { caseById } from '../case/case.loaders';
import type { AlertRow } from '../../db/records/alert';
import { alertById, alertObservables, similarCases } from './alert.loaders';
import * as service from './alert.service';
import { customFieldValueList } from '../custom-field/custom-field.values';

const wantsCount = (info: GraphQLResolveInfo) => selectedFields(info).has('totalCount');

export const alertResolvers: Resolvers = {
  Query: {
    alerts: (_p, args, ctx, info) => service.listAlerts(ctx, args, wantsCount(info)),
    alert: (_p, { id }, ctx) => (isUuid(id) ? loaderOf(ctx, alertById).load(id) : null),
  },
  Mutation: {
    createAlert: (_p, { input }, ctx) => service.createAlert(ctx, input),
    upsertAlert: (_p, { input }, ctx) => service.upsertAlert(ctx, input),
    updateAlert: (_p, args, ctx) => service.updateAlert(ctx, checked<AlertRow>(args, 'id'), args.input),
    markAlertRead: (_p, args, ctx) => service.markAlertRead(ctx, checked<AlertRow>(args, 'id'), args.read),
    ignoreAlert: (_p, args, ctx) => service.ignoreAlert(ctx, checked<AlertRow>(args, 'id'), args.ignored),
    deleteAlert: (_p, args, ctx) => service.deleteAlert(ctx, checked<AlertRow>(args, 'id')),
    promoteAlert: (_p, args, ctx) => service.promoteAlert(ctx, checked<AlertRow>(args, 'id'), args.caseTemplate),
    mergeAlert: (_p, args, ctx) => service.mergeAlert(ctx, checked<AlertRow>(args, 'id'), checked<CaseRow>(args, 'caseId')),
  },
  Alert: {
    observables: (a: AlertRow, _a, ctx) => loaderOf(ctx, alertObservables).load(a.id),
    customFields: (a: AlertRow, _a, ctx) => customFieldValueList(ctx, a.customFields),
    case: (a: AlertRow, _a, ctx) => (a.caseId ? loaderOf(ctx, caseById).load(a.caseId) : null),
    similarCases: (a: AlertRow, _a, ctx) => loaderOf(ctx, similarCases).load(a.id),
    organisation: (a: AlertRow, _a, ctx) => loaderOf(ctx, organisationById).load(a.organisationId),
  },
};
