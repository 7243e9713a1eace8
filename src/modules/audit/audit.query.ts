import type { RequestContext } from '../../context';
import type { AuditFilter } from '../../generated/internal';
import { isUuid, one, rows, Sql } from '../../db/sql';
import { decodeCursor, keysetConnection, pageSize } from '../../db/cursor';
import { auditScope, caseVisible, referencedUserScope } from '../../authz/scopes';
import { BadInputError } from '../../errors/app-error';
import { AUDIT_COLUMNS } from './audit.columns';
import type { UserRow } from '../../db/records/user';
import type { OrganisationRow } from '../../db/records/organisation';

export interface AuditRow {
  id: string;
  action: string;
  objectType: string;
  objectId: string | null;
  /** Null for an attempt with an unknown login, shown as the hidden user. */
  actorId: string | null;
  organisationId: string;
  caseId: string | null;
  viaPortal: boolean;
  details: Record<string, unknown>;
  createdAt: Date;
  /** R41: the organisation whose chain holds the entry (its link: audit-chain.resolvers.ts). */
  chainId: string;
  /** created_at to the microsecond (the keyset with id). */
  at: string;
  /** Set by the live feed: the entry's fields as rendered once for all subscribers of one scope (R30a). */
  rendered?: { actor: UserRow; organisation: OrganisationRow | null; details: Record<string, unknown> };
}

export const MAX_AUDIT_PAGE = 200;

/** R29: entries of a visible case and of its elements the active organisation can see, oldest first; else []. */
export async function caseHistory(ctx: RequestContext, caseId: string): Promise<AuditRow[]> {
  if (!isUuid(caseId)) return [];
  const q = new Sql();
  const c = q.p(caseId);
  return rows<AuditRow>(
    ctx.db,
    `SELECT ${AUDIT_COLUMNS} FROM audit a
      WHERE a.case_id = ${c} AND ${caseVisible(ctx, q, c + '::uuid')} AND ${auditScope(ctx, q)}
      ORDER BY a.created_at, a.id`,
    q.params,
  );
}

function filterSql(ctx: RequestContext, q: Sql, filter: AuditFilter | null | undefined): string {
  const where: string[] = [];
  if (filter?.action != null) where.push(`a.action = ${q.p(filter.action)}`);
  if (filter?.objectType != null) where.push(`a.object_type = ${q.p(filter.objectType)}`);
  if (filter?.objectId != null) where.push(`a.object_id = ${q.p(filter.objectId)}`);
  // R29: an actor the caller cannot see matches nothing, exactly like an unknown login.
  if (filter?.actor != null)
    where.push(
      `a.actor_id IN (SELECT fu.id FROM app_user fu WHERE fu.login = ${q.p(filter.actor.trim().toLowerCase())} AND ${referencedUserScope(ctx, q, 'fu')})`,
    );
  return where.length ? where.join(' AND ') : 'TRUE';
}

export interface AuditListArgs {
  first?: number | null;
  after?: string | null;
  filter?: AuditFilter | null;
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A time this code wrote into a cursor: the shape, and a real date (never a database error). */
function isCursorTime(at: unknown): at is string {
  if (typeof at !== 'string' || !CURSOR_TIME.test(at)) return false;
  const ms = Date.parse(`${at.slice(0, 23)}Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 23) === at.slice(0, 23);
}

/**
 * Query.audit: newest first, keyset on (created_at, id) — ids are random and the cursor carries
 * only the entry's own time and id, so neither counts other organisations' writes (R29); the
 * scope applies before filter, count and page.
 */
export async function listAudit(ctx: RequestContext, args: AuditListArgs) {
  const first = pageSize(args.first, 50, MAX_AUDIT_PAGE);
  const q = new Sql();
  const conditions = [auditScope(ctx, q), filterSql(ctx, q, args.filter)];
  if (args.after != null) {
    const [kind, at, id] = decodeCursor(args.after, 3);
    if (kind !== 'audit' || !isCursorTime(at) || typeof id !== 'string' || !isUuid(id)) throw new BadInputError('Invalid cursor', 'after');
    conditions.push(`(a.created_at, a.id) < (${q.p(at)}::timestamptz, ${q.p(id)}::uuid)`);
  }
  const page = await rows<AuditRow>(
    ctx.db,
    `SELECT ${AUDIT_COLUMNS} FROM audit a WHERE ${conditions.join(' AND ')} ORDER BY a.created_at DESC, a.id DESC LIMIT ${first + 1}`,
    q.params,
  );
  return keysetConnection(
    page,
    first,
    args.after,
    (node) => ['audit', node.at, node.id],
    async () => {
      const cq = new Sql();
      const r = await one<{ n: number }>(
        ctx.db,
        `SELECT count(*)::int AS n FROM audit a WHERE ${auditScope(ctx, cq)} AND ${filterSql(ctx, cq, args.filter)}`,
        cq.params,
      );
      return r!.n;
    },
  );
}
