import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { entities } from './entities';
import { migrations } from '../../migrations';
import { SnakeNamingStrategy } from './naming-strategy';

interface PGliteHandle {
  close(): Promise<void>;
  listen(channel: string, cb: (payload: string) => void): Promise<() => Promise<void>>;
}

const embedded = new WeakMap<DataSource, PGliteHandle>();

/**
 * LISTEN on a channel: a dedicated connection on a real server (the pool's connections come and
 * go), PGlite's own listener when embedded. A lost connection (server restart, network) is
 * reported and re-opened after a second, for as long as the listener is wanted: notifications
 * sent while it was down are missed, so subscribers must not rely on them for correctness.
 * Returns the function that stops listening.
 */
export async function listen(
  ds: DataSource,
  channel: string,
  onMessage: (payload: string) => void,
  onError: (err: Error) => void,
): Promise<() => Promise<void>> {
  const lite = embedded.get(ds);
  if (lite) return lite.listen(channel, onMessage);
  const { Client } = await import('pg');
  let stopped = false;
  let client: InstanceType<typeof Client> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  // Re-opens after a second while the listener is wanted; the pending timer is cleared at stop,
  // else a retry due after shutdown would open a connection nobody closes.
  const retryLater = () => {
    if (stopped) return;
    retryTimer = setTimeout(() => open().catch((err) => (onError(err), retryLater())), 1000);
    retryTimer.unref();
  };
  const open = async (): Promise<void> => {
    if (stopped) return;
    const c = new Client({ connectionString: (ds.options as { url?: string }).url });
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload) onMessage(n.payload);
    });
    c.on('error', onError);
    c.on('end', retryLater);
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (err) {
      c.removeListener('end', retryLater);
      await c.end().catch(() => undefined);
      throw err;
    }
    client = c;
    // Stopped while connecting: this connection is not wanted any more.
    if (stopped) await c.end();
  };
  await open();
  return async () => {
    stopped = true;
    clearTimeout(retryTimer);
    await client?.end();
  };
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Folder of the embedded database, used when no databaseUrl is given. */
  dataDir: string;
  poolSize?: number;
}

const common = {
  type: 'postgres' as const,
  entities,
  migrations,
  migrationsTableName: 'migrations',
  uuidExtension: 'pgcrypto' as const,
  migrationsTransactionMode: 'each' as const,
  namingStrategy: new SnakeNamingStrategy(),
  synchronize: false,
  logging: false,
};

/**
 * PostgreSQL through `pg` in both cases: a real server when databaseUrl is set, else PGlite in
 * dataDir through its node-postgres adapter. PGlite is one session, so the pool holds one
 * connection (pg-pool queues the rest, which keeps transactions apart) and a connect timeout
 * turns a use of the global manager inside a transaction into an error instead of a hang.
 */
export async function createDataSource(opts: DatabaseOptions): Promise<DataSource> {
  let options: DataSourceOptions;
  let pglite: PGliteHandle | undefined;
  if (opts.databaseUrl) {
    options = { ...common, url: opts.databaseUrl, extra: { max: opts.poolSize ?? 10, connectionTimeoutMillis: 10_000 } };
  } else {
    const dir = path.join(opts.dataDir, 'pglite');
    fs.mkdirSync(dir, { recursive: true });
    const { PGlite } = await import('@electric-sql/pglite');
    const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
    const { pgcrypto } = await import('@electric-sql/pglite/contrib/pgcrypto');
    const db = new PGlite(dir, { extensions: { pgcrypto } });
    pglite = db;
    const cfg = createPgConfig(db);
    options = {
      ...common,
      host: cfg.host,
      port: cfg.port,
      username: cfg.user,
      password: cfg.password,
      database: cfg.database,
      extra: { connection: cfg.connection, max: 1, idleTimeoutMillis: 0, connectionTimeoutMillis: 30_000 },
    };
  }
  const ds = new DataSource(options);
  await ds.initialize();
  if (pglite) embedded.set(ds, pglite as PGliteHandle);
  if (pglite) {
    const destroy = ds.destroy.bind(ds);
    const closer = pglite;
    ds.destroy = async () => {
      await destroy();
      await closer.close();
    };
  }
  return ds;
}
