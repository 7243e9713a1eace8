import { BadInputError } from '../errors/app-error';

/**
 * Opaque keyset cursors: base64url of a small JSON array (e.g. [sort field, direction, sort key, id]).
 * Clients must treat them as opaque; anything we did not write answers BAD_USER_INPUT.
 */
export function encodeCursor(parts: Array<string | number>): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, length: number): Array<string | number> {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadInputError('Invalid cursor', 'after');
  }
  if (!Array.isArray(parts) || parts.length !== length || !parts.every((p) => typeof p === 'string' || typeof p === 'number')) {
    throw new BadInputError('Invalid cursor', 'after');
  }
  return parts as Array<string | number>;
}

/** Relay `first`: 0…max, else BAD_USER_INPUT. */
export function pageSize(first: number | null | undefined, fallback: number, max: number): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > max) throw new BadInputError(`first must be between 0 and ${max}`, 'first');
  return n;
}

/**
 * A Relay connection from a keyset page read with LIMIT first + 1: the extra row only says that
 * a next page exists. Every keyset list (audit, read ledger) shapes its answer here.
 */
export function keysetConnection<T, C>(
  page: T[],
  first: number,
  after: string | null | undefined,
  cursorOf: (node: T) => Array<string | number>,
  totalCount: C,
) {
  const edges = page.slice(0, first).map((node) => ({ node, cursor: encodeCursor(cursorOf(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.length > first,
      hasPreviousPage: after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  };
}

/**
 * A sort of a keyset list: `expr` sorts, `key` is the exact sort value as text (it goes into the
 * cursor), `param` casts a cursor's key back for the keyset comparison.
 */
export interface KeysetOrder {
  expr: string;
  key: string;
  param: (p: string) => string;
  numeric: boolean;
}

/** Timestamps travel as integer microseconds so the cursor is exact (JS dates stop at milliseconds). */
export const timestampOrder = (expr: string): KeysetOrder => ({
  expr,
  key: `(extract(epoch FROM ${expr}) * 1000000)::bigint::text`,
  param: (p) => `('epoch'::timestamptz + ${p}::bigint * interval '1 microsecond')`,
  numeric: true,
});
export const integerOrder = (expr: string, type: 'integer' | 'smallint'): KeysetOrder => ({
  expr,
  key: `${expr}::text`,
  param: (p) => `${p}::${type}`,
  numeric: true,
});
/** Case-insensitive text order. */
export const textOrder = (expr: string): KeysetOrder => ({ expr: `lower(${expr})`, key: `lower(${expr})`, param: (p) => `${p}::text`, numeric: false });

/**
 * The condition "after this cursor" of a keyset list sorted by `order` then `idExpr` (a uuid), for
 * a cursor written as [field, direction, key, id]; a cursor of another ordering, or one we did not
 * write, answers BAD_USER_INPUT. `maxKey` bounds a text key's length.
 */
export function keysetAfter(
  after: string,
  field: string,
  direction: 'ASC' | 'DESC',
  order: KeysetOrder,
  idExpr: string,
  q: { p(v: unknown): string },
  maxKey: number,
): string {
  const [f, d, key, id] = decodeCursor(after, 4);
  if (
    f !== field ||
    d !== direction ||
    typeof key !== 'string' ||
    typeof id !== 'string' ||
    !/^[0-9a-f-]{36}$/i.test(id) ||
    (order.numeric && !/^-?\d{1,19}$/.test(key)) ||
    key.length > maxKey
  ) {
    throw new BadInputError('This cursor does not belong to this ordering', 'after');
  }
  return `(${order.expr}, ${idExpr}) ${direction === 'DESC' ? '<' : '>'} (${order.param(q.p(key))}, ${q.p(id)}::uuid)`;
}

/** Escapes LIKE wildcards so a title filter is a plain substring. */
export function likeSubstring(text: string): string {
  return `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}
