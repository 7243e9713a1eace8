import type { Resolvers } from '../../generated/internal';
import type { AuditRow } from './audit.query';
import * as query from './audit.query';
import { userRef } from '../user/user.loaders';

export const auditResolvers: Resolvers = {
  Query: {
    caseHistory: (_p, { caseId }, ctx) => query.caseHistory(ctx, caseId),
    audit: (_p, args, ctx) => query.listAudit(ctx, args),
  },
  AuditEntry: {
    // Entries without actor or organisation never leave auditScope, so both are non-null here.
    actor: (a: AuditRow, _args, ctx) => userRef(ctx, a.actorId),
    organisation: (a: AuditRow, _args, ctx) => ctx.loaders.organisation.load(a.organisationId),
  },
};
