import type { RequestContext } from '../../context';
import { USER_COLUMNS, UserRow } from '../../db/records/user';
import { defineLoader, loaderOf } from '../../loaders';
import { referencedUserScope } from '../../authz/scopes';
import { MembershipRow, membershipsSql } from './user.service';

declare module '../../loader-map' {
  interface LoaderMap {
    'user.referenced': { one: UserRow };
    'user.memberships': { many: MembershipRow };
  }
}

/** Users the caller may see named on its objects (referencedUserScope), by id, one statement per batch. */
const visibleUser = defineLoader({
  name: 'user.referenced',
  one: (ctx, q, ids) => `SELECT ${USER_COLUMNS} FROM app_user u WHERE u.id = ${ids} AND ${referencedUserScope(ctx, q)}`,
});

/** User.memberships, for a page of users in one statement (membershipsSql says whose the caller sees). */
export const memberships = defineLoader({ name: 'user.memberships', many: membershipsSql, keyOf: (r) => r.userId });

/**
 * A user referenced by something the caller sees (author, assignee, actor). A visible object may
 * name a user of a third organisation the caller cannot see (R3): such a user is shown as a stub
 * that carries no login, name or e-mail.
 */
export async function userRef(ctx: RequestContext, id: string | null | undefined): Promise<UserRow | null> {
  if (!id) return null;
  return (await loaderOf(ctx, visibleUser).load(id)) ?? hiddenUser();
}

/** The id every hidden user shows: no account has it, and it tells nothing about the real one (R29). */
export const HIDDEN_USER_ID = '00000000-0000-0000-0000-000000000000';

export function hiddenUser(): UserRow {
  return { id: HIDDEN_USER_ID, login: 'hidden', name: 'Hidden user', email: null, type: 'INTERNAL', locked: false, createdAt: new Date(0) };
}
