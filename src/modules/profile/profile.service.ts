import type { RequestContext } from '../../context';
import { ADMIN_PROFILE_KEEPS, holdsManagerSql, leftWithoutManager, MANAGER_PERMISSION } from '../../authz/managers';
import { one, rows } from '../../db/sql';
import { BadInputError, ConflictError } from '../../errors/app-error';
import { PROFILE_COLUMNS, ProfileRow } from '../../db/records/profile';
import { PORTAL_PERMISSIONS, sortPermissions } from '../../authz/permissions';
import type { EntityManager } from 'typeorm';
import { changes, recordAudit } from '../audit-trail/audit-trail.shared';
import { dropIneligibleAssignees } from '../assignee/assignee.shared';
import { validName } from '../validation';
import { ALL_PROFILE } from './default-profiles';
import { findProfile, requireProfile } from './profile.shared';

export async function listProfiles(ctx: RequestContext): Promise<ProfileRow[]> {
  return rows<ProfileRow>(ctx.db, `SELECT ${PROFILE_COLUMNS} FROM profile p ORDER BY lower(p.name)`);
}

/** R10: an external profile holds only portal* permissions, an internal one none of them. */
function checkPermissions(permissions: readonly string[], external: boolean): string[] {
  const portal = permissions.filter((p) => PORTAL_PERMISSIONS.includes(p as never));
  if (external && portal.length !== permissions.length) throw new BadInputError('An external profile may hold only portal* permissions', 'permissions');
  if (!external && portal.length) throw new BadInputError(`An internal profile may not hold ${portal.join(', ')}`, 'permissions');
  return sortPermissions(permissions);
}

function refuseAll(p: ProfileRow, what: string): void {
  if (p.name === ALL_PROFILE) throw new BadInputError(`The profile "${ALL_PROFILE}" cannot be ${what}`);
}

export async function createProfile(ctx: RequestContext, name: string, permissions: readonly string[], external: boolean): Promise<ProfileRow> {
  const clean = validName(name);
  const perms = checkPermissions(permissions, external);
  return ctx.transaction(async (tx) => {
    if (await findProfile(tx, clean)) throw new ConflictError(`Profile "${clean}" already exists`);
    const row = await one<ProfileRow>(tx, `INSERT INTO profile AS p (name, permissions, external) VALUES ($1, $2, $3) RETURNING ${PROFILE_COLUMNS}`, [
      clean,
      perms,
      external,
    ]);
    await recordAudit(ctx, tx, { action: 'profile.create', objectType: 'Profile', objectId: row!.id, details: { name: clean, permissions: perms, external } });
    return row!;
  });
}

/** R11: `admin` must always be able to manage profiles and users, or administration is locked out for good. */
const ADMIN_PROFILE = 'admin';

/**
 * R11: taking the manager permission out of a profile in use must not leave any organisation
 * without a manager (authz/managers). The organisations using the profile are locked as membership changes lock them
 * (user.service), so a concurrent demotion or removal cannot slip between the check and the commit.
 */
async function assertManagersRemain(tx: EntityManager, profileId: string): Promise<void> {
  await tx.query(`SELECT 1 FROM organisation o WHERE o.id IN (SELECT m.organisation_id FROM membership m WHERE m.profile_id = $1) ORDER BY o.id FOR UPDATE`, [
    profileId,
  ]);
  const orphaned = await rows<{ name: string }>(
    tx,
    `SELECT o.name FROM organisation o
      WHERE o.id IN (SELECT m.organisation_id FROM membership m WHERE m.profile_id = $1)
        AND NOT EXISTS (SELECT 1 FROM membership mm JOIN profile mp ON mp.id = mm.profile_id
                         WHERE mm.organisation_id = o.id AND ${holdsManagerSql('mp')})
      ORDER BY o.name`,
    [profileId],
  );
  if (orphaned.length) {
    throw leftWithoutManager(orphaned.map((o) => `"${o.name}"`).join(', '));
  }
}

export async function updateProfile(ctx: RequestContext, name: string, permissions: readonly string[]): Promise<ProfileRow> {
  return ctx.transaction(async (tx) => {
    const current = await requireProfile(tx, name, 'update');
    refuseAll(current, 'updated');
    const perms = checkPermissions(permissions, current.external);
    const lost = ADMIN_PROFILE_KEEPS.filter((p) => !perms.includes(p));
    if (current.name === ADMIN_PROFILE && lost.length) throw new ConflictError(`The profile "admin" must keep ${lost.join(' and ')}`);
    const row = await one<ProfileRow>(tx, `UPDATE profile p SET permissions = $2, updated_at = now() WHERE id = $1 RETURNING ${PROFILE_COLUMNS}`, [
      current.id,
      perms,
    ]);
    if (current.permissions.includes(MANAGER_PERMISSION) && !perms.includes(MANAGER_PERMISSION)) await assertManagersRemain(tx, current.id);
    const diff = changes(current, { permissions: perms });
    if (Object.keys(diff).length) {
      await recordAudit(ctx, tx, { action: 'profile.update', objectType: 'Profile', objectId: current.id, details: { name: current.name, ...diff } });
      // The profile may be a member's or a share's: R20 is re-checked for every assignment.
      await dropIneligibleAssignees(ctx, tx, 'all', `profile "${current.name}" changed`);
    }
    return row!;
  });
}

export async function deleteProfile(ctx: RequestContext, name: string): Promise<boolean> {
  return ctx.transaction(async (tx) => {
    const current = await requireProfile(tx, name);
    refuseAll(current, 'deleted');
    // Locks the row so a concurrent membership or share cannot start using it between check and delete.
    await tx.query('SELECT 1 FROM profile WHERE id = $1 FOR UPDATE', [current.id]);
    const used = await one(
      tx,
      `SELECT (SELECT count(*) FROM membership WHERE profile_id = $1)::int AS memberships, (SELECT count(*) FROM share WHERE profile_id = $1)::int AS shares`,
      [current.id],
    );
    if (used!.memberships || used!.shares) {
      throw new ConflictError(`Profile "${current.name}" is used by ${used!.memberships} membership(s) and ${used!.shares} share(s)`);
    }
    await tx.query('DELETE FROM profile WHERE id = $1', [current.id]);
    await recordAudit(ctx, tx, { action: 'profile.delete', objectType: 'Profile', objectId: current.id, details: { name: current.name } });
    return true;
  });
}
