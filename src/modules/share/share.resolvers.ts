import type { Resolvers } from '../../generated/internal';
import type { ShareRow } from './share.records';
import type { ShareRefs } from './share.loaders';
import * as service from './share.service';

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
    // Rows of Case.shares (sharesOfCase) carry their organisation and profile, read in the same
    // statement that primed these loaders: returned as they are, without a loader promise each.
    organisation: (s: ShareRow & Partial<ShareRefs>, _a, ctx) => s.org ?? ctx.loaders.organisation.load(s.organisationId),
    profile: (s: ShareRow & Partial<ShareRefs>, _a, ctx) => s.profile ?? ctx.loaders.profile.load(s.profileId),
  },
};
