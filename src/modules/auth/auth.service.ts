import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one, rows } from '../../db/sql';
import { AppError, BadInputError, ForbiddenError, UnauthenticatedError } from '../../errors/app-error';
import { USER_COLUMNS, UserRow } from '../../loaders';
import { recordAudit } from '../audit/audit.service';
import { verifyPassword } from './passwords';
import { hashToken, newToken } from './tokens';
import { resolvePrincipal } from './principal';
import { endpointRefusal } from '../../authz/endpoint';

export interface SessionResult { token: string; user: UserRow }

type LoginUser = UserRow & { passwordHash: string | null; defaultOrganisationId: string | null };

/**
 * Failed attempts for this login inside the window and since its last success: a password login,
 * or an accepted invitation (it opens a session too, audited as invitation.accept). Ordered by
 * created_at: audit ids are random (R29); an entry's time is taken when it is appended (audit-append.ts).
 */
async function recentFailures(ctx: RequestContext, login: string): Promise<number> {
  const r = await one<{ n: number }>(ctx.db,
    `SELECT count(*)::int AS n FROM audit a
      WHERE a.action LIKE 'login.%' AND a.action = 'login.failure' AND a.details->>'login' = $1
        AND a.created_at > now() - make_interval(secs => $2)
        AND a.created_at > GREATEST(
          (SELECT max(s.created_at) FROM audit s WHERE s.action = 'login.success' AND s.details->>'login' = $1 AND s.action LIKE 'login.%'),
          (SELECT max(i.created_at) FROM audit i WHERE i.object_type = 'User' AND i.action = 'invitation.accept'
            AND i.object_id = (SELECT iu.id::text FROM app_user iu WHERE iu.login = $1)),
          '-infinity'::timestamptz)`,
    [login, ctx.config.loginWindowSeconds]);
  return r!.n;
}

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
  const user = await one<LoginUser>(ctx.db,
    `SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash",
            (SELECT m.organisation_id FROM membership m WHERE m.user_id = u.id ORDER BY m.created_at LIMIT 1) AS "defaultOrganisationId"
       FROM app_user u WHERE u.login = $1`, [login]);
  const fail = async (reason: string, error: AppError): Promise<never> => {
    await auditLogin(ctx, user, login, 'failure', reason);
    throw error;
  };
  if ((await recentFailures(ctx, login)) >= ctx.config.loginMaxAttempts) {
    return fail('throttled', new UnauthenticatedError('Too many failed attempts for this login; try again later'));
  }
  if (!(await verifyPassword(user?.passwordHash, password)) || !user) return fail('bad-credentials', new UnauthenticatedError('Invalid login or password'));
  if (user.locked) return fail('locked', new UnauthenticatedError('This account is locked'));
  const wrongEndpoint = endpointRefusal(ctx.endpoint, user.type, 'login');
  if (wrongEndpoint) return fail('wrong-endpoint', wrongEndpoint);
  if (!user.defaultOrganisationId) return fail('no-organisation', new ForbiddenError('This account belongs to no organisation'));
  const token = await ctx.transaction(async (tx) => {
    const opened = await insertSession(ctx, tx, user.id);
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
export async function insertSession(ctx: RequestContext, tx: EntityManager, userId: string): Promise<string> {
  const token = newToken('hs');
  await tx.query(`INSERT INTO credential (user_id, kind, token_hash, expires_at) VALUES ($1, 'SESSION', $2, now() + make_interval(secs => $3))`,
    [userId, hashToken(token), ctx.config.sessionTtlSeconds]);
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
}
