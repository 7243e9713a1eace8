import { DataSource, EntityManager } from 'typeorm';

/** Collects positional parameters while a statement is assembled from scope fragments. */
export class Sql {
  readonly params: unknown[] = [];
  /** Adds a value and returns its placeholder ($n). */
  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id names nothing: callers treat it exactly like an absent object. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Anything that runs SQL: the data source, or a transaction's manager. */
export type Queryable = DataSource | EntityManager;

/**
 * The rows of a statement, whatever its kind. TypeORM's plain query() answers [rows, count] for
 * UPDATE and DELETE, which reads like rows and is not; the structured result does not.
 */
export async function rows<T = Record<string, any>>(db: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  if (db instanceof EntityManager && db.queryRunner) return ((await db.queryRunner.query(sql, params, true)) as { records: T[] }).records;
  // Outside a transaction: straight to pg's pool (no TypeORM query runner per statement), as a
  // named prepared statement so PostgreSQL parses and plans each scope once per connection.
  const ds = db instanceof EntityManager ? db.connection : db;
  const pool = (ds.driver as unknown as { master: { query(q: object): Promise<{ rows: T[] }> } }).master;
  return (await pool.query({ name: statementName(sql), text: sql, values: params })).rows;
}

const statementNames = new Map<string, string>();
const MAX_PREPARED = 2000;

/** A stable name per statement text (texts are built from fixed fragments, never from values). */
function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (!name && statementNames.size < MAX_PREPARED) {
    name = `hive_${statementNames.size + 1}`;
    statementNames.set(sql, name);
  }
  return name;
}

export async function one<T = Record<string, any>>(db: Queryable, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await rows<T>(db, sql, params))[0];
}

/**
 * UPDATE of a case, task or observable row: the given columns and updated_at. Column names come
 * from the services' fixed patch keys, never from the client.
 */
export async function updateColumns(tx: EntityManager, table: 'case' | 'task' | 'observable', id: string, values: Record<string, unknown>): Promise<void> {
  const q = new Sql();
  const set = Object.entries(values)
    .map(([column, value]) => `${column} = ${q.p(value)}`)
    .join(', ');
  await tx.query(`UPDATE "${table}" SET ${set}, updated_at = now() WHERE id = ${q.p(id)}`, q.params);
}
