import 'reflect-metadata';
import { Client } from 'pg';
import { createDataSource } from '../../src/db/data-source';
import { buildWorld } from '../fixtures/world';
import { adminUrl, TEMPLATE_ENV, withDatabase } from './database-url';
import { startServerOn } from './test-server';

/** Test databases are named hive_<kind>_<pid>_…: those whose process is gone were left by an interrupted run. */
async function dropAbandonedDatabases(admin: Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^hive_[a-z]+_[0-9]+_'`);
  for (const { datname } of rows) {
    const pid = Number(/^hive_[a-z]+_(\d+)_/.exec(datname)![1]);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  }
}

/**
 * Builds the run's two template databases; every test file clones one (CREATE DATABASE … TEMPLATE):
 *  - `migrated`: the migrations only (first-start and migration tests);
 *  - `world`: a clone of it on which a server built the named world through the API, once, instead
 *    of once per file. Its personas (logins, session tokens) go to the workers in HIVE_WORLD. The
 *    sessions expire SESSION_TTL_SECONDS (8 h) after this point; the world's successful logins
 *    leave no login_throttle rows; the audit chains are in the database, so clones extend them.
 */
export default async function globalSetup(): Promise<void> {
  const stamp = `${process.pid}_${Date.now()}`;
  const template = `hive_tpl_${stamp}`;
  const worldTemplate = `hive_tplw_${stamp}`;
  const admin = new Client({ connectionString: adminUrl(), connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`PostgreSQL is not reachable at ${adminUrl()}: start it or set TEST_DATABASE_URL (${(e as Error).message})`, { cause: e });
  }
  try {
    await dropAbandonedDatabases(admin);
    await admin.query(`CREATE DATABASE ${template}`);
    process.env[TEMPLATE_ENV.migrated] = template;
    const ds = await createDataSource({ databaseUrl: withDatabase(adminUrl(), template), dataDir: '' });
    await ds.runMigrations({ transaction: 'each' });
    await ds.destroy();

    await admin.query(`CREATE DATABASE ${worldTemplate} TEMPLATE ${template}`);
    process.env[TEMPLATE_ENV.world] = worldTemplate;
    // The server is stopped (its pool closed) before any file clones the template: PostgreSQL refuses a template in use.
    const server = await startServerOn(worldTemplate, {}, { dropOnStop: false });
    try {
      process.env.HIVE_WORLD = JSON.stringify(await buildWorld(server));
    } finally {
      await server.stop();
    }
  } finally {
    await admin.end();
  }
}
