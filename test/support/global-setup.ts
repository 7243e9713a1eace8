import 'reflect-metadata';
import { Client } from 'pg';
import { createDataSource } from '../../src/db/data-source';
import { adminUrl, withDatabase } from './database-url';

/** Test databases are named hive_<kind>_<pid>_…: those whose process is gone were left by an interrupted run. */
async function dropAbandonedDatabases(admin: Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^hive_[a-z]+_[0-9]+_'`);
  for (const { datname } of rows) {
    const pid = Number(/^hive_[a-z]+_(\d+)_/.exec(datname)![1]);
    let alive = true;
    try { process.kill(pid, 0); } catch { alive = false; }
    if (!alive) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  }
}

/** Builds one template database with the migrations; every test file clones it (CREATE DATABASE … TEMPLATE). */
export default async function globalSetup(): Promise<void> {
  const template = `hive_tpl_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: adminUrl(), connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`PostgreSQL is not reachable at ${adminUrl()}: start it or set TEST_DATABASE_URL (${(e as Error).message})`);
  }
  await dropAbandonedDatabases(admin);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const ds = await createDataSource({ databaseUrl: withDatabase(adminUrl(), template), dataDir: '' });
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  process.env.HIVE_TEMPLATE_DB = template;
}
