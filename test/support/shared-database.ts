import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { adminUrl, withDatabase } from './database-url';
import { randomPort, ServerProcess, startServerProcess } from './server-process';
import { ADMIN_PASSWORD } from './test-server';

/**
 * One database cloned from the migrated template, for API processes (dist/src/main.js, as
 * deployed) started on it with `start(env)`: instances of one deployment, or one instance
 * restarted. Registers its own beforeAll/afterAll (every process is killed, the database dropped).
 */
export interface SharedDatabase {
  databaseUrl: string;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  start(env?: Record<string, string>): Promise<ServerProcess>;
}

export function useSharedDatabase(kind: string): SharedDatabase {
  const name = `hive_${kind}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = withDatabase(adminUrl(), name);
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  let pool: Pool | undefined;
  beforeAll(async () => {
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.HIVE_TEMPLATE_DB}`);
    await admin.end();
    pool = new Pool({ connectionString: databaseUrl, max: 2 });
  });
  afterAll(async () => {
    for (const s of servers)
      if (s.proc.exitCode === null && s.proc.signalCode === null) {
        s.proc.kill('SIGKILL');
        await s.exited();
      }
    await pool?.end();
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    databaseUrl,
    sql: async (text, params = []) => (await pool!.query(text, params)).rows,
    start: async (env = {}) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hive-${kind}-`));
      dirs.push(dir);
      const s = await startServerProcess(
        {
          DATABASE_URL: databaseUrl,
          DATA_DIR: dir,
          INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
          LOG_LEVEL: 'warn',
          DB_POOL_SIZE: '4',
          ...env,
        },
        randomPort(),
      );
      servers.push(s);
      return s;
    },
  };
}
