import pg from 'pg';

/**
 * The SQL statements the server sends while `run` runs. The test server runs in the test's
 * process, so counting pg.Client#query counts every statement (performance.md: a page of cases
 * must cost a constant number of them).
 */
export async function countStatements(run: () => Promise<unknown>): Promise<number> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  let n = 0;
  proto.query = function (this: unknown, ...args: unknown[]) {
    n++;
    return original.apply(this, args);
  };
  try {
    await run();
  } finally {
    proto.query = original;
  }
  return n;
}
