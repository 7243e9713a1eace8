import { getMetadataArgsStorage } from 'typeorm';
import { SnakeNamingStrategy } from './naming-strategy';

/*
 * One declaration per table (issue #9, style.md "Data access"): a row type and its select list
 * are both read off the TypeORM entity, which migrations are already checked against, so a column
 * is declared once. The statements stay hand-written SQL (the visibility scopes of src/authz are
 * SQL text); only their select lists come from here.
 */

declare const ROW: unique symbol;

/**
 * A select list (`o.id, o.created_at AS "createdAt"`): a plain string at run time, which also
 * carries the type of the rows it selects (never set, read with RowOf).
 */
export type Columns<Row> = string & { readonly [ROW]?: Row };

/** The row a select list made by `columns` yields. */
export type RowOf<C> = C extends Columns<infer Row> ? Row : never;

type Key<E> = Extract<keyof E, string>;

/** `T` with the properties named in `A` renamed to their value there. */
type Renamed<T, A> = { [P in keyof T as P extends keyof A ? (A[P] extends string ? A[P] : P) : P]: T[P] };

interface Shape<E, A> {
  /** The name a property takes in the row, where it is not the property's own (`createdBy` → `createdById`). */
  as?: A;
  /** An expression in place of the plain column, given the qualified column: a cast, a value computed at read time. */
  sql?: { [P in Key<E>]?: (column: string) => string };
}

type EntityClass<E> = abstract new (...args: never[]) => E;

const naming = new SnakeNamingStrategy();

/**
 * property → database column of an entity, in declaration order: its own columns first, then
 * those it inherits from the base class down (AuthoredEntity's createdBy, createdAt, then
 * EditableAuthoredEntity's updatedAt). The decorators' records are enough: no DataSource needs to
 * exist, so the lists are built when their module loads.
 */
function entityColumns(entity: EntityClass<unknown>): Map<string, string> {
  const chain: unknown[] = [];
  for (let t: unknown = entity; typeof t === 'function' && t !== Function.prototype; t = Object.getPrototypeOf(t)) chain.push(t);
  const declared = getMetadataArgsStorage().columns;
  const found = new Map<string, string>();
  for (const target of [chain[0], ...chain.slice(1).reverse()])
    for (const c of declared)
      if (c.target === target && !found.has(c.propertyName)) found.set(c.propertyName, naming.columnName(c.propertyName, c.options.name, []));
  if (found.size === 0) throw new Error(`${entity.name} declares no column`);
  return found;
}

/**
 * The select list of `entity` under `alias`, built once where a record module defines it (this is
 * the statements' hot path: never call it per query). `pick` lists the properties in their order
 * (an allow-list: a column added later stays out, as a row that must never grow a secret needs);
 * `omit` takes every column but those, in declaration order (a column added later is in, and in
 * the row type, with that one edit). A name that is not a column of the entity throws at load.
 */
export function columns<E, const K extends Key<E>, const A extends { [P in K]?: string } = object>(
  entity: EntityClass<E>,
  alias: string,
  options: { pick: readonly K[] } & Shape<E, A>,
): Columns<Renamed<Pick<E, K>, A>>;
export function columns<E, const K extends Key<E> = never, const A extends { [P in Exclude<Key<E>, K>]?: string } = object>(
  entity: EntityClass<E>,
  alias: string,
  options?: { omit?: readonly K[] } & Shape<E, A>,
): Columns<Renamed<Omit<E, K>, A>>;
export function columns(
  entity: EntityClass<unknown>,
  alias: string,
  options: { pick?: readonly string[]; omit?: readonly string[] } & Shape<Record<string, unknown>, Record<string, string>> = {},
): string {
  const all = entityColumns(entity);
  const { pick, omit = [], as = {}, sql = {} } = options;
  for (const name of [...(pick ?? []), ...omit, ...Object.keys(as), ...Object.keys(sql)])
    if (!all.has(name)) throw new Error(`${entity.name}.${name} is not a column`);
  const properties = pick ?? [...all.keys()].filter((p) => !omit.includes(p));
  return properties
    .map((property) => {
      const dbName = all.get(property)!;
      const column = `${alias}.${dbName}`;
      const name = as[property] ?? property;
      const expression = sql[property]?.(column) ?? column;
      if (name === dbName) return expression === column ? column : `${expression} AS ${name}`;
      // Quoted: a property name is camelCase, which PostgreSQL would fold to lower case.
      return `${expression} AS "${name}"`;
    })
    .join(', ');
}
