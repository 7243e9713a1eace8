import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one, Queryable, rows } from '../../db/sql';
import { AppError, BadInputError, ForbiddenError, UnauthenticatedError } from '../../errors/app-error';
import { USER_COLUMNS, UserRow } from '../../db/records/user';
import { recordAudit } from '../audit-trail/audit-trail.shared';
import { verifyPassword } from './passwords';
import { endpointRefusal } from '../../authz/endpoint';
import { SessionResult, resetLoginThrottle, insertSession, actAsSession } from './auth.shared';

type LoginUser = UserRow & { passwordHash: string | null; passwordOrganisationId: string | null; defaultOrganisationId: string | null };

/**
 * R11c: reserves one attempt of the login's budget, atomically, BEFORE any password is checked:
 * concurrent attempts serialise on the login's row, so at most LOGIN_MAX_ATTEMPTS of them are
 * ever checked per window, however many arrive at once. The window starts at the first attempt
 * after the previous one expired; a success (or an accepted invitation) clears the row. This is
 * state of its own, not a count of audit entries (their ids carry no order).
 */
async function reserveAttempt(ctx: RequestContext, login: string): Promise<boolean> {
  const r = await one<{ attempts: number }>(
    ctx.db,
    `INSERT INTO login_throttle AS t (login, window_start, attempts) VALUES ($1, now(), 1)
     ON CONFLICT (login) DO UPDATE SET
       attempts = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE t.attempts + 1 END,
       window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN now() ELSE t.window_start END
     RETURNING t.attempts`,
    [login, ctx.settings.loginWindowSeconds],
  );
  return r!.attempts <= ctx.settings.loginMaxAttempts;
}

/** Requests that have already attempted a login (R11c: one login per request, whatever the aliases). */
const loginAttempted = new WeakSet<RequestContext>();

/** Login attempts are audited whether they succeed or not (R28), outside the failed request's fate. */
async function auditLogin(ctx: RequestContext, user: LoginUser | undefined, login: string, outcome: 'success' | 'failure', reason?: string) {
  await ctx.transaction((tx) =>
    recordAudit(ctx, tx, {
      action: `login.${outcome}`,
      objectType: 'User',
      objectId: user?.id ?? null,
      actorId: user?.id ?? null,
      organisationId: user?.defaultOrganisationId ?? null,
      details: { login, endpoint: ctx.endpoint, ...(reason ? { reason } : {}) },
    }),
  );
}

/**
 * Password login for either endpoint (R22: internal users only on /graphql, external only on
 * the portal). Throttled per login after LOGIN_MAX_ATTEMPTS failures within LOGIN_WINDOW_SECONDS.
 */
export async function login(ctx: RequestContext, loginArg: string, password: string): Promise<SessionResult> {
  const login = loginArg.trim().toLowerCase();
  if (!login || login.length > 254) throw new BadInputError('login must be 1–254 characters', 'login');
  if (password.length > 1024) throw new BadInputError('password is too long', 'password');
  // R11c: 30 aliased logins in one document would otherwise run 30 password checks and open 30 sessions.
  if (loginAttempted.has(ctx)) throw new BadInputError('One login per request', 'login');
  loginAttempted.add(ctx);
  const user = await one<LoginUser>(
    ctx.db,
    `SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash", u.password_organisation_id AS "passwordOrganisationId",
            (SELECT m.organisation_id FROM membership m WHERE m.user_id = u.id ORDER BY m.created_at LIMIT 1) AS "defaultOrganisationId"
       FROM app_user u WHERE u.login = $1`,
    [login],
  );
  const fail = async (reason: string, error: AppError): Promise<never> => {
    await auditLogin(ctx, user, login, 'failure', reason);
    throw error;
  };
  if (!(await reserveAttempt(ctx, login))) {
    return fail('throttled', new UnauthenticatedError('Too many failed attempts for this login; try again later'));
  }
  if (!(await verifyPassword(user?.passwordHash, password)) || !user) return fail('bad-credentials', new UnauthenticatedError('Invalid login or password'));
  if (user.locked) return fail('locked', new UnauthenticatedError('This account is locked'));
  const wrongEndpoint = endpointRefusal(ctx.endpoint, user.type, 'login');
  if (wrongEndpoint) return fail('wrong-endpoint', wrongEndpoint);
  if (!user.defaultOrganisationId) return fail('no-organisation', new ForbiddenError('This account belongs to no organisation'));
  const token = await ctx.transaction(async (tx) => {
    await resetLoginThrottle(tx, login);
    await purgeExpiredSessions(tx, ctx.settings.loginWindowSeconds, user.id);
    // R11a: a password set by another organisation's manager opens sessions that act only there.
    const opened = await insertSession(ctx, tx, user.id, user.passwordOrganisationId);
    await recordAudit(ctx, tx, {
      action: 'login.success',
      objectType: 'User',
      objectId: user.id,
      actorId: user.id,
      organisationId: user.defaultOrganisationId,
      details: { login, endpoint: ctx.endpoint },
    });
    return opened;
  });
  await actAsSession(ctx, token);
  return { token, user };
}

/** Ends the current session; an API key used as the credential is not revoked by logout. */
export async function logout(ctx: RequestContext): Promise<boolean> {
  const p = principalOf(ctx);
  await ctx.transaction(async (tx) => {
    const ended = await rows(tx, `DELETE FROM credential WHERE id = $1 AND kind = 'SESSION' RETURNING id`, [p.credentialId]);
    if (ended.length)
      await recordAudit(ctx, tx, { action: 'logout', objectType: 'User', objectId: p.userId, details: { login: p.login, endpoint: ctx.endpoint } });
  });
  return true;
}

/**
 * Expired sessions and stale login throttles: a request never accepts them, but nothing else
 * deletes them. Purged for one user at each of their logins, and for everyone by the server's
 * timer (app.ts), so sessions of users who never come back do not pile up either.
 */
export async function purgeExpiredSessions(db: Queryable, loginWindowSeconds: number, userId?: string): Promise<void> {
  if (userId) {
    await db.query(`DELETE FROM credential WHERE user_id = $1 AND kind = 'SESSION' AND expires_at < now()`, [userId]);
    return;
  }
  await db.query(`DELETE FROM credential WHERE kind = 'SESSION' AND expires_at < now()`);
  await db.query(`DELETE FROM login_throttle WHERE window_start <= now() - make_interval(secs => $1)`, [loginWindowSeconds]);
}
