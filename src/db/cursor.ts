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
export function keysetConnection<T, C>(page: T[], first: number, after: string | null | undefined, cursorOf: (node: T) => Array<string | number>, totalCount: C) {
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
