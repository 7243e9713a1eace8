import type { Resolvers } from '../../generated/internal';
import { checked } from '../../authz/checked';
import { organisationById, loaderOf } from '../../loaders';
import type { CaseRow } from '../../db/records/case';
import { userRef } from '../user/user.loaders';
import * as service from './disclosure.service';
import type { ExternalDisclosure, OrganisationDisclosure } from './disclosure.service';

/** R38. Each list is read only when selected: one statement per list for all the organisations or external users listed. */
export const disclosureResolvers: Resolvers = {
  Query: {
    disclosure: (_p, args, ctx) => service.disclosure(ctx, checked<CaseRow>(args).row),
  },
  OrganisationDisclosure: {
    organisation: (d: OrganisationDisclosure, _a, ctx) => loaderOf(ctx, organisationById).load(d.share.organisationId),
    share: (d: OrganisationDisclosure) => d.share,
    tasks: (d: OrganisationDisclosure, _a, ctx) => service.tasksSeen(ctx, d),
    observables: (d: OrganisationDisclosure, _a, ctx) => service.observablesSeen(ctx, d),
  },
  ExternalDisclosure: {
    // R29: a user the caller cannot see is the hidden user.
    user: async (x: ExternalDisclosure, _a, ctx) => (await userRef(ctx, x.userId))!,
    comments: (x: ExternalDisclosure, _a, ctx) => service.portalCommentsSeen(ctx, x),
    attachments: (x: ExternalDisclosure, _a, ctx) => service.portalAttachmentsSeen(ctx, x),
    observables: (x: ExternalDisclosure, _a, ctx) => service.portalObservablesSeen(ctx, x),
  },
};
