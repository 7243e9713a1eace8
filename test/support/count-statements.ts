import http from 'node:http';
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import pg from 'pg';

/** Marks the asynchronous work that descends from an HTTP request received while counting. */
const inRequest = new AsyncLocalStorage<true>();

/**
 * The SQL statements the server sends while `run` runs. The test server runs in the test's
 * process, so counting pg.Client#query counts them (performance.md: a page of cases must cost a
 * constant number of them).
 *
 * By default only the statements caused by HTTP requests count: the server's background work (the
 * read ledger's flush every LEDGER_FLUSH_MS, the Cortex follower's idle tick, the session purge)
 * runs on its own timers, and on a loaded machine one of them landing inside the window made a
 * constant count look like it grew (CI: 15 then 17). `{ only: 'all' }` counts every statement, for
 * work that does not start from a request (a liveFeed delivery starts from a NOTIFY).
 */
export async function countStatements(run: () => Promise<unknown>, opts: { only: 'requests' | 'all' } = { only: 'requests' }): Promise<number> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const serverProto = http.Server.prototype as unknown as { emit: (event: string, ...args: unknown[]) => boolean };
  const original = proto.query;
  const originalEmit = serverProto.emit;
  const poolProto = pg.Pool.prototype as unknown as { connect: (...args: unknown[]) => unknown };
  const hadOwnConnect = Object.prototype.hasOwnProperty.call(poolProto, 'connect');
  const originalConnect = poolProto.connect;
  let n = 0;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (opts.only === 'all' || inRequest.getStore()) n++;
    return original.apply(this, args);
  };
  serverProto.emit = function (this: unknown, event: string, ...args: unknown[]) {
    return event === 'request' ? inRequest.run(true, () => originalEmit.call(this, event, ...args)) : originalEmit.call(this, event, ...args);
  };
  // A caller waiting for a pooled connection is called back from the connection that was released
  // (TypeORM uses the callback form): bound, the callback keeps its caller's context.
  poolProto.connect = function (this: unknown, ...args: unknown[]) {
    const last = args.length - 1;
    if (typeof args[last] === 'function') args[last] = AsyncResource.bind(args[last] as (...a: unknown[]) => unknown);
    return originalConnect.apply(this, args);
  };
  try {
    await run();
  } finally {
    proto.query = original;
    serverProto.emit = originalEmit;
    if (hadOwnConnect) poolProto.connect = originalConnect;
    else delete (poolProto as { connect?: unknown }).connect;
  }
  return n;
}
