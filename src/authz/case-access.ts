import type { RequestContext } from '../context';
import { principalOf } from '../context';
import type { Permission } from '../generated/internal';
import { isUuid, one, Queryable, Sql } from '../db/sql';
import { ForbiddenError } from '../errors/app-error';
import type { ProfileRow } from '../db/records/profile';
import { CASE_COLUMNS, CaseRow } from '../db/records/case';
import type { CaseItem } from '../db/records/items';
import { CASE_PERMISSIONS, casePermissions, CORTEX_PERMISSIONS, cortexDisabledMessage, GLOBAL_PERMISSIONS } from './permissions';
import { CASE_SCOPE_COLUMNS, caseScopeJoin, itemScopeColumns, itemScopeJoin } from './scopes';
import { profileById, loaderOf } from '../loaders';

/**
 * Case-level authorization (R13, R15): objects are loaded THROUGH the visibility scopes, so an
 * invisible object is absent (NOT_FOUND), and the permission is checked against
 * user effective permissions ∩ the active organisation's share profile (FORBIDDEN).
 */

/** Row lock for writes: 'update' serialises writers of the same case/element, 'share' only excludes them. */
export type RowLock = 'update' | 'share';

const lockSql = (lock: RowLock | undefined, alias: string) => (lock ? ` FOR ${lock === 'update' ? 'UPDATE' : 'SHARE'} OF ${alias}` : '');

/**
 * For writes: lock the case row FIRST, in its own statement, and only then read through the
 * scope. Share changes (share/unshare/updateShare, task and observable shares) lock the case row
 * FOR UPDATE; a writer that waited behind one must check against what that change committed —
 * a single "scope … FOR SHARE" statement would re-check only the locked row, not the share join,
 * and let a write through on a share that was just removed or downgraded (R15, R16).
 */
export async function lockCaseOf(db: Queryable, element: 'case' | 'task' | 'observable' | 'comment' | 'attachment', id: string, lock: RowLock): Promise<void> {
  const caseId = element === 'case' ? '$1' : `(SELECT case_id FROM ${element} WHERE id = $1)`;
  await one(db, `SELECT 1 FROM "case" WHERE id = ${caseId} FOR ${lock === 'update' ? 'UPDATE' : 'SHARE'}`, [id]);
}

/** Anything carrying the share profile of the active organisation (cases, tasks, observables). */
export interface ShareScoped {
  shareProfilePermissions: string[];
}

/** R15: the caller's effective permissions on a case or one of its elements. */
export function effectiveCasePermissions(ctx: RequestContext, row: ShareScoped): Permission[] {
  return casePermissions(principalOf(ctx).permissions, row.shareProfilePermissions);
}

/** FORBIDDEN unless every permission is in user ∩ share profile (R15). */
export function assertCasePermission(ctx: RequestContext, row: ShareScoped, ...permissions: Permission[]): void {
  const effective = effectiveCasePermissions(ctx, row);
  for (const permission of permissions) {
    if (effective.includes(permission)) continue;
    if (CORTEX_PERMISSIONS.includes(permission) && !ctx.settings.cortexEnabled) {
      throw new ForbiddenError(cortexDisabledMessage(permission));
    }
    throw new ForbiddenError(`Permission ${permission} is required on this case (your profile and your organisation's share must both hold it)`);
  }
}

/**
 * R14/R15: an organisation that does not own the case may share it on (with manageShare in its
 * share), but never under a profile holding more than its own share — otherwise two linked
 * organisations could raise each other's rights on someone else's case. The owner is not capped.
 */
export function assertShareProfileWithin(row: ShareScoped & { ownerShare: boolean }, profile: { name: string; permissions: string[] }): void {
  if (row.ownerShare) return;
  const beyond = profile.permissions.filter((x) => !row.shareProfilePermissions.includes(x));
  if (beyond.length)
    throw new ForbiddenError(`Profile "${profile.name}" holds ${beyond.join(', ')}, which your organisation's own share on this case does not`);
}

/**
 * R16a/R39: the expiry of another organisation's share is set by the owner organisation (every
 * share of its cases) or by the organisation that made that share, through its own share.
 */
export function assertMayExpireShare(row: { ownerShare: boolean; shareId: string }, target: { viaShareId: string | null; orgName: string }): void {
  if (row.ownerShare || target.viaShareId === row.shareId) return;
  throw new ForbiddenError(`Only the owner organisation, or the organisation that made it, may set the expiry of the share of "${target.orgName}"`);
}

/** A case visible to the active organisation (R13), else null; a malformed id names nothing. */
export async function findVisibleCase(ctx: RequestContext, db: Queryable, caseId: string, lock?: RowLock): Promise<CaseRow | null> {
  if (!isUuid(caseId)) return null;
  if (lock) await lockCaseOf(db, 'case', caseId, lock);
  const q = new Sql();
  const row = await one<CaseRow>(
    db,
    `SELECT ${CASE_COLUMNS}, ${CASE_SCOPE_COLUMNS} FROM "case" c ${caseScopeJoin(ctx, q)} WHERE c.id = ${q.p(caseId)}`,
    q.params,
  );
  return row ?? null;
}

/** A task or observable visible to the active organisation (R17), optionally locked (its case FOR SHARE), else null. */
export async function findVisibleItem<F, R extends F>(ctx: RequestContext, db: Queryable, item: CaseItem<F, R>, id: string, lock?: RowLock): Promise<R | null> {
  if (!isUuid(id)) return null;
  if (lock) await lockCaseOf(db, item.table, id, 'share');
  const q = new Sql();
  const row = await one<R>(
    db,
    `SELECT ${item.columns}, ${itemScopeColumns(item)} FROM ${item.table} ${item.alias} ${itemScopeJoin(ctx, q, item)}
      WHERE ${item.alias}.id = ${q.p(id)}${lockSql(lock, item.alias)}`,
    q.params,
  );
  return row ?? null;
}

export interface AccessExplanation {
  allowed: boolean;
  userProfile: ProfileRow | null;
  shareProfile: ProfileRow | null;
  reason: string;
}

/**
 * Query.explainAccess: the same decision as requireCaseWith, in words. An invisible case and an
 * absent one get the same answer (no share profile, not allowed), so nothing leaks.
 */
export async function explainAccess(ctx: RequestContext, caseId: string, permission: Permission): Promise<AccessExplanation> {
  const p = principalOf(ctx);
  const userProfile = await loaderOf(ctx, profileById).load(p.profileId);
  const row = await findVisibleCase(ctx, ctx.db, caseId);
  if (!row) {
    return {
      allowed: false,
      userProfile,
      shareProfile: null,
      reason: `No case with this id is visible to organisation "${p.organisationName}": a case is visible only through a share held by the organisation (R13).`,
    };
  }
  const share = await one<{ profileId: string }>(ctx.db, 'SELECT profile_id AS "profileId" FROM share WHERE id = $1', [row.shareId]);
  const shareProfile = share ? await loaderOf(ctx, profileById).load(share.profileId) : null;
  const reasons: string[] = [];
  const inProfile = !!userProfile?.permissions.includes(permission);
  const effective = p.permissions.has(permission);
  const inShare = row.shareProfilePermissions.includes(permission);
  if (!inProfile) {
    reasons.push(`${permission} is missing in your profile "${userProfile?.name}" in organisation "${p.organisationName}".`);
  } else if (!effective) {
    if (GLOBAL_PERMISSIONS.includes(permission) && !p.inAdminOrganisation) {
      reasons.push(`${permission} is in your profile but applies to global objects, so it is effective only in the admin organisation (R6).`);
    } else if (CASE_PERMISSIONS.includes(permission) && p.inAdminOrganisation) {
      reasons.push(`${permission} is in your profile but case permissions are never effective in the admin organisation (R6).`);
    } else if (CORTEX_PERMISSIONS.includes(permission) && !ctx.settings.cortexEnabled) {
      reasons.push(`${permission} is in your profile but needs the Cortex connector, which is disabled (R7).`);
    } else {
      reasons.push(`${permission} is in your profile but is not effective in organisation "${p.organisationName}".`);
    }
  }
  if (!inShare) {
    reasons.push(`${permission} is missing in the profile "${shareProfile?.name}" of your organisation's share on this case (R15).`);
  }
  const allowed = effective && inShare;
  if (allowed) {
    reasons.push(`${permission} is in your effective permissions and in the profile "${shareProfile?.name}" of your organisation's share on this case (R15).`);
  }
  return { allowed, userProfile, shareProfile, reason: reasons.join(' ') };
}
