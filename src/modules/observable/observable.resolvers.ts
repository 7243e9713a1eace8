import type { Resolvers } from '../../generated/internal';
import { loaderOf } from '../../loaders';
import { checked } from '../../authz/checked';
import { isUuid } from '../../db/sql';
import { ObservableFields } from '../../db/records/observable';
import { OBSERVABLE_DATA_TYPES } from './observable.shared';
import * as service from './observable.service';
import { observableById } from './observable.loaders';
import { observableHolders } from './observable.loaders';
import { userRef } from '../user/user.loaders';

export const observableResolvers: Resolvers = {
  Query: {
    observable: (_p, { id }, ctx) => (isUuid(id) ? loaderOf(ctx, observableById).load(id) : null),
    observableDataTypes: () => [...OBSERVABLE_DATA_TYPES],
  },
  Mutation: {
    createObservable: (_p, args, ctx) => service.createObservable(ctx, checked(args), args.input),
    updateObservable: (_p, args, ctx) => service.updateObservable(ctx, checked(args), args.input),
    deleteObservable: (_p, args, ctx) => service.deleteObservable(ctx, checked(args)),
  },
  Observable: {
    createdBy: (o: ObservableFields, _a, ctx) => userRef(ctx, o.createdById),
    sharedWith: (o: ObservableFields, _a, ctx) => loaderOf(ctx, observableHolders).load(o.id),
  },
};
