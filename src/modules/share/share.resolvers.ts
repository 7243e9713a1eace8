import type { Resolvers } from '../../generated/internal';
import type { ShareRow } from './share.records';
import * as service from './share.service';
import { shareByIdLoader } from './share.loaders';
import { userRef } from '../user/user.loaders';

export const shareResolvers: Resolvers = {
  Mutation: {
    shareCase: (_p, { caseId, organisation, profile, tasks, observables }, ctx) =>
      service.shareCase(ctx, caseId, organisation, profile, tasks ?? 'MANUAL', observables ?? 'MANUAL'),
    unshareCase: (_p, { caseId, organisation }, ctx) => service.unshareCase(ctx, caseId, organisation),
    updateShare: (_p, { caseId, organisation, profile }, ctx) => service.updateShare(ctx, caseId, organisation, profile),
    shareTask: (_p, { taskId, organisation }, ctx) => service.shareTask(ctx, taskId, organisation),
    unshareTask: (_p, { taskId, organisation }, ctx) => service.unshareTask(ctx, taskId, organisation),
    shareObservable: (_p, { observableId, organisation }, ctx) => service.shareObservable(ctx, observableId, organisation),
    unshareObservable: (_p, { observableId, organisation }, ctx) => service.unshareObservable(ctx, observableId, organisation),
  },
  Share: {
    organisation: (s: ShareRow, _a, ctx) => ctx.loaders.organisation.load(s.organisationId),
    profile: (s: ShareRow, _a, ctx) => ctx.loaders.profile.load(s.profileId),
    via: (s: ShareRow, _a, ctx) => (s.viaShareId ? shareByIdLoader(ctx).load(s.viaShareId) : null),
    createdBy: (s: ShareRow, _a, ctx) => userRef(ctx, s.createdById),
  },
};
