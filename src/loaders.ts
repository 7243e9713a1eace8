import DataLoader from 'dataloader';
import type { Loaders, RequestContext } from './context';
import { ORGANISATION_COLUMNS, OrganisationRow } from './db/records/organisation';
import { PROFILE_COLUMNS, ProfileRow } from './db/records/profile';
import { rows as queryRows, Sql } from './db/sql';

/** Loads rows by id with one `= ANY($1)` statement per batch, in key order (missing → null). */
export function byIdLoader<T extends { id: string }>(ctx: RequestContext, build: (q: Sql, ids: string) => string): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(
    async (ids) => {
      const q = new Sql();
      const sql = build(q, q.p(ids));
      const rows = await queryRows<T>(ctx.db, sql, q.params);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    },
    { maxBatchSize: 5000 },
  );
}

/**
 * Groups rows by a key column with one statement per batch (e.g. tasks by case id), in key order.
 * `onRows` sees each batch first, e.g. to prime other loaders with rows joined in the same statement.
 */
export function groupLoader<T>(
  ctx: RequestContext,
  build: (q: Sql, keys: string) => string,
  keyOf: (row: T) => string,
  onRows?: (rows: T[]) => void,
): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(
    async (keys) => {
      const q = new Sql();
      const sql = build(q, q.p(keys));
      const rows = await queryRows<T>(ctx.db, sql, q.params);
      onRows?.(rows);
      const map = new Map<string, T[]>();
      for (const r of rows) {
        const k = keyOf(r);
        const list = map.get(k);
        if (list) list.push(r);
        else map.set(k, [r]);
      }
      return keys.map((k) => map.get(k) ?? []);
    },
    { maxBatchSize: 5000 },
  );
}

/**
 * A to-many relation whose rows one SQL text selects for a key condition: `= ANY($keys)` when a
 * DataLoader batches it, `= <outer column>` when a page statement nests it as JSON (prefetch). Both
 * paths therefore read the same rows through the same scope, in the same order.
 */
export interface Relation<T> {
  /** The loader's name in ctx.loaders. */
  name: string;
  /** The rows whose key equals `key`: `ANY($n)` or an outer column. No ORDER BY (see `order`). */
  select(ctx: RequestContext, q: Sql, key: string): string;
  /** Row order, over the selected column aliases. */
  order: string;
  keyOf(row: T): string;
  /** Timestamp columns: pg parses them to Date, JSON brings them as text. */
  dates: readonly string[];
  /** Sees every batch, either path (e.g. primes other loaders with rows joined in the same statement). */
  onRows?(ctx: RequestContext, rows: T[]): void;
}

export function relationLoader<T>(ctx: RequestContext, rel: Relation<T>): DataLoader<string, T[]> {
  return ctx.loaders.get(rel.name, () =>
    groupLoader<T>(
      ctx,
      (q, keys) => `SELECT * FROM (${rel.select(ctx, q, `ANY(${keys})`)}) r ORDER BY ${rel.order}`,
      rel.keyOf,
      (rows) => rel.onRows?.(ctx, rows),
    ),
  );
}

/** A column expression: the relation's rows for `outerKey` as a JSON array, for primeRelation. */
export function relationJson<T>(ctx: RequestContext, q: Sql, rel: Relation<T>, outerKey: string): string {
  return `COALESCE((SELECT json_agg(r ORDER BY ${rel.order}) FROM (${rel.select(ctx, q, outerKey)}) r), '[]'::json)`;
}

/** Rows a page statement nested, by owning row (e.g. a case) and relation name: see primedOn. */
const primed = new WeakMap<object, Map<string, unknown[]>>();

/**
 * Hands rows that a page statement brought as relationJson to the relation's loader, as if it had
 * loaded them, and records them on `owner` (the row they were nested in) for primedOn.
 */
export function primeRelation<T>(ctx: RequestContext, rel: Relation<T>, key: string, json: Array<Record<string, unknown>>, owner?: object): void {
  for (const row of json) {
    for (const column of rel.dates) if (typeof row[column] === 'string') row[column] = new Date(row[column] as string);
  }
  const rows = json as T[];
  rel.onRows?.(ctx, rows);
  relationLoader(ctx, rel).prime(key, rows);
  if (owner) {
    let byName = primed.get(owner);
    if (!byName) primed.set(owner, (byName = new Map()));
    byName.set(rel.name, rows);
  }
}

/**
 * The rows the page statement nested in `owner` for this relation, synchronously, else undefined
 * (then the field goes through the relation's loader). The same array the loader was primed with:
 * a resolver returning it skips a DataLoader promise per field (~1,900 fields on the reference page).
 */
export function primedOn<T>(owner: object, rel: Relation<T>): T[] | undefined {
  return primed.get(owner)?.get(rel.name) as T[] | undefined;
}

/** Per-request loader registry (context.ts Loaders): each loader is created on first use. */
export function createLoaders(): Loaders {
  const memo = new Map<string, unknown>();
  return {
    get<T>(key: string, make: () => T): T {
      if (!memo.has(key)) memo.set(key, make());
      return memo.get(key) as T;
    },
    clear: () => memo.clear(),
  };
}

/**
 * References of objects the caller already sees (an owner organisation, a share's profile): not
 * scoped. Users go through user.loaders' userRef (scoped, R3); lists of visible objects through scopes.
 */
export const organisationLoader = (ctx: RequestContext) =>
  ctx.loaders.get('organisation', () =>
    byIdLoader<OrganisationRow>(ctx, (_q, ids) => `SELECT ${ORGANISATION_COLUMNS} FROM organisation o WHERE o.id = ANY(${ids})`),
  );

export const profileLoader = (ctx: RequestContext) =>
  ctx.loaders.get('profile', () => byIdLoader<ProfileRow>(ctx, (_q, ids) => `SELECT ${PROFILE_COLUMNS} FROM profile p WHERE p.id = ANY(${ids})`));
