import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { loadConfig, Config } from '../../src/config';
import { startApp, RunningApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { adminUrl, Template, templateDatabase, withDatabase } from './database-url';
import { GqlClient } from './gql-client';

export const ADMIN_LOGIN = 'admin@thehive.local';
export const ADMIN_PASSWORD = 'admin-password-1';

export interface TestServer {
  app: RunningApp;
  url: string;
  config: Config;
  databaseUrl: string;
  dataDir: string;
  client: GqlClient;
  /** Runs SQL on the test database (assertions about what was written). */
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/**
 * The real server on a random loopback port, on a fresh database cloned from a template of the
 * run (`world`: the named world is already in it), with its own data folder. Stop it in afterAll;
 * it drops its database.
 */
export async function startTestServer(overrides: Partial<Config> = {}, template: Template = 'migrated'): Promise<TestServer> {
  const source = templateDatabase(template);
  const name = `hive_t_${process.pid}_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${source}`);
  await admin.end();
  return startServerOn(name, overrides, { dropOnStop: true });
}

/** The test server on an existing database (globalSetup seeds the world template this way; it keeps its database). */
export async function startServerOn(database: string, overrides: Partial<Config>, opts: { dropOnStop: boolean }): Promise<TestServer> {
  const databaseUrl = withDatabase(adminUrl(), database);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-test-'));
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl,
      dataDir,
      initialAdminPassword: ADMIN_PASSWORD,
      logLevel: process.env.TEST_LOG_LEVEL || 'silent',
      dbPoolSize: 5,
      loginMaxAttempts: 1000,
      ...overrides,
    },
  );
  const app = await startApp(config, { logger: createLogger(config.logLevel) });
  // A pool of one queues the statements of concurrent callers (a Client would interleave them: pg deprecates that).
  const db = new Pool({ connectionString: databaseUrl, max: 1 });
  return {
    app,
    url: app.url,
    config,
    databaseUrl,
    dataDir,
    client: new GqlClient(app.url),
    sql: async (text, params) => (await db.query(text, params)).rows,
    stop: async () => {
      await db.end();
      await app.stop();
      if (opts.dropOnStop) {
        const drop = new Client({ connectionString: adminUrl() });
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await drop.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
