import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one, rows, Sql } from '../../db/sql';
import { caseScopeJoin, userScope } from '../../authz/scopes';
import type { Checked } from '../../authz/checked';
import { assertGrantable } from '../../authz/external-access';
import { grantOpensCase } from '../../authz/portal-scopes';
import { assertCanManageMembersOf } from '../../authz/user-access';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors/app-error';
import { USER_COLUMNS, UserRow } from '../../db/records/user';
import { recordAudit } from '../audit-trail/audit-trail.shared';
import { hashPassword, validatePassword } from '../auth/passwords';
import { hashToken, newToken } from '../auth/tokens';
import { actAsSession, insertSession, resetLoginThrottle, SessionResult } from '../auth/auth.shared';
import { requireProfile } from '../profile/profile.shared';
import { requireVisibleUser } from '../user/user.shared';
import type { CaseRow } from '../../db/records/case';
import { validEmail, validLogin, requiredLine } from '../validation';
import { SHARED_EXTERNALLY_SQL } from './external.shared';

/** The link an invitation e-mail carries: PORTAL_URL/invitation?token=… */
export function invitationLink(portalUrl: string, token: string): string {
  return `${portalUrl.replace(/\/+$/, '')}/invitation?token=${encodeURIComponent(token)}`;
}

/**
 * Writes a new one-time invitation (only its hash is stored); returns the token for the e-mail.
 * The caller's audit entry records it (R28: one entry per write).
 */
async function createInvitation(ctx: RequestContext, tx: EntityManager, user: UserRow): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken('hi');
  const row = await one<{ expiresAt: Date }>(
    tx,
    `INSERT INTO invitation (user_id, token_hash, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING expires_at AS "expiresAt"`,
    [user.id, hashToken(token), ctx.settings.invitationTtlSeconds],
  );
  return { token, expiresAt: row!.expiresAt };
}

/**
 * Sends the invitation after the transaction committed (no link to a user that does not exist).
 * A delivery failure does not undo the account: it is logged and resendInvitation sends a new link.
 */
async function sendInvitation(ctx: RequestContext, user: UserRow, organisation: string, invitation: { token: string; expiresAt: Date }): Promise<boolean> {
  try {
    return await ctx.mailer.send({
      to: user.email!,
      subject: 'Your TheHive Portal access',
      text: [
        `Hello ${user.name},`,
        '',
        `An account was created for you on the TheHive Portal of ${organisation} (login: ${user.login}).`,
        'Open this link to choose your password (it works once, until ' + invitation.expiresAt.toISOString() + '):',
        '',
        invitationLink(ctx.config.portalUrl, invitation.token),
        '',
        // For clients and scripts that take the token rather than follow the link.
        `Invitation token: ${invitation.token}`,
        '',
        'If you did not expect this message, you can ignore it.',
      ].join('\n'),
    });
  } catch (err) {
    ctx.logger.error({ err, login: user.login }, 'invitation e-mail could not be sent');
    return false;
  }
}

/**
 * R21/R22: an EXTERNAL account in the active organisation (never admin), with an external profile
 * and no password; the invitation e-mail lets the user choose one (the root field's rule authorises).
 */
export async function createExternalUser(ctx: RequestContext, args: { login: string; name: string; email: string; profile: string }): Promise<UserRow> {
  const p = principalOf(ctx);
  if (p.inAdminOrganisation)
    throw new BadInputError('External users belong to a normal organisation, never to admin: act in that organisation (X-Organisation)');
  const login = validLogin(args.login);
  const name = requiredLine(args.name, 'name', 256);
  const email = validEmail(args.email, true)!;
  // The address goes to SMTP as a recipient list: no second address or display-name syntax.
  if (/[,;<>"()\\]/.test(email)) throw new BadInputError('email must be a single plain address', 'email');
  const { user, invitation } = await ctx.transaction(async (tx) => {
    assertCanManageMembersOf(ctx, p.organisationId);
    const profile = await requireProfile(tx, args.profile, 'reference');
    if (!profile.external) throw new BadInputError(`Profile "${profile.name}" is internal: external users need an external profile`, 'profile');
    if (await one(tx, 'SELECT 1 FROM app_user WHERE login = $1', [login])) throw new ConflictError(`Login "${login}" is already taken`);
    const user = (await one<UserRow>(tx, `INSERT INTO app_user AS u (login, name, email, type) VALUES ($1, $2, $3, 'EXTERNAL') RETURNING ${USER_COLUMNS}`, [
      login,
      name,
      email,
    ]))!;
    await tx.query('INSERT INTO membership (user_id, organisation_id, profile_id) VALUES ($1, $2, $3)', [user.id, p.organisationId, profile.id]);
    const invitation = await createInvitation(ctx, tx, user);
    // The e-mail leaves after commit, so whether it was delivered cannot be part of this entry.
    await recordAudit(ctx, tx, {
      action: 'user.create',
      objectType: 'User',
      objectId: user.id,
      details: {
        login,
        name,
        email,
        type: 'EXTERNAL',
        organisation: p.organisationName,
        profile: profile.name,
        invitation: { expiresAt: invitation.expiresAt, token: '<hidden>' },
      },
    });
    return { user, invitation };
  });
  await sendInvitation(ctx, user, p.organisationName, invitation);
  return user;
}

/** An external user the caller manages: a member of the active organisation (admin: anyone), else NOT_FOUND/FORBIDDEN. */
async function requireManagedExternalUser(ctx: RequestContext, tx: EntityManager, loginArg: string): Promise<{ user: UserRow; organisation: string }> {
  const user = await requireVisibleUser(ctx, validLogin(loginArg), tx);
  if (user.type !== 'EXTERNAL') throw new BadInputError(`"${user.login}" is an internal user: invitations are for external users`, 'login');
  const membership = await one<{ organisationId: string; name: string }>(
    tx,
    'SELECT m.organisation_id AS "organisationId", o.name FROM membership m JOIN organisation o ON o.id = m.organisation_id WHERE m.user_id = $1',
    [user.id],
  );
  if (!membership) throw new NotFoundError(`User "${user.login}"`);
  assertCanManageMembersOf(ctx, membership.organisationId);
  return { user, organisation: membership.name };
}

/** Invalidates every pending link of the user and e-mails a new one; true when the e-mail was handed to the SMTP server. */
export async function resendInvitation(ctx: RequestContext, login: string): Promise<boolean> {
  const { user, organisation, invitation } = await ctx.transaction(async (tx) => {
    const { user, organisation } = await requireManagedExternalUser(ctx, tx, login);
    if (user.locked) throw new BadInputError(`"${user.login}" is locked: unlock the account first`, 'login');
    if (!user.email) throw new BadInputError(`"${user.login}" has no e-mail address`, 'login');
    await tx.query('UPDATE invitation SET expires_at = now() WHERE user_id = $1 AND used_at IS NULL AND expires_at > now()', [user.id]);
    const invitation = await createInvitation(ctx, tx, user);
    await recordAudit(ctx, tx, {
      action: 'invitation.create',
      objectType: 'User',
      objectId: user.id,
      details: { login: user.login, email: user.email, expiresAt: invitation.expiresAt, resend: true, token: '<hidden>' },
    });
    return { user, organisation, invitation };
  });
  return sendInvitation(ctx, user, organisation, invitation);
}

interface InvitationState {
  userId: string;
  login: string;
  organisationId: string | null;
  reason: string;
}

/** Why a token cannot be used, for the audit of a failed acceptance (never told to the caller). */
async function invitationFailure(ctx: RequestContext, tokenHash: string): Promise<InvitationState | undefined> {
  return one<InvitationState>(
    ctx.db,
    `SELECT u.id AS "userId", u.login, (SELECT m.organisation_id FROM membership m WHERE m.user_id = u.id ORDER BY m.created_at LIMIT 1) AS "organisationId",
            CASE WHEN i.used_at IS NOT NULL THEN 'used' WHEN i.expires_at <= now() THEN 'expired' WHEN u.locked THEN 'locked'
                 WHEN u.type <> 'EXTERNAL' THEN 'not-external' ELSE 'no-organisation' END AS reason
       FROM invitation i JOIN app_user u ON u.id = i.user_id WHERE i.token_hash = $1`,
    [tokenHash],
  );
}

/**
 * R21: the one-time token sets the password and opens a portal session. The token is consumed by
 * one conditional UPDATE, so two concurrent acceptances cannot both succeed. Unknown, used or
 * expired tokens (and locked accounts) → UNAUTHENTICATED; a weak password → BAD_USER_INPUT and the
 * token stays usable. The acceptance is also a successful login attempt: R28 wants one entry for
 * it, invitation.accept (it resets the login throttle as login.success does).
 */
export async function acceptInvitation(ctx: RequestContext, token: string, password: string): Promise<SessionResult> {
  validatePassword(password);
  const tokenHash = hashToken(token.trim());
  const passwordHash = await hashPassword(password);
  const accepted = await ctx.transaction(async (tx) => {
    const user = await one<UserRow & { organisationId: string }>(
      tx,
      `UPDATE invitation i SET used_at = now() FROM app_user u
        WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > now()
          AND u.id = i.user_id AND u.type = 'EXTERNAL' AND NOT u.locked
          AND EXISTS (SELECT 1 FROM membership m WHERE m.user_id = u.id)
       RETURNING ${USER_COLUMNS}, (SELECT m.organisation_id FROM membership m WHERE m.user_id = u.id ORDER BY m.created_at LIMIT 1) AS "organisationId"`,
      [tokenHash],
    );
    if (!user) return undefined;
    await tx.query('UPDATE app_user SET password_hash = $2, updated_at = now() WHERE id = $1', [user.id, passwordHash]);
    // Other pending links die with this one; earlier sessions end (the password changed).
    await tx.query('UPDATE invitation SET expires_at = now() WHERE user_id = $1 AND used_at IS NULL AND expires_at > now()', [user.id]);
    await tx.query(`DELETE FROM credential WHERE user_id = $1 AND kind = 'SESSION'`, [user.id]);
    const session = await insertSession(ctx, tx, user.id);
    await resetLoginThrottle(tx, user.login);
    await recordAudit(ctx, tx, {
      action: 'invitation.accept',
      objectType: 'User',
      objectId: user.id,
      actorId: user.id,
      organisationId: user.organisationId,
      details: { login: user.login, endpoint: ctx.endpoint, password: '<hidden>', session: 'opened' },
    });
    return { token: session, user };
  });
  if (!accepted) {
    const state = await invitationFailure(ctx, tokenHash);
    await ctx.transaction((tx) =>
      recordAudit(ctx, tx, {
        action: 'invitation.failure',
        objectType: 'User',
        objectId: state?.userId ?? null,
        actorId: state?.userId ?? null,
        organisationId: state?.organisationId ?? null,
        details: { login: state?.login ?? null, reason: state?.reason ?? 'unknown-token' },
      }),
    );
    if (state?.reason === 'no-organisation') throw new ForbiddenError('This account belongs to no organisation');
    throw new UnauthenticatedError('This invitation link is invalid, expired or already used: ask for a new one');
  }
  await actAsSession(ctx, accepted.token);
  return accepted;
}

/**
 * R23: lets an external user see the case in the portal (the field's rule checks the case);
 * the user must be visible to the caller (R3), external, and a member of an organisation holding
 * a share on the case. The grant belongs to the share of the granter's organisation (R23): it ends
 * with that share and never comes back. `expiresAt` (R39): from then on it gives no access.
 * Granting again sets the expiry and makes the grant the caller's organisation's; granting again
 * with nothing to change writes nothing (no second entry).
 */
export async function grantExternalAccess(ctx: RequestContext, target: Checked<CaseRow>, login: string, expiresAt: Date | null = null): Promise<CaseRow> {
  return ctx.transaction(async (tx) => {
    const access = await target.lock(tx, 'share');
    const user = await requireVisibleUser(ctx, validLogin(login), tx);
    await assertGrantable(tx, access.id, user);
    // R23: the grant belongs to the granter's organisation's share; removing that share removes it.
    const to = expiresAt?.toISOString() ?? null;
    const added = await rows(
      tx,
      'INSERT INTO external_grant (case_id, user_id, granted_by, share_id, expires_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING user_id',
      [access.id, user.id, principalOf(ctx).userId, access.shareId, expiresAt],
    );
    if (added.length) {
      await recordAudit(ctx, tx, {
        action: 'externalgrant.create',
        objectType: 'ExternalGrant',
        objectId: user.id,
        caseId: access.id,
        details: { login: user.login, ...(to ? { expiresAt: to } : {}) },
      });
    } else {
      // Granted already (perhaps concurrently: the insert waited for it). R39: the new grant's terms replace the old.
      const before = (await one<{ expiresAt: Date | null; shareId: string }>(
        tx,
        'SELECT expires_at AS "expiresAt", share_id AS "shareId" FROM external_grant WHERE case_id = $1 AND user_id = $2 FOR UPDATE',
        [access.id, user.id],
      ))!;
      const from = before.expiresAt?.toISOString() ?? null;
      if (from !== to || before.shareId !== access.shareId) {
        await tx.query('UPDATE external_grant SET expires_at = $3, granted_by = $4, share_id = $5 WHERE case_id = $1 AND user_id = $2', [
          access.id,
          user.id,
          expiresAt,
          principalOf(ctx).userId,
          access.shareId,
        ]);
        await recordAudit(ctx, tx, {
          action: 'externalgrant.update',
          objectType: 'ExternalGrant',
          objectId: user.id,
          caseId: access.id,
          details: { login: user.login, expiresAt: { from, to } },
        });
      }
    }
    return access;
  });
}

/**
 * R23: withdraws a grant; the portal scope reads grants on every request, so it applies to the
 * next one. FOR UPDATE on the case waits for portal writes in flight (they hold it FOR SHARE).
 */
export async function revokeExternalAccess(ctx: RequestContext, target: Checked<CaseRow>, login: string): Promise<boolean> {
  return ctx.transaction(async (tx) => {
    const access = await target.lock(tx, 'update');
    const user = await requireVisibleUser(ctx, validLogin(login), tx);
    const removed = await rows(tx, 'DELETE FROM external_grant WHERE case_id = $1 AND user_id = $2 RETURNING user_id', [access.id, user.id]);
    if (!removed.length) throw new NotFoundError(`Portal access of "${user.login}" to this case`);
    await recordAudit(ctx, tx, {
      action: 'externalgrant.delete',
      objectType: 'ExternalGrant',
      objectId: user.id,
      caseId: access.id,
      details: { login: user.login },
    });
    return true;
  });
}

/**
 * Case.externalUsers for a page of cases in one statement: who has portal access (R23), i.e. the
 * users granted each case and its creator when external, limited to users the caller can see (R3).
 */
export function externalUsersByCaseSql(ctx: RequestContext, q: Sql, key: string) {
  return `SELECT x."caseId", ${USER_COLUMNS}
       FROM (SELECT g.case_id AS "caseId", g.user_id FROM external_grant g WHERE g.case_id = ${key} AND ${grantOpensCase('g')}
             UNION
             SELECT xc.id, xc.created_by FROM "case" xc JOIN app_user xu ON xu.id = xc.created_by AND xu.type = 'EXTERNAL' WHERE xc.id = ${key}) x
       JOIN "case" c ON c.id = x."caseId" ${caseScopeJoin(ctx, q)}
       JOIN app_user u ON u.id = x.user_id
      WHERE ${userScope(ctx, q)}
      ORDER BY u.login`;
}

/** Case.sharedExternally for a page of cases in one statement. */
export function sharedExternallySql(ctx: RequestContext, q: Sql, key: string) {
  return `SELECT c.id, ${SHARED_EXTERNALLY_SQL('c')} AS "sharedExternally" FROM "case" c ${caseScopeJoin(ctx, q)} WHERE c.id = ${key}`;
}
