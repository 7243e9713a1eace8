import type { Resolvers } from '../../generated/internal';
import type { AuditRow } from './audit.query';
import * as query from './audit.query';
import { hiddenUser, userRef } from '../user/user.loaders';

const NO_ACCOUNT_ID = '00000000-0000-0000-0000-000000000000';

export const auditResolvers: Resolvers = {
  Query: {
    caseHistory: (_p, { caseId }, ctx) => query.caseHistory(ctx, caseId),
    audit: (_p, args, ctx) => query.listAudit(ctx, args),
  },
  AuditEntry: {
    // No account behind the entry (an attempt with an unknown login): the hidden user, under an id
    // no account has. The organisation is never null here (AUDIT_COLUMNS).
    actor: (a: AuditRow, _args, ctx) => (a.actorId ? userRef(ctx, a.actorId) : hiddenUser(NO_ACCOUNT_ID)),
    organisation: (a: AuditRow, _args, ctx) => ctx.loaders.organisation.load(a.organisationId),
  },
};
