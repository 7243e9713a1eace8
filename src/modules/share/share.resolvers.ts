import type { Resolvers } from '../../generated/internal';
import { checked } from '../../authz/checked';
import type { ShareRow } from '../../db/records/share';
import type { ShareRefs } from './share.loaders';
import * as service from './share.service';
import { shareById } from './share.loaders';
import { userRef } from '../user/user.loaders';
import { organisationById, profileById, loaderOf } from '../../loaders';
import { asDate } from '../../scalars';

export const shareResolvers: Resolvers = {
  Mutation: {
    shareCase: (_p, args, ctx) =>
      service.shareCase(ctx, checked(args), args.organisation, args.profile, args.tasks ?? 'MANUAL', args.observables ?? 'MANUAL', asDate(args.expiresAt)),
    setShareExpiry: (_p, args, ctx) => service.setShareExpiry(ctx, checked(args), args.organisation, asDate(args.expiresAt)),
    unshareCase: (_p, args, ctx) => service.unshareCase(ctx, checked(args), args.organisation),
    updateShare: (_p, args, ctx) => service.updateShare(ctx, checked(args), args.organisation, args.profile),
    shareTask: (_p, args, ctx) => service.shareTask(ctx, checked(args), args.organisation),
    unshareTask: (_p, args, ctx) => service.unshareTask(ctx, checked(args), args.organisation),
    shareObservable: (_p, args, ctx) => service.shareObservable(ctx, checked(args), args.organisation),
    unshareObservable: (_p, args, ctx) => service.unshareObservable(ctx, checked(args), args.organisation),
  },
  Share: {
    // Rows of Case.shares (sharesOfCase) carry their organisation and profile, read in the same
    // statement that primed these loaders: returned as they are, without a loader promise each.
    organisation: (s: ShareRow & Partial<ShareRefs>, _a, ctx) => s.org ?? loaderOf(ctx, organisationById).load(s.organisationId),
    profile: (s: ShareRow & Partial<ShareRefs>, _a, ctx) => s.profile ?? loaderOf(ctx, profileById).load(s.profileId),
    via: (s: ShareRow, _a, ctx) => (s.viaShareId ? loaderOf(ctx, shareById).load(s.viaShareId) : null),
    createdBy: (s: ShareRow, _a, ctx) => userRef(ctx, s.createdById),
  },
};
