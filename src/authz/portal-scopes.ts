import type { RequestContext } from '../context';
import { principalOf } from '../context';
import type { Sql } from '../db/sql';

/**
 * SQL visibility for the portal (R23–R27). Each function returns a boolean condition to put in a
 * WHERE clause; the caller is always an external user (the portal endpoint refuses the others).
 */

/**
 * R23: a case granted to the caller or created by the caller, and still held by the caller's
 * organisation (a share on it): removing that organisation's share also ends its external users'
 * access, so a grant never outlives the organisation's own visibility. Written as an id set so
 * both halves are index lookups: external_grant(user_id), and the owner's case index for the
 * caller's own reports (a case created by an external user is owned by that user's only organisation).
 */
export function portalCaseScope(ctx: RequestContext, q: Sql, alias = 'c'): string {
  const p = principalOf(ctx);
  const user = q.p(p.userId);
  const org = q.p(p.organisationId);
  return `(${alias}.id IN (SELECT pg.case_id FROM external_grant pg WHERE pg.user_id = ${user}
                          UNION ALL SELECT pc.id FROM "case" pc WHERE pc.organisation_id = ${org} AND pc.created_by = ${user})
           AND EXISTS (SELECT 1 FROM share ps WHERE ps.case_id = ${alias}.id AND ps.organisation_id = ${org}))`;
}

/** R24: comments marked external, on cases the caller sees (join "case" c on the comment's case). */
export function portalCommentScope(ctx: RequestContext, q: Sql, alias = 'cm', caseAlias = 'c'): string {
  return `${alias}.external AND ${portalCaseScope(ctx, q, caseAlias)}`;
}

/** R24: attachments marked external, on cases the caller sees. */
export function portalAttachmentScope(ctx: RequestContext, q: Sql, alias = 'a', caseAlias = 'c'): string {
  return `${alias}.external AND ${portalCaseScope(ctx, q, caseAlias)}`;
}

/** R25: only observables created through the portal; analysts' observables never, whatever else holds. */
export function portalObservableScope(ctx: RequestContext, q: Sql, alias = 'ob', caseAlias = 'c'): string {
  return `${alias}.created_by_external AND ${portalCaseScope(ctx, q, caseAlias)}`;
}
