import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import type { CaseFilter, CaseOrder, CaseOrderField, CreateCaseInput, UpdateCaseInput } from '../../generated/internal';
import { one, rows, Sql } from '../../db/sql';
import { primeRelation, Relation, relationJson } from '../../loaders';
import { decodeCursor, encodeCursor, pageSize } from '../../db/cursor';
import { CASE_SCOPE_COLUMNS, caseScopeJoin, referencedUserScope, visibleCasesForCount } from '../../authz/scopes';
import {
  assigneeEligibleSql, findVisibleCase, requireAssignable,
} from '../../authz/case-access';
import type { Checked } from '../../authz/checked';
import { BadInputError } from '../../errors/app-error';
import { changes, recordAudit } from '../audit/audit.service';
import { notNull, optionalText, requiredLine } from '../validation';
import { CASE_COLUMNS, CaseRow, insertCase, updateColumns } from './case.records';
import { clearCaseLoaders } from './case.loaders';
import { collectFiles } from '../attachment/file-collector';

export const MAX_TITLE = 512;
export const MAX_DESCRIPTION = 100_000;
export const MAX_TAG = 64;
export const MAX_TAGS = 50;
export const MAX_PAGE = 100;

export function validSeverity(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 4) throw new BadInputError('severity must be an integer from 1 (low) to 4 (critical)', 'severity');
  return value;
}

/** Trimmed, non-empty, at most MAX_TAG characters each, at most MAX_TAGS, duplicates dropped (first kept). */
export function validTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of tags) {
    const tag = requiredLine(raw, 'tags', MAX_TAG);
    if (!out.includes(tag)) out.push(tag);
  }
  if (out.length > MAX_TAGS) throw new BadInputError(`A case has at most ${MAX_TAGS} tags`, 'tags');
  return out;
}

export async function createCase(ctx: RequestContext, input: CreateCaseInput): Promise<CaseRow> {
  const data = {
    title: requiredLine(input.title, 'title', MAX_TITLE),
    description: optionalText(input.description ?? '', 'description', MAX_DESCRIPTION),
    severity: validSeverity(input.severity ?? 2),
    tlp: input.tlp ?? 'AMBER',
    pap: input.pap ?? 'AMBER',
    tags: validTags(input.tags ?? []),
  };
  return ctx.transaction(async (tx) => {
    const { id } = await insertCase(ctx, tx, data);
    return (await findVisibleCase(ctx, tx, id))!;
  });
}

type CasePatch = Partial<Pick<CaseRow, 'title' | 'description' | 'severity' | 'status' | 'tlp' | 'pap' | 'tags'>>;

function casePatch(input: UpdateCaseInput): CasePatch {
  const patch: CasePatch = {};
  if (input.title !== undefined) patch.title = requiredLine(notNull(input.title, 'title'), 'title', MAX_TITLE);
  if (input.description !== undefined) patch.description = optionalText(notNull(input.description, 'description'), 'description', MAX_DESCRIPTION);
  if (input.severity !== undefined) patch.severity = validSeverity(notNull(input.severity, 'severity'));
  if (input.status !== undefined) patch.status = notNull(input.status, 'status');
  if (input.tlp !== undefined) patch.tlp = notNull(input.tlp, 'tlp');
  if (input.pap !== undefined) patch.pap = notNull(input.pap, 'pap');
  if (input.tags !== undefined) patch.tags = validTags(notNull(input.tags, 'tags'));
  return patch;
}

/** R19: only the given fields change; the audit entry lists those whose value changed. */
export async function updateCase(ctx: RequestContext, target: Checked<CaseRow>, input: UpdateCaseInput): Promise<CaseRow> {
  const patch = casePatch(input);
  const result = await ctx.transaction(async (tx) => {
    const row = await target.lock(tx, 'update');
    const diff = changes(row, patch);
    const fields = Object.keys(diff) as Array<keyof CasePatch>;
    if (!fields.length) return row;
    await updateColumns(tx, 'case', row.id, Object.fromEntries(fields.map((f) => [f, patch[f]])));
    await recordAudit(ctx, tx, { action: 'case.update', objectType: 'Case', objectId: row.id, caseId: row.id, details: diff });
    return (await findVisibleCase(ctx, tx, row.id))!;
  });
  clearCaseLoaders(ctx);
  return result;
}

/**
 * R19: owner organisation only; shares, tasks, observables, comments and attachments go with it
 * (FK cascades). The attachments' content is removed after the commit unless other rows use it.
 */
export async function deleteCase(ctx: RequestContext, target: Checked<CaseRow>): Promise<boolean> {
  const shas = await ctx.transaction(async (tx) => {
    const row = await target.lock(tx, 'update');
    // Complete: an upload inserts its row only while holding the case FOR SHARE.
    const content = await rows<{ sha256: string }>(tx, 'SELECT DISTINCT sha256 FROM attachment WHERE case_id = $1', [row.id]);
    await tx.query('DELETE FROM "case" WHERE id = $1', [row.id]);
    await recordAudit(ctx, tx, { action: 'case.delete', objectType: 'Case', objectId: row.id, caseId: row.id, details: { number: row.number, title: row.title } });
    return content.map((c) => c.sha256);
  });
  clearCaseLoaders(ctx);
  await collectFiles(ctx, shas);
  return true;
}

/** The login of a user id (for audit details), or null. */
export async function loginOf(tx: EntityManager, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  return (await one<{ login: string }>(tx, 'SELECT login FROM app_user WHERE id = $1', [userId]))?.login ?? null;
}

/** R20: assigns an eligible internal user, or unassigns with login null. */
export async function assignCase(ctx: RequestContext, target: Checked<CaseRow>, login: string | null | undefined): Promise<CaseRow> {
  const result = await ctx.transaction(async (tx) => {
    const row = await target.lock(tx, 'update');
    const assignee = login == null ? null : await requireAssignable(ctx, tx, row.id, login);
    if ((assignee?.id ?? null) === row.assigneeId) return row;
    await updateColumns(tx, 'case', row.id, { assignee_id: assignee?.id ?? null });
    await recordAudit(ctx, tx, {
      action: 'case.assign', objectType: 'Case', objectId: row.id, caseId: row.id,
      details: { assignee: { from: await loginOf(tx, row.assigneeId), to: assignee?.login ?? null } },
    });
    return (await findVisibleCase(ctx, tx, row.id))!;
  });
  clearCaseLoaders(ctx);
  return result;
}

/**
 * R20 holds at all times: after a change that can take eligibility away (a share's profile or
 * removal, a membership change, a profile update), every assignee of the affected cases and tasks
 * who no longer qualifies is unassigned, each audited. `which` picks the cases: one case, the
 * assignments of one user, or every assignment (after a profile update).
 */
export async function dropIneligibleAssignees(ctx: RequestContext, tx: EntityManager, which: { caseId: string } | { userId: string } | 'all', reason: string): Promise<void> {
  const on = (q: Sql, alias: string, caseCol: string) =>
    which === 'all' ? 'TRUE' : 'caseId' in which ? `${caseCol} = ${q.p(which.caseId)}` : `${alias}.assignee_id = ${q.p(which.userId)}`;
  let q = new Sql();
  const cases = await rows<{ id: string; login: string }>(tx,
    `UPDATE "case" c SET assignee_id = NULL, updated_at = now() FROM app_user u
      WHERE ${on(q, 'c', 'c.id')} AND u.id = c.assignee_id AND NOT ${assigneeEligibleSql('u.id', 'c.id')}
      RETURNING c.id, u.login`, q.params);
  for (const c of cases) {
    await recordAudit(ctx, tx, { action: 'case.assign', objectType: 'Case', objectId: c.id, caseId: c.id, details: { assignee: { from: c.login, to: null }, reason } });
  }
  q = new Sql();
  const tasks = await rows<{ id: string; caseId: string; login: string }>(tx,
    `UPDATE task t SET assignee_id = NULL, updated_at = now() FROM app_user u
      WHERE ${on(q, 't', 't.case_id')} AND u.id = t.assignee_id AND NOT ${assigneeEligibleSql('u.id', 't.case_id')}
      RETURNING t.id, t.case_id AS "caseId", u.login`, q.params);
  for (const t of tasks) {
    await recordAudit(ctx, tx, { action: 'task.update', objectType: 'Task', objectId: t.id, caseId: t.caseId, details: { assignee: { from: t.login, to: null }, reason } });
  }
}

// ---------------------------------------------------------------------------------------------
// cases(first, after, filter, orderBy): Relay connection, keyset-paginated.

/** Sort expressions; `key` is the exact sort value as text, `param` casts it back for the keyset comparison. */
const ORDER: Record<CaseOrderField, { expr: string; key: string; param: (p: string) => string; numeric: boolean }> = {
  // Timestamps travel as integer microseconds so the cursor is exact (JS dates stop at milliseconds).
  CREATED_AT: {
    expr: 'c.created_at', key: '(extract(epoch FROM c.created_at) * 1000000)::bigint::text',
    param: (p) => `('epoch'::timestamptz + ${p}::bigint * interval '1 microsecond')`, numeric: true,
  },
  UPDATED_AT: {
    expr: 'c.updated_at', key: '(extract(epoch FROM c.updated_at) * 1000000)::bigint::text',
    param: (p) => `('epoch'::timestamptz + ${p}::bigint * interval '1 microsecond')`, numeric: true,
  },
  NUMBER: { expr: 'c.number', key: 'c.number::text', param: (p) => `${p}::integer`, numeric: true },
  SEVERITY: { expr: 'c.severity', key: 'c.severity::text', param: (p) => `${p}::smallint`, numeric: true },
  TITLE: { expr: 'lower(c.title)', key: 'lower(c.title)', param: (p) => `${p}::text`, numeric: false },
};

export interface CaseListArgs {
  first?: number | null;
  after?: string | null;
  filter?: CaseFilter | null;
  orderBy?: CaseOrder | null;
}

/** A page row: the case, its sort key for the cursor, and what the page statement nested (listCases). */
type CasePageRow = CaseRow & { sortKey: string; sortValue: unknown; totalCount?: number; nested?: Array<Array<Record<string, unknown>>> };

export interface CaseConnection {
  edges: Array<{ node: CaseRow; cursor: string }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** Counted in the page statement when selected; alone when the page is empty. */
  totalCount: () => Promise<number>;
}

/** Escapes LIKE wildcards so a title filter is a plain substring. */
function likeSubstring(text: string): string {
  return `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/** Filter conditions on alias c; they run after the scope join, before count, sort and page. */
function filterSql(ctx: RequestContext, q: Sql, filter: CaseFilter | null | undefined): string {
  const where: string[] = [];
  if (!filter) return 'TRUE';
  if (filter.status?.length) where.push(`c.status = ANY(${q.p(filter.status)}::text[])`);
  if (filter.severity?.length) where.push(`c.severity = ANY(${q.p(filter.severity)}::smallint[])`);
  if (filter.tags?.length) where.push(`c.tags @> ${q.p(filter.tags)}::text[]`);
  // R29: a user the caller cannot see matches nothing, exactly like an unknown login.
  if (filter.assignee != null) where.push(`c.assignee_id IN (SELECT fu.id FROM app_user fu WHERE fu.login = ${q.p(filter.assignee.trim().toLowerCase())} AND ${referencedUserScope(ctx, q, 'fu')})`);
  if (filter.title != null && filter.title !== '') {
    optionalText(filter.title, 'title', MAX_TITLE);
    where.push(`c.title ILIKE ${q.p(likeSubstring(filter.title))}`);
  }
  return where.length ? where.join(' AND ') : 'TRUE';
}

/**
 * What the caller selected of a page (look-ahead): relations of Case.* that the page statement
 * brings along as JSON, priming their loaders, and whether totalCount is wanted.
 */
export interface CasePageSelection {
  totalCount: boolean;
  nested: ReadonlyArray<NestedRelation>;
}

/** A Case relation the page statement can nest, keyed by a column of the page row. */
export interface NestedRelation {
  relation: Relation<any>;
  key: 'id' | 'shareId';
}

const EVERYTHING_COUNTED: CasePageSelection = { totalCount: true, nested: [] };

/**
 * R13: cases visible to the active organisation; the scope join comes before filter, count, sort
 * and page. One statement answers the page, totalCount and the selected relations (performance.md:
 * statements, not bytes); each relation reads through its own loader's SQL (Relation), so the
 * nested rows are exactly those the loader would have read.
 */
export async function listCases(ctx: RequestContext, args: CaseListArgs, selection: CasePageSelection = EVERYTHING_COUNTED): Promise<CaseConnection> {
  const first = pageSize(args.first, 25, MAX_PAGE);
  const field = args.orderBy?.field ?? 'CREATED_AT';
  const direction = args.orderBy?.direction ?? 'DESC';
  const order = ORDER[field];
  const q = new Sql();
  const scope = caseScopeJoin(ctx, q);
  const filter = filterSql(ctx, q, args.filter);
  const conditions = [filter];
  if (args.after != null) {
    const [f, d, key, id] = decodeCursor(args.after, 4);
    if (f !== field || d !== direction || typeof key !== 'string' || typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)
      || (order.numeric && !/^-?\d{1,19}$/.test(key)) || key.length > 4 * MAX_TITLE) {
      throw new BadInputError('This cursor does not belong to this ordering', 'after');
    }
    conditions.push(`(${order.expr}, c.id) ${direction === 'DESC' ? '<' : '>'} (${order.param(q.p(key))}, ${q.p(id)}::uuid)`);
  }
  const dir = direction === 'DESC' ? 'DESC' : 'ASC';
  // The page is cut first, then the nested columns are computed for its rows only (page_row).
  const extra = selection.nested.length
    ? [`json_build_array(${selection.nested.map(({ relation, key }) => relationJson(ctx, q, relation, `page_row."${key}"`)).join(', ')}) AS "nested"`]
    : [];
  // An uncorrelated subquery: counted once, from the share index alone when no filter needs the case.
  const countSql = (cq: Sql) => `SELECT count(*)::int FROM ${visibleCasesForCount(ctx, cq, filter !== 'TRUE')} AND ${filterSql(ctx, cq, args.filter)}`;
  if (selection.totalCount) extra.push(`(${countSql(q)}) AS "totalCount"`);
  const page = await rows<CasePageRow>(ctx.db,
    `SELECT page_row.*${extra.map((e) => `, ${e}`).join('')}
       FROM (SELECT ${CASE_COLUMNS}, ${CASE_SCOPE_COLUMNS}, ${order.key} AS "sortKey", ${order.expr} AS "sortValue"
               FROM "case" c ${scope}
              WHERE ${conditions.join(' AND ')}
              ORDER BY ${order.expr} ${dir}, c.id ${dir}
              LIMIT ${first + 1}) page_row
      ORDER BY page_row."sortValue" ${dir}, page_row.id ${dir}`, q.params);
  const hasNextPage = page.length > first;
  const edges = page.slice(0, first).map((row) => {
    const { sortKey, sortValue: _sortValue, totalCount: _totalCount, nested, ...node } = row;
    selection.nested.forEach(({ relation, key }, i) => primeRelation(ctx, relation, node[key], nested![i]!, node));
    return { node, cursor: encodeCursor([field, direction, sortKey, node.id]) };
  });
  // An empty page carries no count: ask for it alone (a page past the end, or nothing visible).
  const counted = page[0]?.totalCount;
  const totalCount = async () => {
    if (counted !== undefined) return counted;
    const cq = new Sql();
    return (await one<{ count: number }>(ctx.db, countSql(cq), cq.params))!.count;
  };
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: args.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  };
}
