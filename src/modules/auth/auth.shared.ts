import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { Queryable } from '../../db/sql';
import { AppError } from '../../errors/app-error';
import { UserRow } from '../../db/records/user';
import { hashToken, newToken } from './tokens';
import { resolvePrincipal } from './principal';

export interface SessionResult {
  token: string;
  user: UserRow;
}

/** A successful login or accepted invitation starts the login's count afresh (R11c). */
export async function resetLoginThrottle(db: Queryable, login: string): Promise<void> {
  await db.query('DELETE FROM login_throttle WHERE login = $1', [login]);
}

/** A new session of the user, in the caller's transaction (its audit entry is the caller's); returns the token. */
export async function insertSession(ctx: RequestContext, tx: EntityManager, userId: string, organisationId: string | null = null): Promise<string> {
  const token = newToken('hs');
  await tx.query(
    `INSERT INTO credential (user_id, kind, token_hash, expires_at, organisation_id) VALUES ($1, 'SESSION', $2, now() + make_interval(secs => $3), $4)`,
    [userId, hashToken(token), ctx.settings.sessionTtlSeconds, organisationId],
  );
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
