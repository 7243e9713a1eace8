import type { EntityManager } from 'typeorm';
import { holdsManagerSql, leftWithoutManager } from '../../authz/managers';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one, rows, Sql } from '../../db/sql';
import { assertCanManageAccount, assertCanManageMembersOf } from '../../authz/user-access';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../errors/app-error';
import { USER_COLUMNS, UserRow } from '../../db/records/user';
import { OrganisationRow } from '../../db/records/organisation';
import { recordAudit } from '../audit-trail/audit-trail.shared';
import { dropIneligibleAssignees } from '../assignee/assignee.shared';
import { requireVisibleOrganisation } from '../organisation/organisation.shared';
import { requireProfile } from '../profile/profile.shared';
import { hashPassword, validatePassword } from '../auth/passwords';
import { newToken, hashToken } from '../auth/tokens';
import { validEmail, validLogin, requiredLine } from '../validation';
import { ADMIN_ORGANISATION } from '../../authz/permissions';
import { findVisibleUser, requireVisibleUser } from './user.shared';

export async function listUsers(ctx: RequestContext): Promise<UserRow[]> {
  const p = principalOf(ctx);
  const q = new Sql();
  const where = p.inAdminOrganisation ? 'TRUE' : `EXISTS (SELECT 1 FROM membership m WHERE m.user_id = u.id AND m.organisation_id = ${q.p(p.organisationId)})`;
  return rows<UserRow>(ctx.db, `SELECT ${USER_COLUMNS} FROM app_user u WHERE ${where} ORDER BY u.login`, q.params);
}

export interface MembershipRow {
  organisationId: string;
  profileId: string;
  userId: string;
}

/**
 * User.memberships: the caller's own, all of them whatever the active organisation (R5: a client
 * offers an organisation switcher from them); other users', only in organisations the caller can see (R3).
 */
export function membershipsSql(ctx: RequestContext, q: Sql, key: string) {
  const p = principalOf(ctx);
  const scope = p.inAdminOrganisation
    ? 'TRUE'
    : `(m.user_id = ${q.p(p.userId)}::uuid OR m.organisation_id = ${q.p(p.organisationId)} OR m.organisation_id IN (SELECT to_id FROM organisation_link WHERE from_id = ${q.p(p.organisationId)}))`;
  return `SELECT m.user_id AS "userId", m.organisation_id AS "organisationId", m.profile_id AS "profileId"
            FROM membership m JOIN organisation o ON o.id = m.organisation_id
           WHERE m.user_id = ${key} AND ${scope} ORDER BY m.created_at, o.name`;
}

async function orgForMembership(ctx: RequestContext, tx: EntityManager, name: string): Promise<OrganisationRow> {
  const org = await requireVisibleOrganisation(ctx, name, tx);
  assertCanManageMembersOf(ctx, org.id);
  // Serialises membership changes per organisation, so the last-manager rule holds under concurrency.
  await tx.query('SELECT 1 FROM organisation WHERE id = $1 FOR UPDATE', [org.id]);
  return org;
}

function checkProfileFits(user: { type: string }, profile: { name: string; external: boolean }): void {
  if (profile.external !== (user.type === 'EXTERNAL')) {
    throw new BadInputError(
      `Profile "${profile.name}" is ${profile.external ? 'external' : 'internal'} and cannot be given to an ${user.type.toLowerCase()} user`,
      'profile',
    );
  }
}

/** R11: no organisation may be left without a manager (authz/managers). */
async function assertManagerRemains(tx: EntityManager, organisationId: string, orgName: string): Promise<void> {
  const r = await one<{ n: number }>(
    tx,
    `SELECT count(*)::int AS n FROM membership m JOIN profile p ON p.id = m.profile_id
      WHERE m.organisation_id = $1 AND ${holdsManagerSql('p')}`,
    [organisationId],
  );
  if (!r!.n) throw leftWithoutManager(`organisation "${orgName}"`);
}

async function holdsManageUser(tx: EntityManager, userId: string, organisationId: string): Promise<boolean> {
  return !!(await one(
    tx,
    `SELECT 1 FROM membership m JOIN profile p ON p.id = m.profile_id WHERE m.user_id = $1 AND m.organisation_id = $2 AND ${holdsManagerSql('p')}`,
    [userId, organisationId],
  ));
}

export interface CreateUserArgs {
  login: string;
  name: string;
  email?: string | null;
  password?: string | null;
  organisation: string;
  profile: string;
}

export async function createUser(ctx: RequestContext, args: CreateUserArgs): Promise<UserRow> {
  const login = validLogin(args.login);
  const name = requiredLine(args.name, 'name', 256);
  const email = validEmail(args.email);
  if (args.password != null) validatePassword(args.password);
  return ctx.transaction(async (tx) => {
    const org = await orgForMembership(ctx, tx, args.organisation);
    const profile = await requireProfile(tx, args.profile, 'reference');
    checkProfileFits({ type: 'INTERNAL' }, profile);
    const existingAccount = () => one<UserRow>(tx, `SELECT ${USER_COLUMNS} FROM app_user u WHERE u.login = $1`, [login]);
    // R11: an existing login joins a second organisation (its password and name stay its own).
    const join = async (existing: UserRow | undefined): Promise<UserRow> => {
      const visible = existing && (await findVisibleUser(ctx, login, tx));
      if (!existing || !visible || existing.type !== 'INTERNAL') throw new ConflictError(`Login "${login}" is already taken`);
      const added = await rows(
        tx,
        'INSERT INTO membership (user_id, organisation_id, profile_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING user_id',
        [existing.id, org.id, profile.id],
      );
      if (!added.length) throw new ConflictError(`"${login}" is already a member of "${org.name}"`);
      await recordAudit(ctx, tx, {
        action: 'membership.create',
        objectType: 'User',
        objectId: existing.id,
        details: { login, organisation: org.name, profile: profile.name },
      });
      return existing;
    };
    const existing = await existingAccount();
    if (existing) return join(existing);
    // A concurrent call may be creating the same login (for another organisation): ON CONFLICT waits
    // for it, and this call then joins the account it made, as if the calls had come one after the other.
    const user = await one<UserRow>(
      tx,
      `INSERT INTO app_user AS u (login, name, email, type, password_hash, password_organisation_id) VALUES ($1, $2, $3, 'INTERNAL', $4, $5)
       ON CONFLICT (login) DO NOTHING RETURNING ${USER_COLUMNS}`,
      [
        login,
        name,
        email,
        args.password != null ? await hashPassword(args.password) : null,
        args.password != null && !principalOf(ctx).inAdminOrganisation ? org.id : null,
      ],
    );
    if (!user) return join(await existingAccount());
    await tx.query('INSERT INTO membership (user_id, organisation_id, profile_id) VALUES ($1, $2, $3)', [user!.id, org.id, profile.id]);
    await recordAudit(ctx, tx, {
      action: 'user.create',
      objectType: 'User',
      objectId: user!.id,
      details: {
        login,
        name,
        email,
        type: 'INTERNAL',
        organisation: org.name,
        profile: profile.name,
        ...(args.password != null ? { password: '<hidden>' } : {}),
      },
    });
    return user!;
  });
}

export async function setMembership(ctx: RequestContext, loginArg: string, organisation: string, profileName: string): Promise<UserRow> {
  const login = validLogin(loginArg);
  return ctx.transaction(async (tx) => {
    const org = await orgForMembership(ctx, tx, organisation);
    const user = await requireVisibleUser(ctx, login, tx);
    const profile = await requireProfile(tx, profileName, 'reference');
    checkProfileFits(user, profile);
    if (user.type === 'EXTERNAL' && org.name === ADMIN_ORGANISATION) throw new BadInputError('External users never belong to admin');
    const current = await one<{ profileId: string }>(tx, 'SELECT profile_id AS "profileId" FROM membership WHERE user_id = $1 AND organisation_id = $2', [
      user.id,
      org.id,
    ]);
    if (!current && user.type === 'EXTERNAL') throw new BadInputError('An external user belongs to exactly one organisation');
    if (current?.profileId === profile.id) return user;
    const wasManager = current ? await holdsManageUser(tx, user.id, org.id) : false;
    await tx.query(
      `INSERT INTO membership (user_id, organisation_id, profile_id) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, organisation_id) DO UPDATE SET profile_id = EXCLUDED.profile_id`,
      [user.id, org.id, profile.id],
    );
    if (wasManager) await assertManagerRemains(tx, org.id, org.name);
    await recordAudit(ctx, tx, {
      action: current ? 'membership.update' : 'membership.create',
      objectType: 'User',
      objectId: user.id,
      details: { login, organisation: org.name, profile: profile.name },
    });
    if (current) await dropIneligibleAssignees(ctx, tx, { userId: user.id }, "the assignee's profile changed");
    return user;
  });
}

export async function removeMembership(ctx: RequestContext, loginArg: string, organisation: string): Promise<boolean> {
  const login = validLogin(loginArg);
  return ctx.transaction(async (tx) => {
    const org = await orgForMembership(ctx, tx, organisation);
    const user = await requireVisibleUser(ctx, login, tx);
    const wasManager = await holdsManageUser(tx, user.id, org.id);
    // The user row is locked so that two removals of a user's last two memberships cannot both pass the check below.
    await tx.query('SELECT 1 FROM app_user WHERE id = $1 FOR UPDATE', [user.id]);
    const deleted = await rows(tx, 'DELETE FROM membership WHERE user_id = $1 AND organisation_id = $2 RETURNING user_id', [user.id, org.id]);
    if (!deleted.length) throw new NotFoundError(`Membership of "${login}" in "${org.name}"`);
    if (wasManager) await assertManagerRemains(tx, org.id, org.name);
    // R5/R21: an account belongs to at least one organisation; to shut one out, lock it (R11).
    if (!(await one(tx, 'SELECT 1 FROM membership WHERE user_id = $1', [user.id]))) {
      throw new ConflictError(`"${login}" would be left without any organisation: lock the account instead`);
    }
    await recordAudit(ctx, tx, { action: 'membership.delete', objectType: 'User', objectId: user.id, details: { login, organisation: org.name } });
    await dropIneligibleAssignees(ctx, tx, { userId: user.id }, 'the assignee left an organisation');
    return true;
  });
}

/**
 * The account a credential is minted or a password set for. R11a: a credential that a manager
 * made or knows (principal.credentialOrganisationId) can neither mint keys nor change the
 * password of its own account — else whoever knows it would get an unbound credential.
 */
async function requireUserForAccount(ctx: RequestContext, tx: EntityManager, login: string): Promise<UserRow> {
  const user = await requireVisibleUser(ctx, validLogin(login), tx);
  const p = principalOf(ctx);
  if (user.id !== p.userId) await assertCanManageAccount(ctx, tx, user.id);
  else if (p.credentialOrganisationId) {
    throw new ForbiddenError('This credential was issued by a manager: it cannot create API keys or change the password of its account');
  }
  return user;
}

/**
 * R11a: a password or key made by someone else acts only where that person could manage the
 * user when it was made: the active organisation of a manager; anywhere for an administrator
 * (in admin, a user manager reaches every user) and for the user themself.
 */
export function issuedFor(ctx: RequestContext, userId: string): string | null {
  const p = principalOf(ctx);
  return userId !== p.userId && !p.inAdminOrganisation ? p.organisationId : null;
}

export async function lockUser(ctx: RequestContext, login: string, locked: boolean): Promise<UserRow> {
  return ctx.transaction(async (tx) => {
    const user = await requireVisibleUser(ctx, validLogin(login), tx);
    if (user.id === principalOf(ctx).userId) throw new BadInputError('You cannot lock or unlock yourself');
    await assertCanManageAccount(ctx, tx, user.id);
    if (user.locked === locked) return user;
    // Conditional, so that of concurrent identical calls only the one that changes the flag is audited (R28).
    const row = await one<UserRow>(tx, `UPDATE app_user u SET locked = $2, updated_at = now() WHERE id = $1 AND locked <> $2 RETURNING ${USER_COLUMNS}`, [
      user.id,
      locked,
    ]);
    if (!row) return (await one<UserRow>(tx, `SELECT ${USER_COLUMNS} FROM app_user u WHERE u.id = $1`, [user.id]))!;
    await recordAudit(ctx, tx, {
      action: locked ? 'user.lock' : 'user.unlock',
      objectType: 'User',
      objectId: user.id,
      details: { login: user.login, locked: { from: !locked, to: locked } },
    });
    return row!;
  });
}

export async function setPassword(ctx: RequestContext, login: string, password: string): Promise<UserRow> {
  validatePassword(password);
  return ctx.transaction(async (tx) => {
    const user = await requireUserForAccount(ctx, tx, login);
    const self = user.id === principalOf(ctx).userId;
    await tx.query('UPDATE app_user SET password_hash = $2, password_organisation_id = $3, updated_at = now() WHERE id = $1', [
      user.id,
      await hashPassword(password),
      issuedFor(ctx, user.id),
    ]);
    // A reset by someone else ends the user's sessions; one's own change keeps the current one.
    await tx.query(`DELETE FROM credential WHERE user_id = $1 AND kind = 'SESSION' AND id <> $2`, [
      user.id,
      self ? principalOf(ctx).credentialId : '00000000-0000-0000-0000-000000000000',
    ]);
    await recordAudit(ctx, tx, { action: 'user.password', objectType: 'User', objectId: user.id, details: { login: user.login, password: '<hidden>' } });
    return user;
  });
}

export async function createApiKey(ctx: RequestContext, login: string): Promise<string> {
  return ctx.transaction(async (tx) => {
    const user = await requireUserForAccount(ctx, tx, login);
    if (user.type !== 'INTERNAL') throw new BadInputError('API keys are for internal users');
    const key = newToken('hk');
    // Minted by an organisation's manager for someone else: valid only in that organisation (see CredentialEntity).
    const p = principalOf(ctx);
    const boundTo = issuedFor(ctx, user.id);
    await tx.query(`INSERT INTO credential (user_id, kind, token_hash, organisation_id) VALUES ($1, 'API_KEY', $2, $3)`, [user.id, hashToken(key), boundTo]);
    await recordAudit(ctx, tx, {
      action: 'user.apikey',
      objectType: 'User',
      objectId: user.id,
      details: { login: user.login, key: '<hidden>', ...(boundTo ? { onlyIn: p.organisationName } : {}) },
    });
    return key;
  });
}
