import { one, Queryable } from '../db/sql';
import { BadInputError } from '../errors/app-error';
import { liveShare } from './scopes';

/**
 * R23: portal access is granted to external users only (internal users see cases through their
 * organisation's share), and only to members of an organisation that holds a share on the case
 * that still gives access (R39), so a grant never exposes a case to an organisation that cannot see it.
 */
export async function assertGrantable(db: Queryable, caseId: string, user: { id: string; login: string; type: string }): Promise<void> {
  if (user.type !== 'EXTERNAL') {
    throw new BadInputError(`"${user.login}" is an internal user: internal users see cases through their organisation's share, not portal grants`, 'login');
  }
  const holder = await one(
    db,
    `SELECT 1 FROM membership m JOIN share s ON s.organisation_id = m.organisation_id AND s.case_id = $2 AND ${liveShare('s')} WHERE m.user_id = $1`,
    [user.id, caseId],
  );
  if (!holder) throw new BadInputError(`"${user.login}" belongs to an organisation that holds no share on this case`, 'login');
}
