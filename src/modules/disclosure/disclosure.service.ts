import DataLoader from 'dataloader';
import { defineLoader, loaderOf } from '../../loaders';
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

/**
 * One statement per list for every reader the disclosure names: each reader's rows are selected
 * by that reader's own scope (one branch of a UNION ALL, tagged with the reader's position), so
 * batching changes how many statements run, never what a reader is said to see.
 */
function perReader<R, T>(
  keyOf: (r: R) => string,
  branch: (ctx: RequestContext, r: R, q: Sql) => string,
): { custom: (ctx: RequestContext) => DataLoader<R, T[], string> } {
  return {
    custom: (ctx) =>
      new DataLoader<R, T[], string>(
        async (readers) => {
          const q = new Sql();
          const union = readers.map((r, i) => `SELECT ${i} AS reader, x.* FROM (${branch(ctx, r, q)}) x`).join(' UNION ALL ');
          const found = await rows<T & { reader: number }>(ctx.db, `SELECT * FROM (${union}) u ORDER BY u.reader, u."createdAt", u.id`, q.params);
          const out = readers.map((): T[] => []);
          for (const { reader, ...row } of found) out[reader].push(row as unknown as T);
          return out;
        },
        { cacheKeyFn: keyOf },
      ),
  };
}

const organisationKey = (d: OrganisationDisclosure) => `${d.caseId}|${d.share.organisationId}`;
const externalKey = (x: ExternalDisclosure) => `${x.caseId}|${x.userId}`;

type PerOrganisation<T> = { custom: DataLoader<OrganisationDisclosure, T[], string> };
type PerExternal<T> = { custom: DataLoader<ExternalDisclosure, T[], string> };

declare module '../../loader-map' {
  interface LoaderMap {
    'disclosure.tasks': PerOrganisation<TaskRow>;
    'disclosure.observables': PerOrganisation<ObservableRow>;
    'disclosure.portal.comment': PerExternal<CommentRow>;
    'disclosure.portal.attachment': PerExternal<AttachmentRow>;
    'disclosure.portal.observable': PerExternal<ObservableRow>;
  }
}

/** The tasks of the case the organisation's members see (Query.task's scope), among those the caller sees. */
const tasksSeenByReader = defineLoader({
  name: 'disclosure.tasks',
  ...perReader<OrganisationDisclosure, TaskRow>(
    organisationKey,
    (ctx, r, q) =>
      `SELECT ${TASK_COLUMNS} FROM task t ${itemScopeJoin(new OrganisationViewer(r.share.organisationId), q, TASK)}
        WHERE t.case_id = ${q.p(r.caseId)} AND ${itemVisible(ctx, q, TASK, 't.id')}`,
  ),
});
export const tasksSeen = (ctx: RequestContext, d: OrganisationDisclosure) => loaderOf(ctx, tasksSeenByReader).load(d);

/** As tasksSeen, for observables. */
const observablesSeenByReader = defineLoader({
  name: 'disclosure.observables',
  ...perReader<OrganisationDisclosure, ObservableRow>(
    organisationKey,
    (ctx, r, q) =>
      `SELECT ${OBSERVABLE_COLUMNS} FROM observable ob ${itemScopeJoin(new OrganisationViewer(r.share.organisationId), q, OBSERVABLE)}
        WHERE ob.case_id = ${q.p(r.caseId)} AND ${itemVisible(ctx, q, OBSERVABLE, 'ob.id')}`,
  ),
});
export const observablesSeen = (ctx: RequestContext, d: OrganisationDisclosure) => loaderOf(ctx, observablesSeenByReader).load(d);

const portalViewer = (x: ExternalDisclosure) => new ExternalViewer(x.userId, x.organisationId);

/** What the portal shows the external user of the case, read through the portal's scopes (R24, R25). */
function portalItems<T>(table: string, alias: string, columns: string, scope: (ctx: RequestContext, r: ExternalDisclosure, q: Sql) => string) {
  return perReader<ExternalDisclosure, T>(
    externalKey,
    (ctx, r, q) =>
      `SELECT ${columns} FROM ${table} ${alias} JOIN "case" c ON c.id = ${alias}.case_id WHERE ${alias}.case_id = ${q.p(r.caseId)} AND ${scope(ctx, r, q)}`,
  );
}

// Comments and attachments follow the case, which the caller sees (R17); observables are limited
// to those the caller sees, as for organisations.
const portalCommentsByReader = defineLoader({
  name: 'disclosure.portal.comment',
  ...portalItems<CommentRow>('comment', 'cm', COMMENT_COLUMNS, (_ctx, r, q) => portalCommentScope(portalViewer(r), q)),
});
const portalAttachmentsByReader = defineLoader({
  name: 'disclosure.portal.attachment',
  ...portalItems<AttachmentRow>('attachment', 'a', ATTACHMENT_COLUMNS, (_ctx, r, q) => portalAttachmentScope(portalViewer(r), q)),
});
const portalObservablesByReader = defineLoader({
  name: 'disclosure.portal.observable',
  ...portalItems<ObservableRow>(
    'observable',
    'ob',
    OBSERVABLE_COLUMNS,
    (ctx, r, q) => `${portalObservableScope(portalViewer(r), q)} AND ${itemVisible(ctx, q, OBSERVABLE, 'ob.id')}`,
  ),
});
export const portalCommentsSeen = (ctx: RequestContext, x: ExternalDisclosure) => loaderOf(ctx, portalCommentsByReader).load(x);
export const portalAttachmentsSeen = (ctx: RequestContext, x: ExternalDisclosure) => loaderOf(ctx, portalAttachmentsByReader).load(x);
export const portalObservablesSeen = (ctx: RequestContext, x: ExternalDisclosure) => loaderOf(ctx, portalObservablesByReader).load(x);
