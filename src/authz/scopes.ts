import type { RequestContext } from '../context';
import { principalOf } from '../context';
import type { Sql } from '../db/sql';
import type { AnyCaseItem } from '../db/records/items';
import { liveShare } from '../db/records/live';

/**
 * SQL visibility, one function per entity: each returns a boolean condition on the given alias,
 * to be put in a WHERE clause before sort, count and page (style.md, "Authorization").
 */

/**
 * R38: whose sight a case scope decides. Normally the caller (its request context); the
 * disclosure view asks the very same functions about another organisation, so what it reports
 * is what that organisation's members get, by construction.
 */
export class OrganisationViewer {
  constructor(readonly organisationId: string) {}
}
export type Viewer = RequestContext | OrganisationViewer;
const viewerOrganisation = (v: Viewer) => (v instanceof OrganisationViewer ? v.organisationId : principalOf(v).organisationId);

// R39 expiry and R20 eligibility as SQL conditions live in the data layer (row columns use them too).
export { NOW, liveShare, liveGrant, assigneeEligibleSql, currentAssignee } from '../db/records/live';
/** R3: the active organisation and those it links to; in admin, all. */
export function organisationScope(ctx: RequestContext, q: Sql, alias = 'o'): string {
  const p = principalOf(ctx);
  if (p.inAdminOrganisation) return 'TRUE';
  const org = q.p(p.organisationId);
  return `(${alias}.id = ${org} OR EXISTS (SELECT 1 FROM organisation_link vl WHERE vl.from_id = ${org} AND vl.to_id = ${alias}.id))`;
}

/** R3/R11: members of the active organisation and of the organisations it links to; in admin, all. */
export function userScope(ctx: RequestContext, q: Sql, alias = 'u'): string {
  const p = principalOf(ctx);
  if (p.inAdminOrganisation) return 'TRUE';
  const org = q.p(p.organisationId);
  return `EXISTS (SELECT 1 FROM membership vm WHERE vm.user_id = ${alias}.id AND (vm.organisation_id = ${org}
            OR vm.organisation_id IN (SELECT vl.to_id FROM organisation_link vl WHERE vl.from_id = ${org})))`;
}

/**
 * A user named by something the caller sees (author, assignee, actor): visible under R3, or a
 * member of an organisation that owns a case shared with the active organisation — the owner is
 * already shown on those cases (Case.organisation), and its people are who the sharee works with.
 * Users of any other organisation stay hidden, even when they wrote on a case the caller sees.
 */
export function referencedUserScope(ctx: RequestContext, q: Sql, alias = 'u'): string {
  const p = principalOf(ctx);
  if (p.inAdminOrganisation) return 'TRUE';
  // share.case_organisation_id is the case's owner: one index probe per membership, whatever the
  // number of cases either organisation holds (joining "case" here scanned the owner's every case).
  return `(${userScope(ctx, q, alias)} OR EXISTS (
    SELECT 1 FROM membership rm
      JOIN share rs ON rs.organisation_id = ${q.p(p.organisationId)} AND rs.case_organisation_id = rm.organisation_id AND ${liveShare('rs')}
     WHERE rm.user_id = ${alias}.id))`;
}

/**
 * R13/R15: a case is visible through the active organisation's share on it. The join is on the
 * unique index share(organisation_id, case_id); the share profile's permissions travel with each
 * row as "shareProfilePermissions", so field rules and myPermissions never query per item.
 * Use as: FROM "case" c ${caseScopeJoin(ctx, q)} — adds aliases s (share) and sp (its profile).
 */
export function caseScopeJoin(viewer: Viewer, q: Sql, alias = 'c'): string {
  return `JOIN share s ON s.case_id = ${alias}.id AND s.organisation_id = ${q.p(viewerOrganisation(viewer))} AND ${liveShare('s')}
          JOIN profile sp ON sp.id = s.profile_id`;
}

/**
 * R13 for counting (FROM … WHERE, ready for more AND conditions): the active organisation's
 * live shares, an index-only count on share(organisation_id, case_id, lineage_expires_at); the
 * case table (alias c) is joined only when a filter needs its columns.
 */
export function visibleCasesForCount(ctx: RequestContext, q: Sql, withCase: boolean): string {
  const org = q.p(principalOf(ctx).organisationId);
  const own = `s.organisation_id = ${org} AND ${liveShare('s')}`;
  return withCase ? `share s JOIN "case" c ON c.id = s.case_id WHERE ${own}` : `share s WHERE ${own}`;
}

/** The columns caseScopeJoin makes available, to add to a SELECT list. */
export const CASE_SCOPE_COLUMNS = 's.id AS "shareId", s.owner AS "ownerShare", sp.permissions AS "shareProfilePermissions"';

/** R16a: the active organisation owns the case `caseIdSql`, as a condition. */
export function ownsCase(ctx: RequestContext, q: Sql, caseIdSql: string): string {
  return `EXISTS (SELECT 1 FROM "case" owc WHERE owc.id = ${caseIdSql} AND owc.organisation_id = ${q.p(principalOf(ctx).organisationId)})`;
}

/**
 * Case.shares: the owner share and the shares whose organisation the caller can see (R3); the
 * owner organisation sees every share of its cases, also re-shares with organisations it is not
 * linked to (R16a overrides R3 for this list). Use on a share alias `sh` joined to its
 * organisation `o`; the case itself must already be in scope.
 */
export function shareListScope(ctx: RequestContext, q: Sql, shareAlias = 'sh', orgAlias = 'o'): string {
  return `(${shareAlias}.owner OR ${organisationScope(ctx, q, orgAlias)} OR ${ownsCase(ctx, q, `${shareAlias}.case_id`)})`;
}

/** True when the active organisation holds a share on the case `caseIdSql` (R13), as a condition. */
export function caseVisible(ctx: RequestContext, q: Sql, caseIdSql: string): string {
  const p = principalOf(ctx);
  return `EXISTS (SELECT 1 FROM share vcs WHERE vcs.case_id = ${caseIdSql} AND vcs.organisation_id = ${q.p(p.organisationId)} AND ${liveShare('vcs')})`;
}

/**
 * R17/R18: a task or observable is visible through a link (task_share, observable_share) to the
 * active organisation's share on its case; that share's profile travels with the row (R15: an
 * item carries its organisation's case-share profile). At most one row per item (share is unique
 * per organisation and case). Use as: FROM task t ${itemScopeJoin(ctx, q, TASK)} — adds aliases
 * vts, vtsh and vtsp (vos, vosh, vosp for observables) that itemScopeColumns reads.
 */
export function itemScopeJoin(viewer: Viewer, q: Sql, item: AnyCaseItem, alias: string = item.alias): string {
  const v = scopeAlias(item);
  return `JOIN ${item.shareTable} ${v}s ON ${v}s.${item.key} = ${alias}.id
          JOIN share ${v}sh ON ${v}sh.id = ${v}s.share_id AND ${v}sh.organisation_id = ${q.p(viewerOrganisation(viewer))} AND ${v}sh.case_id = ${alias}.case_id
            AND ${liveShare(`${v}sh`)}
          JOIN profile ${v}sp ON ${v}sp.id = ${v}sh.profile_id`;
}

/** The columns itemScopeJoin makes available, to add to a SELECT list. */
export function itemScopeColumns(item: AnyCaseItem): string {
  const v = scopeAlias(item);
  return `${v}sh.id AS "shareId", ${v}sh.owner AS "ownerShare", ${v}sp.permissions AS "shareProfilePermissions"`;
}

const scopeAlias = (item: AnyCaseItem) => `v${item.table[0]}`;

/** An item (by id expression) is visible to the active organisation (R17), as a condition. */
export function itemVisible(ctx: RequestContext, q: Sql, item: AnyCaseItem, idSql: string): string {
  const p = principalOf(ctx);
  const x = `x${item.table[0]}s`;
  return `EXISTS (SELECT 1 FROM ${item.shareTable} ${x} JOIN share xs ON xs.id = ${x}.share_id
                   WHERE ${x}.${item.key} = ${idSql} AND xs.organisation_id = ${q.p(p.organisationId)} AND ${liveShare('xs')})`;
}

/**
 * R34: an alert is visible to the members of its organisation only — never shared, never to
 * admin (which holds none, R1). A condition on alias `al`.
 */
export function alertScope(ctx: RequestContext, q: Sql, alias = 'al'): string {
  return `${alias}.organisation_id = ${q.p(principalOf(ctx).organisationId)}`;
}

/**
 * R28/R29: the audit entries the active organisation may see, as a condition on alias `a`.
 * - Entries without an actor or organisation (a failed login for an unknown login or for an
 *   account in no organisation, an unknown invitation token) belong to no organisation: only
 *   admin's holders of manageUser see them, as done in admin by the hidden user (audit.columns.ts).
 * - Entries of a case (a.case_id): only while the case is visible (R13: a live share, R39), and then
 *   Task/Observable entries only if that task/observable is visible (deleted ones: only to the
 *   owner organisation), CortexJob entries only if the job's object is (R37), Share entries only if the share's organisation (details.organisationId)
 *   is one the caller can see or is the active one; everything else (the case, comments,
 *   attachments, grants) follows the case. A deleted case's entries stay visible to its former
 *   owner only (the organisation of its case.create entry).
 * - Entries without a case: those about the active organisation itself and about its alerts (R34:
 *   written in the alert's organisation, seen by its members only); with effective manageUser
 *   also those about members of the active organisation (users, memberships, logins) and about
 *   profiles (global objects); in admin, with manageUser, every user/login/profile/organisation entry
 *   and every change of the settings (R36) and of analyzer templates (R37).
 * Object ids are uuids for Task/Observable/CortexJob (written by this code); the casts sit inside CASE
 * branches so they run only for those object types.
 */
export function auditScope(ctx: RequestContext, q: Sql, alias = 'a'): string {
  const p = principalOf(ctx);
  // Typed explicitly: the same organisation id is compared with uuid and with text columns.
  const org = `${q.p(p.organisationId)}::uuid`;
  const orgText = `${q.p(p.organisationId)}::text`;
  const a = alias;
  const ownerOfCase = `EXISTS (SELECT 1 FROM "case" ac WHERE ac.id = ${a}.case_id AND ac.organisation_id = ${org})`;
  const visibleOrgs = `(SELECT ${orgText} UNION ALL SELECT al.to_id::text FROM organisation_link al WHERE al.from_id = ${org})`;
  // R3 inside a case's history: the acting organisation, and any organisation an entry names
  // (shares of the case, of a task, of an observable), must be the case's owner or one the caller sees.
  const ownerIs = (idSql: string) => `EXISTS (SELECT 1 FROM "case" aco WHERE aco.id = ${a}.case_id AND aco.organisation_id::text = ${idSql})`;
  const organisationsVisible = `(${a}.organisation_id::text IN ${visibleOrgs} OR ${ownerIs(`${a}.organisation_id::text`)})
      AND (${a}.details->>'organisationId' IS NULL OR (${a}.details->>'organisationId') IN ${visibleOrgs} OR ${ownerIs(`${a}.details->>'organisationId'`)})`;
  const caseEntry = `(
      EXISTS (SELECT 1 FROM share acs WHERE acs.case_id = ${a}.case_id AND acs.organisation_id = ${org} AND ${liveShare('acs')})
      AND ${organisationsVisible}
      AND CASE ${a}.object_type
        WHEN 'Task' THEN
          EXISTS (SELECT 1 FROM task_share ats JOIN share ash ON ash.id = ats.share_id
                   WHERE ats.task_id = ${a}.object_id::uuid AND ash.organisation_id = ${org} AND ${liveShare('ash')})
          OR (NOT EXISTS (SELECT 1 FROM task at2 WHERE at2.id = ${a}.object_id::uuid) AND ${ownerOfCase})
        WHEN 'Observable' THEN
          EXISTS (SELECT 1 FROM observable_share aos JOIN share ash ON ash.id = aos.share_id
                   WHERE aos.observable_id = ${a}.object_id::uuid AND ash.organisation_id = ${org} AND ${liveShare('ash')})
          OR (NOT EXISTS (SELECT 1 FROM observable ao2 WHERE ao2.id = ${a}.object_id::uuid) AND ${ownerOfCase})
        WHEN 'CortexJob' THEN
          -- R37: a job's entries follow its object (the case, or a task/observable shared with the organisation, R17).
          EXISTS (SELECT 1 FROM cortex_job aj WHERE aj.id = ${a}.object_id::uuid AND (aj.object_type = 'CASE'
            OR EXISTS (SELECT 1 FROM task_share ats JOIN share ash ON ash.id = ats.share_id WHERE ats.task_id = aj.object_id AND ash.organisation_id = ${org})
            OR EXISTS (SELECT 1 FROM observable_share aos JOIN share ash ON ash.id = aos.share_id WHERE aos.observable_id = aj.object_id AND ash.organisation_id = ${org})
            -- its task or observable deleted since: the owner organisation only, as for their own entries
            OR (NOT EXISTS (SELECT 1 FROM task at3 WHERE at3.id = aj.object_id) AND NOT EXISTS (SELECT 1 FROM observable ao3 WHERE ao3.id = aj.object_id) AND ${ownerOfCase})))
        ELSE TRUE
      END
    ) OR (
      NOT EXISTS (SELECT 1 FROM "case" ad WHERE ad.id = ${a}.case_id)
      AND EXISTS (SELECT 1 FROM audit acr WHERE acr.object_type = 'Case' AND acr.object_id = ${a}.case_id::text
                   AND acr.action = 'case.create' AND acr.organisation_id = ${org})
      AND ${a}.organisation_id::text IN ${visibleOrgs}
      AND (${a}.details->>'organisationId' IS NULL OR (${a}.details->>'organisationId') IN ${visibleOrgs})
    )`;
  const manageUser = p.permissions.has('manageUser');
  // R31–R33: the tag catalogue and custom fields are managed in admin, case templates in their
  // organisation: their entries are seen by the organisation they were written in. R34: so are
  // alert entries — written in the alert's organisation, seen by its members only.
  let global = `(${a}.object_type = 'Organisation' AND ${a}.object_id = ${orgText})
      OR (${a}.object_type IN ('Tag', 'CustomField', 'CaseTemplate', 'Alert') AND ${a}.organisation_id = ${org})`;
  if (manageUser && p.inAdminOrganisation) {
    // Platform settings and analyzer templates are administered in admin only (R36, R37).
    global = `${a}.object_type IN ('User', 'Profile', 'Organisation', 'Config', 'AnalyzerTemplate') OR (${a}.object_type IN ('Tag', 'CustomField', 'CaseTemplate') AND ${a}.organisation_id = ${org})`;
  } else if (manageUser) {
    // About members of the active organisation, and only what was done in it — or done by an
    // administrator to this organisation's membership — never what another organisation did to a shared member.
    global += ` OR ${a}.object_type = 'Profile'
      OR (${a}.object_type = 'User' AND ${a}.object_id IN (SELECT am.user_id::text FROM membership am WHERE am.organisation_id = ${org})
          AND (${a}.organisation_id = ${org}
               OR (${a}.details->>'organisation') = (SELECT ao.name FROM organisation ao WHERE ao.id = ${org})))`;
  }
  const attributed = `${a}.actor_id IS NOT NULL AND ${a}.organisation_id IS NOT NULL`;
  const unattributedToo = manageUser && p.inAdminOrganisation;
  return `(
    (${a}.case_id IS NOT NULL AND ${attributed} AND (${caseEntry}))
    OR (${a}.case_id IS NULL AND ${unattributedToo ? '' : `${attributed} AND `}(${global}))
  )`;
}
