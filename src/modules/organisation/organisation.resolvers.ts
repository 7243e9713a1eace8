import type { Resolvers } from '../../generated/internal';
import { loaderOf } from '../../loaders';
import type { OrganisationRow } from '../../db/records/organisation';
import * as service from './organisation.service';
import { organisationLinks } from './organisation.loaders';
import { findVisibleOrganisation } from './organisation.shared';

export const organisationResolvers: Resolvers = {
  Query: {
    organisations: (_p, _a, ctx) => service.listOrganisations(ctx),
    organisation: (_p, { name }, ctx) => findVisibleOrganisation(ctx, name),
  },
  Mutation: {
    createOrganisation: (_p, { name, description }, ctx) => service.createOrganisation(ctx, name, description),
    updateOrganisation: (_p, { name, description }, ctx) => service.updateOrganisation(ctx, name, description),
    linkOrganisations: (_p, { from, to }, ctx) => service.linkOrganisations(ctx, from, to),
    unlinkOrganisations: (_p, { from, to }, ctx) => service.unlinkOrganisations(ctx, from, to),
  },
  Organisation: {
    links: (org: OrganisationRow, _a, ctx) => loaderOf(ctx, organisationLinks).load(org.id),
  },
};
