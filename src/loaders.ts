import DataLoader from 'dataloader';
import type { RequestContext } from './context';
import type { Declared, LoaderMap, LoaderName, LoaderOf, Loaders } from './loader-map';
import { ORGANISATION_COLUMNS } from './db/records/organisation';
import { PROFILE_COLUMNS } from './db/records/profile';
import { rows as queryRows, Sql } from './db/sql';

/**
 * The rows whose key column equals `key`: `key` is `ANY($n)` (the batch's keys) when a DataLoader
 * batches it, an outer column when a page statement nests a relation. Every SQL text of a
 * declaration reads the request's scope from `ctx`, which is why loaders live per request.
 */
export type KeySql = (ctx: RequestContext, q: Sql, key: string) => string;

interface Batched<T> {
  /** Sees every batch (and, for a relation, every page statement's rows): e.g. primes other loaders with rows joined in. */
  onRows?(ctx: RequestContext, rows: T[]): void;
}

/** By id: one `= ANY($1)` statement per batch, rows in key order by their `id`, missing → null. */
interface OneSpec<T> extends Batched<T> {
  one: KeySql;
}

/** Grouped by keyOf: one statement per batch, its own ORDER BY kept within each key. */
interface ManySpec<T> extends Batched<T> {
  many: KeySql;
  keyOf(row: T): string;
}

/**
 * A to-many relation a page statement may nest as JSON (relationJson, primeRelation): both paths
 * read the same rows through the same scope, in the same order.
 */
interface NestedSpec<T> extends Batched<T> {
  /** No ORDER BY: `order` applies, over the selected column aliases, in either path. */
  nested: KeySql;
  order: string;
  keyOf(row: T): string;
  /** Timestamp columns: pg parses them to Date, JSON brings them as text. */
  dates: readonly string[];
}

/** A loader with its own batch function (several scopes in one statement, a cache that is no DataLoader…). */
interface CustomSpec<L> {
  custom(ctx: RequestContext): L;
}

export type SpecOf<E> = E extends { one: infer T }
  ? OneSpec<T>
  : E extends { many: infer T }
    ? ManySpec<T>
    : E extends { nested: infer T }
      ? NestedSpec<T>
      : E extends { custom: infer L }
        ? CustomSpec<L>
        : never;

/** A declared loader (defineLoader): pass it to `ctx.loaders.get`, which builds it once per request. */
export type Loader<N extends LoaderName> = Declared<N> & SpecOf<LoaderMap[N]>;

/** The rows of a nested relation's entry. */
type NestedRow<N extends LoaderName> = LoaderMap[N] extends { nested: infer T } ? T : never;
type NestedName = { [N in LoaderName]: LoaderMap[N] extends { nested: unknown } ? N : never }[LoaderName];

/** Any declared to-many relation a page statement may nest (relationJson, primeRelation, primedOn). */
export type Relation = Loader<NestedName>;

const declared = new Set<string>();

/**
 * Declares a loader once, under its LoaderMap name; the registry (createLoaders) builds it on a
 * request's first use. A name declared twice throws at load time: two declarations would share
 * one request's loader.
 */
export function defineLoader<N extends LoaderName>(spec: { readonly name: N } & SpecOf<LoaderMap[N]>): Loader<N> {
  if (declared.has(spec.name)) throw new Error(`Loader ${spec.name} is declared twice`);
  declared.add(spec.name);
  return spec as Loader<N>;
}

type AnySpec = Partial<OneSpec<unknown> & ManySpec<unknown> & NestedSpec<unknown> & CustomSpec<unknown>> & { name: string };

/**
 * Builds a declaration's loader for one request (the registry's only use of a declaration): one
 * statement per batch of keys (`= ANY($1)`), its rows grouped by key and answered in key order.
 */
function build(ctx: RequestContext, d: AnySpec): unknown {
  if (d.custom) return d.custom(ctx);
  const { one, many, nested, order } = d;
  const sql: KeySql = one ?? many ?? ((c, q, key) => `SELECT * FROM (${nested!(c, q, key)}) r ORDER BY ${order}`);
  const keyOf = d.keyOf ?? ((row: unknown) => (row as { id: string }).id);
  return new DataLoader<string, unknown>(
    async (keys) => {
      const q = new Sql();
      const text = sql(ctx, q, `ANY(${q.p(keys)})`);
      const rows = await queryRows(ctx.db, text, q.params);
      d.onRows?.(ctx, rows);
      const byKey = new Map<string, unknown[]>();
      for (const r of rows) {
        const k = keyOf(r);
        const list = byKey.get(k);
        if (list) list.push(r);
        else byKey.set(k, [r]);
      }
      // By id: a key's row or null (ids are unique; the last row wins, as a Map built from the rows would).
      return keys.map((k) => (one ? (byKey.get(k)?.at(-1) ?? null) : (byKey.get(k) ?? [])));
    },
    { maxBatchSize: 5000 },
  );
}

export function createLoaders(): Loaders {
  const memo = new Map<string, unknown>();
  return {
    get<N extends LoaderName>(loader: Declared<N>, make: () => LoaderOf<LoaderMap[N]>): LoaderOf<LoaderMap[N]> {
      if (!memo.has(loader.name)) memo.set(loader.name, make());
      return memo.get(loader.name) as LoaderOf<LoaderMap[N]>;
    },
    clear: () => memo.clear(),
  };
}

/**
 * This request's loader for a declaration, built on its first use with the context that asks:
 * Apollo runs each operation on a copy of the request's context (sharing its registry), and a
 * login's copy takes on the new session's principal (auth.shared actAsSession) before its
 * response is resolved, so the loaders must read the scope of that copy.
 */
export function loaderOf<N extends LoaderName>(ctx: RequestContext, loader: Loader<N>): LoaderOf<LoaderMap[N]> {
  return ctx.loaders.get(loader, () => build(ctx, loader as unknown as AnySpec) as LoaderOf<LoaderMap[N]>);
}

/** A column expression: the relation's rows for `outerKey` as a JSON array, for primeRelation. */
export function relationJson<N extends NestedName>(ctx: RequestContext, q: Sql, rel: Loader<N>, outerKey: string): string {
  const { nested, order } = rel as unknown as NestedSpec<unknown>;
  return `COALESCE((SELECT json_agg(r ORDER BY ${order}) FROM (${nested(ctx, q, outerKey)}) r), '[]'::json)`;
}

/** Rows a page statement nested, by owning row (e.g. a case) and relation name: see primedOn. */
const primed = new WeakMap<object, Map<string, unknown[]>>();

/**
 * Hands rows that a page statement brought as relationJson to the relation's loader, as if it had
 * loaded them, and records them on `owner` (the row they were nested in) for primedOn.
 */
export function primeRelation<N extends NestedName>(
  ctx: RequestContext,
  rel: Loader<N>,
  key: string,
  json: Array<Record<string, unknown>>,
  owner?: object,
): void {
  const spec = rel as unknown as NestedSpec<NestedRow<N>>;
  for (const row of json) {
    for (const column of spec.dates) if (typeof row[column] === 'string') row[column] = new Date(row[column] as string);
  }
  const rows = json as NestedRow<N>[];
  spec.onRows?.(ctx, rows);
  (loaderOf(ctx, rel) as DataLoader<string, NestedRow<N>[]>).prime(key, rows);
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
export function primedOn<N extends NestedName>(owner: object, rel: Loader<N>): NestedRow<N>[] | undefined {
  return primed.get(owner)?.get(rel.name) as NestedRow<N>[] | undefined;
}

/**
 * References of objects the caller already sees (an owner organisation, a share's profile): not
 * scoped. Users go through user.loaders' userRef (scoped, R3); lists of visible objects through scopes.
 */
export const organisationById = defineLoader({
  name: 'organisation',
  one: (_ctx, _q, ids) => `SELECT ${ORGANISATION_COLUMNS} FROM organisation o WHERE o.id = ${ids}`,
});

export const profileById = defineLoader({
  name: 'profile',
  one: (_ctx, _q, ids) => `SELECT ${PROFILE_COLUMNS} FROM profile p WHERE p.id = ${ids}`,
});
