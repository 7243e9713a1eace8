import type { RequestContext } from '../../context';
import { one, Queryable, Sql } from '../../db/sql';
import { userScope } from '../../authz/scopes';
import { NotFoundError } from '../../errors/app-error';
import { USER_COLUMNS, UserRow } from '../../db/records/user';

/** A user the caller can see (R3, R11), else null. */
export async function findVisibleUser(ctx: RequestContext, login: string, db: Queryable = ctx.db): Promise<UserRow | null> {
  const q = new Sql();
  const row = await one<UserRow>(
    db,
    `SELECT ${USER_COLUMNS} FROM app_user u WHERE u.login = ${q.p(login.trim().toLowerCase())} AND ${userScope(ctx, q)}`,
    q.params,
  );
  return row ?? null;
}

export async function requireVisibleUser(ctx: RequestContext, login: string, db: Queryable = ctx.db): Promise<UserRow> {
  const u = await findVisibleUser(ctx, login, db);
  if (!u) throw new NotFoundError(`User "${login}"`);
  return u;
}
