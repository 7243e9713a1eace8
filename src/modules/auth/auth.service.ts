import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one, Queryable, rows } from '../../db/sql';
import { AppError, BadInputError, ForbiddenError, UnauthenticatedError } from '../../errors/app-error';
import { USER_COLUMNS, UserRow } from '../../loaders';
import { recordAudit } from '../audit/audit.service';
import { verifyPassword } from './passwords';
import { hashToken, newToken } from './tokens';
import { resolvePrincipal } from './principal';
import { endpointRefusal } from '../../authz/endpoint';

export interface SessionResult { token: string; user: UserRow }

type LoginUser = UserRow & { passwordHash: string | null; passwordOrganisationId: string | null; defaultOrganisationId: string | null };

/**
 * R11c: reserves one attempt of the login's budget, atomically, BEFORE any password is checked:
 * concurrent attempts serialise on the login's row, so at most LOGIN_MAX_ATTEMPTS of them are
 * ever checked per window, however many arrive at once. The window starts at the first attempt
 * after the previous one expired; a success (or an accepted invitation) clears the row. This is
 * state of its own, not a count of audit entries (their ids carry no order).
 */
async function reserveAttempt(ctx: RequestContext, login: string): Promise<boolean> {
  const r = await one<{ attempts: number }>(ctx.db,
    `INSERT INTO login_throttle AS t (login, window_start, attempts) VALUES ($1, now(), 1)
     ON CONFLICT (login) DO UPDATE SET
       attempts = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE t.attempts + 1 END,
       window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN now() ELSE t.window_start END
     RETURNING t.attempts`,
    [login, ctx.settings.loginWindowSeconds]);
  return r!.attempts <= ctx.settings.loginMaxAttempts;
}

/** A successful login or accepted invitation starts the login's count afresh (R11c). */
export async function resetLoginThrottle(db: Queryable, login: string): Promise<void> {
  await db.query('DELETE FROM login_throttle WHERE login = $1', [login]);
}

/** Requests that have already attempted a login (R11c: one login per request, whatever the aliases). */
const loginAttempted = new WeakSet<RequestContext>();

/** Login attempts are audited whether they succeed or not (R28), outside the failed request's fate. */
async function auditLogin(ctx: RequestContext, user: LoginUser | undefined, login: string, outcome: 'success' | 'failure', reason?: string) {
  await ctx.transaction((tx) =>
    recordAudit(ctx, tx, {
      action: `login.${outcome}`, objectType: 'User', objectId: user?.id ?? null,
      actorId: user?.id ?? null, organisationId: user?.defaultOrganisationId ?? null,
      details: { login, endpoint: ctx.endpoint, ...(reason ? { reason } : {}) },
    }));
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
  const user = await one<LoginUser>(ctx.db,
    `SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash", u.password_organisation_id AS "passwordOrganisationId",
            (SELECT m.organisation_id FROM membership m WHERE m.user_id = u.id ORDER BY m.created_at LIMIT 1) AS "defaultOrganisationId"
       FROM app_user u WHERE u.login = $1`, [login]);
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
    // R11a: a password set by another organisation's manager opens sessions that act only there.
    const opened = await insertSession(ctx, tx, user.id, user.passwordOrganisationId);
    await recordAudit(ctx, tx, {
      action: 'login.success', objectType: 'User', objectId: user.id, actorId: user.id, organisationId: user.defaultOrganisationId,
      details: { login, endpoint: ctx.endpoint },
    });
    return opened;
  });
  await actAsSession(ctx, token);
  return { token, user };
}

/** A new session of the user, in the caller's transaction (its audit entry is the caller's); returns the token. */
export async function insertSession(ctx: RequestContext, tx: EntityManager, userId: string, organisationId: string | null = null): Promise<string> {
  const token = newToken('hs');
  await tx.query(`INSERT INTO credential (user_id, kind, token_hash, expires_at, organisation_id) VALUES ($1, 'SESSION', $2, now() + make_interval(secs => $3), $4)`,
    [userId, hashToken(token), ctx.settings.sessionTtlSeconds, organisationId]);
  return token;
}

/** The rest of a login's response (Session.user's memberships…) is resolved as the new session. */
export async function actAsSession(ctx: RequestContext, token: string): Promise<void> {
  const principal = await resolvePrincipal(ctx, { authorization: `Bearer ${token}` });
  if (principal && !(principal instanceof AppError)) {
    ctx.principal = principal;
    ctx.authError = undefined;
  }
}

/** Ends the current session; an API key used as the credential is not revoked by logout. */
export async function logout(ctx: RequestContext): Promise<boolean> {
  const p = principalOf(ctx);
  await ctx.transaction(async (tx) => {
    const ended = await rows(tx, `DELETE FROM credential WHERE id = $1 AND kind = 'SESSION' RETURNING id`, [p.credentialId]);
    if (ended.length) await recordAudit(ctx, tx, { action: 'logout', objectType: 'User', objectId: p.userId, details: { login: p.login, endpoint: ctx.endpoint } });
  });
  return true;
}

/** Purges expired sessions now and then; a request never accepts them anyway. */
export async function purgeExpiredSessions(ctx: RequestContext): Promise<void> {
  await ctx.db.query(`DELETE FROM credential WHERE kind = 'SESSION' AND expires_at < now()`);
  await ctx.db.query(`DELETE FROM login_throttle WHERE window_start <= now() - make_interval(secs => $1)`, [ctx.settings.loginWindowSeconds]);
}
