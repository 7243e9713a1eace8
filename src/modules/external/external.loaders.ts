import type { RequestContext } from '../../context';
import { UserRow } from '../../db/records/user';
import { groupLoader, byIdLoader } from '../../loaders';
import { externalUsersByCaseSql, sharedExternallySql } from './external.service';

/** Case.externalUsers for every case of a page in one statement. */
export const externalUsersByCaseLoader = (ctx: RequestContext) =>
  ctx.loaders.get('external.usersByCase', () => groupLoader<UserRow & { caseId: string }>(ctx, externalUsersByCaseSql(ctx), (r) => r.caseId));

/** Case.sharedExternally for every case of a page in one statement. */
export const sharedExternallyLoader = (ctx: RequestContext) =>
  ctx.loaders.get('external.sharedExternally', () => byIdLoader<{ id: string; sharedExternally: boolean }>(ctx, sharedExternallySql(ctx)));
