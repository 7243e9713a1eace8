import type { RequestContext } from '../../context';
import { rows, Sql } from '../../db/sql';
import { itemScopeJoin, itemVisible, OrganisationViewer } from '../../authz/scopes';
import { OBSERVABLE, TASK } from '../../db/records/items';
import { ExternalViewer, grantOpensCase, portalAttachmentScope, portalCommentScope, portalObservableScope } from '../../authz/portal-scopes';
import type { CaseRow } from '../../db/records/case';
import { SHARE_COLUMNS, ShareRow } from '../../db/records/share';
import { TASK_COLUMNS, TaskRow } from '../../db/records/task';
import { OBSERVABLE_COLUMNS, ObservableRow } from '../../db/records/observable';
import { COMMENT_COLUMNS, CommentRow } from '../../db/records/comment';
import { ATTACHMENT_COLUMNS, AttachmentRow } from '../../db/records/attachment';

/**
 * R38: who sees what of a case. Nothing here decides visibility itself: each organisation's and
 * each external user's part is read through the scope functions that serve that reader
 * (itemScopeJoin, the portal scopes), asked about that reader instead of the
 * caller (OrganisationViewer, ExternalViewer). So the view cannot disagree with what they get —
 * including expiry (R39): an expired share or grant is listed, marked expired, with nothing in it.
 * Items are also limited to what the caller sees itself, so a partner's view of the shares it made
 * never shows a task or observable the owner shared with them directly (R17, R18).
 */

export interface OrganisationDisclosure {
  caseId: string;
  share: ShareRow;
}

export interface ExternalDisclosure extends ExternalAccessRow {
  caseId: string;
}

export interface ExternalAccessRow {
  userId: string;
  organisationId: string;
  access: 'GRANT' | 'CREATOR';
  expiresAt: Date | null;
  expired: boolean;
}

/**
 * The shares to disclose (R16a): the owner organisation sees every share of its cases; another
 * organisation only the shares made through its own share (its re-shares).
 */
function sharesShown(ctx: RequestContext, theCase: CaseRow): Promise<ShareRow[]> {
  return rows<ShareRow>(
    ctx.db,
    `SELECT ${SHARE_COLUMNS} FROM share sh JOIN organisation o ON o.id = sh.organisation_id
      WHERE sh.case_id = $1 AND ($2::boolean OR sh.via_share_id = $3)
      ORDER BY sh.owner DESC, lower(o.name)`,
    [theCase.id, theCase.ownerShare, theCase.shareId],
  );
}

/**
 * The external users to disclose: for the owner, every grant and the case's external creator;
 * for another organisation, the grants it made (they belong to its share, R23). A creator is
 * listed once, as CREATOR, whatever grant it also holds (its access does not depend on one).
 * `expired`: the grant gives no access now (grantOpensCase, the portal's own condition).
 */
function externalAccess(ctx: RequestContext, theCase: CaseRow): Promise<ExternalAccessRow[]> {
  return rows<ExternalAccessRow>(
    ctx.db,
    `SELECT x."userId", (SELECT m.organisation_id FROM membership m WHERE m.user_id = x."userId" ORDER BY m.created_at LIMIT 1) AS "organisationId",
            x.access, x."expiresAt", x.expired
       FROM (SELECT c.created_by AS "userId", 'CREATOR' AS access, NULL::timestamptz AS "expiresAt", false AS expired
               FROM "case" c JOIN app_user cu ON cu.id = c.created_by AND cu.type = 'EXTERNAL'
              WHERE c.id = $1 AND $2::boolean
             UNION ALL
             SELECT g.user_id, 'GRANT', g.expires_at, NOT ${grantOpensCase('g')}
               FROM external_grant g
              WHERE g.case_id = $1 AND ($2::boolean OR g.share_id = $3)
                AND g.user_id IS DISTINCT FROM (SELECT c2.created_by FROM "case" c2 WHERE c2.id = $1)) x
       JOIN app_user u ON u.id = x."userId"
      ORDER BY u.login`,
    [theCase.id, theCase.ownerShare, theCase.shareId],
  );
}

export async function disclosure(
  ctx: RequestContext,
  theCase: CaseRow,
): Promise<{ organisations: OrganisationDisclosure[]; externalUsers: ExternalDisclosure[] }> {
  const [shares, externals] = await Promise.all([sharesShown(ctx, theCase), externalAccess(ctx, theCase)]);
  return {
    organisations: shares.map((share) => ({ caseId: theCase.id, share })),
    externalUsers: externals.map((x) => ({ caseId: theCase.id, ...x })),
  };
}

/** The tasks of the case the organisation's members see (Query.task's scope), among those the caller sees. */
export function tasksSeen(ctx: RequestContext, d: OrganisationDisclosure): Promise<TaskRow[]> {
  const q = new Sql();
  return rows<TaskRow>(
    ctx.db,
    `SELECT ${TASK_COLUMNS} FROM task t ${itemScopeJoin(new OrganisationViewer(d.share.organisationId), q, TASK)}
      WHERE t.case_id = ${q.p(d.caseId)} AND ${itemVisible(ctx, q, TASK, 't.id')} ORDER BY t.created_at, t.id`,
    q.params,
  );
}

/** As tasksSeen, for observables. */
export function observablesSeen(ctx: RequestContext, d: OrganisationDisclosure): Promise<ObservableRow[]> {
  const q = new Sql();
  return rows<ObservableRow>(
    ctx.db,
    `SELECT ${OBSERVABLE_COLUMNS} FROM observable ob ${itemScopeJoin(new OrganisationViewer(d.share.organisationId), q, OBSERVABLE)}
      WHERE ob.case_id = ${q.p(d.caseId)} AND ${itemVisible(ctx, q, OBSERVABLE, 'ob.id')} ORDER BY ob.created_at, ob.id`,
    q.params,
  );
}

const portalViewer = (x: ExternalDisclosure) => new ExternalViewer(x.userId, x.organisationId);

/** What the portal shows the external user of the case, read through the portal's scopes (R24, R25). */
function portalItems<T>(ctx: RequestContext, x: ExternalDisclosure, table: string, alias: string, columns: string, scope: (q: Sql) => string): Promise<T[]> {
  const q = new Sql();
  return rows<T>(
    ctx.db,
    `SELECT ${columns} FROM ${table} ${alias} JOIN "case" c ON c.id = ${alias}.case_id
      WHERE ${alias}.case_id = ${q.p(x.caseId)} AND ${scope(q)} ORDER BY ${alias}.created_at, ${alias}.id`,
    q.params,
  );
}

// Comments and attachments follow the case, which the caller sees (R17); observables are limited
// to those the caller sees, as for organisations.
export const portalCommentsSeen = (ctx: RequestContext, x: ExternalDisclosure) =>
  portalItems<CommentRow>(ctx, x, 'comment', 'cm', COMMENT_COLUMNS, (q) => portalCommentScope(portalViewer(x), q));
export const portalAttachmentsSeen = (ctx: RequestContext, x: ExternalDisclosure) =>
  portalItems<AttachmentRow>(ctx, x, 'attachment', 'a', ATTACHMENT_COLUMNS, (q) => portalAttachmentScope(portalViewer(x), q));
export const portalObservablesSeen = (ctx: RequestContext, x: ExternalDisclosure) =>
  portalItems<ObservableRow>(
    ctx,
    x,
    'observable',
    'ob',
    OBSERVABLE_COLUMNS,
    (q) => `${portalObservableScope(portalViewer(x), q)} AND ${itemVisible(ctx, q, OBSERVABLE, 'ob.id')}`,
  );
