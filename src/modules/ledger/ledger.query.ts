import type { RequestContext } from '../../context';
import { one, rows, Sql } from '../../db/sql';
import { decodeCursor, keysetConnection, pageSize } from '../../db/cursor';
import { BadInputError } from '../../errors/app-error';

export interface ReadRecordRow {
  id: string;
  kind: 'CASE_VIEW' | 'ATTACHMENT_DOWNLOAD';
  userId: string;
  organisationId: string;
  objectId: string;
  viaPortal: boolean;
  at: Date;
}

const MAX_PAGE = 200;
const COLUMNS = `r.id, r.kind, r.user_id AS "userId", r.organisation_id AS "organisationId", r.object_id AS "objectId", r.via_portal AS "viaPortal", r.at`;

/**
 * caseReads (R40): the owner organisation's view of who outside it read the case, newest first,
 * keyset on (at, id) — random ids, a cursor of the record's own time and id (R29).
 * The case is the one its field's rule checked (visible, owner share: SDL `ownerOnly`).
 */
export async function caseReads(ctx: RequestContext, c: { id: string }, args: { first?: number | null; after?: string | null }) {
  const first = pageSize(args.first, 50, MAX_PAGE);
  const q = new Sql();
  const where = [`r.case_id = ${q.p(c.id)}`];
  if (args.after != null) {
    const [kind, at, id] = decodeCursor(args.after, 3);
    if (kind !== 'read' || typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) {
      throw new BadInputError('Invalid cursor', 'after');
    }
    where.push(`(r.at, r.id) < (${q.p(new Date(at).toISOString())}::timestamptz, ${q.p(id)}::uuid)`);
  }
  const page = await rows<ReadRecordRow>(
    ctx.db,
    `SELECT ${COLUMNS} FROM read_record r WHERE ${where.join(' AND ')} ORDER BY r.at DESC, r.id DESC LIMIT ${first + 1}`,
    q.params,
  );
  return keysetConnection(
    page,
    first,
    args.after,
    (node) => ['read', node.at.toISOString(), node.id],
    async () => (await one<{ n: number }>(ctx.db, `SELECT count(*)::int AS n FROM read_record WHERE case_id = $1`, [c.id]))!.n,
  );
}
