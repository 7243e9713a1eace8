import type { RequestContext } from '../../context';
import type { CaseFilter, CaseOrder, CaseOrderField, CreateCaseInput, UpdateCaseInput } from '../../generated/internal';
import { one, rows, Sql, updateColumns } from '../../db/sql';
import { primeRelation, Relation, relationJson } from '../../loaders';
import { encodeCursor, integerOrder, keysetAfter, KeysetOrder, likeSubstring, pageSize, textOrder, timestampOrder } from '../../db/cursor';
import { CASE_SCOPE_COLUMNS, caseScopeJoin, currentAssignee, referencedUserScope, visibleCasesForCount } from '../../authz/scopes';
import { loginOf, requireAssignable } from '../assignee/assignee.shared';
import { findVisibleCase } from '../../authz/case-access';
import type { Checked } from '../../authz/checked';
import { changes, recordAudit } from '../audit-trail/audit-trail.shared';
import { notNull, optionalText, requiredLine } from '../validation';
import { CASE_COLUMNS, CaseRow } from '../../db/records/case';
import { createCaseInTransaction, MAX_PAGE } from './case.shared';
import { MAX_DESCRIPTION, MAX_TITLE, validSeverity } from '../case-fields/case-fields.shared';
import { collectFiles } from '../attachment/file-collector';
import { validTags } from '../tag/tag-names';
import { customFieldsByName, customFieldsIn, validateCustomFieldInputs } from '../custom-field/custom-field.values';
import type { CustomFieldRow } from '../../db/records/custom-field';

export async function createCase(ctx: RequestContext, input: CreateCaseInput): Promise<CaseRow> {
  return ctx.transaction(async (tx) => {
    const { id } = await createCaseInTransaction(ctx, tx, input);
    return (await findVisibleCase(ctx, tx, id))!;
  });
}

/** R32: sets or (value null) clears one custom field value of the case, checked against its definition. */
export async function setCustomField(ctx: RequestContext, target: Checked<CaseRow>, name: string, value: unknown): Promise<CaseRow> {
  return ctx.transaction(async (tx) => {
    const row = await target.lock(tx, 'update');
    const [field, next] = Object.entries(validateCustomFieldInputs(await customFieldsIn(tx), [{ name, value }], 'name'))[0]!;
    const before = row.customFields[field] ?? null;
    if (JSON.stringify(before) === JSON.stringify(next)) return row;
    await tx.query(
      `UPDATE "case" SET custom_fields = CASE WHEN $2::jsonb = 'null'::jsonb THEN custom_fields - $1 ELSE jsonb_set(custom_fields, ARRAY[$1], $2::jsonb) END,
              updated_at = now() WHERE id = $3`,
      [field, JSON.stringify(next), row.id],
    );
    await recordAudit(ctx, tx, {
      action: 'case.update',
      objectType: 'Case',
      objectId: row.id,
      caseId: row.id,
      details: { customFields: { [field]: { from: before, to: next } } },
    });
    return (await findVisibleCase(ctx, tx, row.id))!;
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
  return ctx.transaction(async (tx) => {
    const row = await target.lock(tx, 'update');
    const diff = changes(row, patch);
    const fields = Object.keys(diff) as Array<keyof CasePatch>;
    if (!fields.length) return row;
    await updateColumns(tx, 'case', row.id, Object.fromEntries(fields.map((f) => [f, patch[f]])));
    await recordAudit(ctx, tx, { action: 'case.update', objectType: 'Case', objectId: row.id, caseId: row.id, details: diff });
    return (await findVisibleCase(ctx, tx, row.id))!;
  });
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
    await recordAudit(ctx, tx, {
      action: 'case.delete',
      objectType: 'Case',
      objectId: row.id,
      caseId: row.id,
      details: { number: row.number, title: row.title },
    });
    return content.map((c) => c.sha256);
  });
  await collectFiles(ctx, shas);
  return true;
}

/** R20: assigns an eligible internal user, or unassigns with login null. */
export async function assignCase(ctx: RequestContext, target: Checked<CaseRow>, login: string | null | undefined): Promise<CaseRow> {
  return ctx.transaction(async (tx) => {
    const row = await target.lock(tx, 'update');
    const assignee = login == null ? null : await requireAssignable(ctx, tx, row.id, login);
    if ((assignee?.id ?? null) === row.assigneeId) return row;
    await updateColumns(tx, 'case', row.id, { assignee_id: assignee?.id ?? null });
    await recordAudit(ctx, tx, {
      action: 'case.assign',
      objectType: 'Case',
      objectId: row.id,
      caseId: row.id,
      details: { assignee: { from: await loginOf(tx, row.assigneeId), to: assignee?.login ?? null } },
    });
    return (await findVisibleCase(ctx, tx, row.id))!;
  });
}

// ---------------------------------------------------------------------------------------------
// cases(first, after, filter, orderBy): Relay connection, keyset-paginated.

const ORDER: Record<CaseOrderField, KeysetOrder> = {
  CREATED_AT: timestampOrder('c.created_at'),
  UPDATED_AT: timestampOrder('c.updated_at'),
  NUMBER: integerOrder('c.number', 'integer'),
  SEVERITY: integerOrder('c.severity', 'smallint'),
  TITLE: textOrder('c.title'),
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

/** Filter conditions on alias c; they run after the scope join, before count, sort and page. */
function filterSql(ctx: RequestContext, q: Sql, filter: CaseFilter | null | undefined, definitions: ReadonlyMap<string, CustomFieldRow>): string {
  const where: string[] = [];
  if (!filter) return 'TRUE';
  if (filter.status?.length) where.push(`c.status = ANY(${q.p(filter.status)}::text[])`);
  if (filter.severity?.length) where.push(`c.severity = ANY(${q.p(filter.severity)}::smallint[])`);
  if (filter.tags?.length) where.push(`c.tags @> ${q.p(filter.tags)}::text[]`);
  // R29: a user the caller cannot see matches nothing, exactly like an unknown login.
  if (filter.assignee != null) {
    where.push(
      `${currentAssignee('c.assignee_id', 'c.id')} IN (SELECT fu.id FROM app_user fu WHERE fu.login = ${q.p(filter.assignee.trim().toLowerCase())} AND ${referencedUserScope(ctx, q, 'fu')})`,
    );
  }
  if (filter.title != null && filter.title !== '') {
    optionalText(filter.title, 'title', MAX_TITLE);
    where.push(`c.title ILIKE ${q.p(likeSubstring(filter.title))}`);
  }
  // R32: each value checked and normalised as when it is set (a DATE matches in its stored form); null: no value.
  for (const [name, value] of Object.entries(validateCustomFieldInputs(definitions, filter.customFields ?? []))) {
    where.push(value === null ? `NOT (c.custom_fields ? ${q.p(name)})` : `c.custom_fields @> ${q.p(JSON.stringify({ [name]: value }))}::jsonb`);
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
  relation: Relation;
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
  const definitions = args.filter?.customFields?.length ? await customFieldsByName(ctx) : new Map<string, CustomFieldRow>();
  const filter = filterSql(ctx, q, args.filter, definitions);
  const conditions = [filter];
  if (args.after != null) conditions.push(keysetAfter(args.after, field, direction, order, 'c.id', q, 4 * MAX_TITLE));
  const dir = direction === 'DESC' ? 'DESC' : 'ASC';
  // The page is cut first, then the nested columns are computed for its rows only (page_row).
  const extra = selection.nested.length
    ? [`json_build_array(${selection.nested.map(({ relation, key }) => relationJson(ctx, q, relation, `page_row."${key}"`)).join(', ')}) AS "nested"`]
    : [];
  // An uncorrelated subquery: counted once, from the share index alone when no filter needs the case.
  const countSql = (cq: Sql) =>
    `SELECT count(*)::int FROM ${visibleCasesForCount(ctx, cq, filter !== 'TRUE')} AND ${filterSql(ctx, cq, args.filter, definitions)}`;
  if (selection.totalCount) extra.push(`(${countSql(q)}) AS "totalCount"`);
  const page = await rows<CasePageRow>(
    ctx.db,
    `SELECT page_row.*${extra.map((e) => `, ${e}`).join('')}
       FROM (SELECT ${CASE_COLUMNS}, ${CASE_SCOPE_COLUMNS}, ${order.key} AS "sortKey", ${order.expr} AS "sortValue"
               FROM "case" c ${scope}
              WHERE ${conditions.join(' AND ')}
              ORDER BY ${order.expr} ${dir}, c.id ${dir}
              LIMIT ${first + 1}) page_row
      ORDER BY page_row."sortValue" ${dir}, page_row.id ${dir}`,
    q.params,
  );
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
