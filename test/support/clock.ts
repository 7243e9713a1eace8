import type { TestServer } from './test-server';

/**
 * R39: expiries are decided in SQL against app_now() (migration AccessExpiry: now() in production).
 * A test moves its own database's time by replacing that function there — every server instance
 * on the database sees the change at its next statement — instead of sleeping. `seconds` is the
 * offset from the real time (0: back to now()).
 */
export async function shiftDatabaseClock(server: TestServer, seconds: number): Promise<void> {
  if (!Number.isFinite(seconds)) throw new Error('shiftDatabaseClock: seconds must be a number');
  await server.sql(`CREATE OR REPLACE FUNCTION app_now() RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT now() + make_interval(secs => ${Number(seconds)}) $$`);
}
