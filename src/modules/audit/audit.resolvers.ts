import type { Resolvers } from '../../generated/internal';
import type { AuditRow } from './audit.query';
import * as query from './audit.query';
import { hiddenUser, userRef } from '../user/user.loaders';
import { detailsFor } from './audit.details';
import { organisationById, loaderOf } from '../../loaders';

export const auditResolvers: Resolvers = {
  Query: {
    caseHistory: (_p, { caseId }, ctx) => query.caseHistory(ctx, caseId),
    audit: (_p, args, ctx) => query.listAudit(ctx, args),
  },
  AuditEntry: {
    // No account behind the entry (an attempt with an unknown login): the hidden user, like any
    // user the reader cannot see. The organisation is never null here (AUDIT_COLUMNS). A live-feed
    // entry arrives already rendered for the subscriber's organisation (live-feed.ts).
    actor: (a: AuditRow, _args, ctx) => (a.rendered ? a.rendered.actor : a.actorId ? userRef(ctx, a.actorId) : hiddenUser()),
    organisation: (a: AuditRow, _args, ctx) => a.rendered?.organisation ?? loaderOf(ctx, organisationById).load(a.organisationId),
    details: (a: AuditRow, _args, ctx) => a.rendered?.details ?? detailsFor(ctx, a.details),
  },
};
