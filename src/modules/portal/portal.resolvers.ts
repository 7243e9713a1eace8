import type { Resolvers } from '../../generated/portal';
import { loaderOf } from '../../loaders';
import { principalOf } from '../../context';
import * as auth from '../auth/auth.service';
import { acceptInvitation } from '../external/external.service';
import * as service from './portal.service';
import { portalAttachments, portalComments, portalObservables } from './portal.loaders';
import { userRef } from '../user/user.loaders';
import { PORTAL_PERMISSIONS } from '../../authz/permissions';
import { OBSERVABLE_DATA_TYPES } from '../observable/observable.shared';
import { recordRead } from '../ledger/ledger.shared';

/** /portal/graphql (R21–R27): thin resolvers over portal.service, whose every statement goes through the portal scopes. */
export const portalResolvers: Resolvers = {
  Query: {
    me: (_p, _a, ctx) => userRef(ctx, principalOf(ctx).userId),
    cases: (_p, _a, ctx) => service.listCases(ctx),
    case: async (_p, { id }, ctx) => {
      const found = await service.findCase(ctx, id);
      if (found) recordRead(ctx, { kind: 'CASE_VIEW', caseId: found.id, objectId: found.id }); // R40
      return found;
    },
  },
  Mutation: {
    login: (_p, { login, password }, ctx) => auth.login(ctx, login, password),
    logout: (_p, _a, ctx) => auth.logout(ctx),
    acceptInvitation: (_p, { token, password }, ctx) => acceptInvitation(ctx, token, password),
    createCase: (_p, { input }, ctx) => service.createCase(ctx, input),
    addComment: (_p, { caseId, message }, ctx) => service.addComment(ctx, caseId, message),
    addAttachment: (_p, { caseId, file }, ctx) => service.addAttachment(ctx, caseId, file),
    addObservable: (_p, { caseId, input }, ctx) => service.addObservable(ctx, caseId, input),
  },
  // What the portal page may offer the caller; the writes are still checked by their @requires.
  PortalUser: {
    permissions: (u: { id: string }, _a, ctx) => (ctx.principal?.userId === u.id ? PORTAL_PERMISSIONS.filter((p) => ctx.principal!.permissions.has(p)) : []),
    maxUploadBytes: (_u, _a, ctx) => ctx.settings.maxUploadBytes,
    observableDataTypes: () => [...OBSERVABLE_DATA_TYPES],
  },
  PortalCase: {
    comments: (c: service.PortalCaseRow, _a, ctx) => loaderOf(ctx, portalComments).load(c.id),
    attachments: (c: service.PortalCaseRow, _a, ctx) => loaderOf(ctx, portalAttachments).load(c.id),
    observables: (c: service.PortalCaseRow, _a, ctx) => loaderOf(ctx, portalObservables).load(c.id),
  },
};
