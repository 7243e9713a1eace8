import { one, Queryable } from '../../db/sql';
import { NotFoundError } from '../../errors/app-error';
import { PROFILE_COLUMNS, ProfileRow } from '../../db/records/profile';

/**
 * Row locks for reads inside a write's transaction:
 * 'reference' (FOR KEY SHARE) — the write will point a membership or share at the profile: a
 *   concurrent deleteProfile then either waits and finds the reference (CONFLICT), or deleted it
 *   first and the profile is absent here (NOT_FOUND) — never a foreign-key error (R10);
 * 'update' (FOR NO KEY UPDATE) — concurrent updates of the profile run one after the other, so
 *   each sees the previous one's result and only effective changes are audited (R28); references
 *   being added meanwhile are not held up.
 */
export type ProfileLock = 'reference' | 'update';

export async function findProfile(db: Queryable, name: string, lock?: ProfileLock): Promise<ProfileRow | null> {
  const suffix = lock === 'reference' ? ' FOR KEY SHARE' : lock === 'update' ? ' FOR NO KEY UPDATE' : '';
  return (await one<ProfileRow>(db, `SELECT ${PROFILE_COLUMNS} FROM profile p WHERE lower(p.name) = lower($1)${suffix}`, [name.trim()])) ?? null;
}

export async function requireProfile(db: Queryable, name: string, lock?: ProfileLock): Promise<ProfileRow> {
  const p = await findProfile(db, name, lock);
  if (!p) throw new NotFoundError(`Profile "${name}"`);
  return p;
}
