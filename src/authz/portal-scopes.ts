import type { RequestContext } from '../context';
import { principalOf } from '../context';
import type { Sql } from '../db/sql';
import { liveGrant, liveShare } from './scopes';

/**
 * SQL visibility for the portal (R23–R27). Each function returns a boolean condition to put in a
 * WHERE clause; the caller is always an external user (the portal endpoint refuses the others).
 */

/**
 * R38: whose sight a portal scope decides. Normally the caller; the disclosure view asks the same
 * functions about each external user with access, so it reports exactly what the portal serves them.
 */
export class ExternalViewer {
  constructor(
    readonly userId: string,
    readonly organisationId: string,
  ) {}
}
export type PortalViewer = RequestContext | ExternalViewer;
const viewerOf = (v: PortalViewer) => (v instanceof ExternalViewer ? v : principalOf(v));

/**
 * R23/R39: the grant `g` gives access on its own terms: not past its expiry, and the share it
 * belongs to still gives access (a grant ends with the share of the organisation that made it,
 * also when that share, or one it was made through, expires: R16a).
 */
export const grantInForce = (g: string) => `(${liveGrant(g)} AND EXISTS (SELECT 1 FROM share gfs WHERE gfs.id = ${g}.share_id AND ${liveShare('gfs')}))`;

/**
 * R23: the grant `g` opens its case to its user now: in force, and the user's organisation holds
 * a live share on the case (what portalCaseScope asks of a grant, for lists of who has access).
 */
export const grantOpensCase = (g: string) =>
  `(${grantInForce(g)} AND EXISTS (SELECT 1 FROM membership gom JOIN share gos ON gos.organisation_id = gom.organisation_id
      AND gos.case_id = ${g}.case_id AND ${liveShare('gos')} WHERE gom.user_id = ${g}.user_id))`;

/**
 * R23: a case granted to the caller (a grant in force) or created by the caller, and still held
 * by the caller's organisation (a live share on it): removing or expiring that organisation's
 * share also ends its external users' access, so a grant never outlives the organisation's own
 * visibility. Written as an id set so both halves are index lookups: external_grant(user_id), and
 * the owner's case index for the caller's own reports (a case created by an external user is
 * owned by that user's only organisation).
 */
export function portalCaseScope(viewer: PortalViewer, q: Sql, alias = 'c'): string {
  const v = viewerOf(viewer);
  const user = q.p(v.userId);
  const org = q.p(v.organisationId);
  return `(${alias}.id IN (SELECT pg.case_id FROM external_grant pg WHERE pg.user_id = ${user} AND ${grantInForce('pg')}
                          UNION ALL SELECT pc.id FROM "case" pc WHERE pc.organisation_id = ${org} AND pc.created_by = ${user})
           AND EXISTS (SELECT 1 FROM share ps WHERE ps.case_id = ${alias}.id AND ps.organisation_id = ${org} AND ${liveShare('ps')}))`;
}

/** R24: comments marked external, on cases the caller sees (join "case" c on the comment's case). */
export function portalCommentScope(viewer: PortalViewer, q: Sql, alias = 'cm', caseAlias = 'c'): string {
  return `${alias}.external AND ${portalCaseScope(viewer, q, caseAlias)}`;
}

/** R24: attachments marked external, on cases the caller sees. */
export function portalAttachmentScope(viewer: PortalViewer, q: Sql, alias = 'a', caseAlias = 'c'): string {
  return `${alias}.external AND ${portalCaseScope(viewer, q, caseAlias)}`;
}

/** R25: only observables created through the portal; analysts' observables never, whatever else holds. */
export function portalObservableScope(viewer: PortalViewer, q: Sql, alias = 'ob', caseAlias = 'c'): string {
  return `${alias}.created_by_external AND ${portalCaseScope(viewer, q, caseAlias)}`;
}
