import type { RequestContext } from '../../context';
import { OrganisationRow } from '../../db/records/organisation';
import { groupLoader } from '../../loaders';
import { linksLoaderSql } from './organisation.service';

/** Organisation.links for a whole page of organisations in one statement. */
export const linksLoader = (ctx: RequestContext) =>
  ctx.loaders.get('organisation.links', () => groupLoader<OrganisationRow & { fromId: string }>(ctx, linksLoaderSql(ctx), (r) => r.fromId));
