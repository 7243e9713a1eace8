import { OrganisationRow } from '../../db/records/organisation';
import { defineLoader } from '../../loaders';
import { linksLoaderSql } from './organisation.service';

declare module '../../loader-map' {
  interface LoaderMap {
    'organisation.links': { many: OrganisationRow & { fromId: string } };
  }
}

/** Organisation.links for a whole page of organisations in one statement. */
export const organisationLinks = defineLoader({ name: 'organisation.links', many: linksLoaderSql, keyOf: (r) => r.fromId });
