import type { Resolvers } from '../../generated/internal';
import { checked } from '../../authz/checked';
import { userRef } from '../user/user.loaders';
import { caseReads, ReadRecordRow } from './ledger.query';
import { organisationById, loaderOf } from '../../loaders';

export const ledgerResolvers: Resolvers = {
  Query: {
    caseReads: (_p, args, ctx) => caseReads(ctx, checked<{ id: string }>(args).row, args),
  },
  ReadRecord: {
    // R29: a reader the owner organisation cannot see is the hidden user.
    user: async (r: ReadRecordRow, _a, ctx) => (await userRef(ctx, r.userId))!,
    organisation: (r: ReadRecordRow, _a, ctx) => loaderOf(ctx, organisationById).load(r.organisationId),
  },
};
