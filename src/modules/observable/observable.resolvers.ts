import type { Resolvers } from '../../generated/internal';
import { isUuid } from '../../db/sql';
import { OBSERVABLE_DATA_TYPES, ObservableFields } from './observable.records';
import * as service from './observable.service';
import { observableByIdLoader } from './observable.loaders';
import { caseByIdLoader } from '../case/case.loaders';
import { observableSharedWithLoader } from '../share/share.loaders';
import { userRef } from '../user/user.loaders';

export const observableResolvers: Resolvers = {
  Query: {
    observable: (_p, { id }, ctx) => (isUuid(id) ? observableByIdLoader(ctx).load(id) : null),
    observableDataTypes: () => [...OBSERVABLE_DATA_TYPES],
  },
  Mutation: {
    createObservable: (_p, { caseId, input }, ctx) => service.createObservable(ctx, caseId, input),
    updateObservable: (_p, { id, input }, ctx) => service.updateObservable(ctx, id, input),
    deleteObservable: (_p, { id }, ctx) => service.deleteObservable(ctx, id),
  },
  Observable: {
    createdBy: (o: ObservableFields, _a, ctx) => userRef(ctx, o.createdById),
    case: (o: ObservableFields, _a, ctx) => caseByIdLoader(ctx).load(o.caseId),
    sharedWith: (o: ObservableFields, _a, ctx) => observableSharedWithLoader(ctx).load(o.id),
  },
};
