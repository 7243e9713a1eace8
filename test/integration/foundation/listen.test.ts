import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { listen } from '../../../src/db/data-source';
import { adminUrl } from '../../support/database-url';

/**
 * The LISTEN connection (config changes, Cortex jobs, liveFeed) re-opens itself a second after it
 * is lost; once stopped it must stay closed: a retry still pending at shutdown used to open a new
 * connection that nobody would ever close.
 */
const channel = `hive_listen_test_${process.pid}`;
const ds = { options: { url: adminUrl() } } as unknown as DataSource;
const admin = new Client({ connectionString: adminUrl() });
const listeners = () =>
  admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()`, [`LISTEN ${channel}`]).then((r) => r.rows);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const notify = () => admin.query(`SELECT pg_notify($1, 'ping')`, [channel]);

beforeAll(() => admin.connect());
afterAll(() => admin.end());

it('a lost LISTEN connection is re-opened and hears notifications again', async () => {
  const heard: string[] = [];
  const stop = await listen(
    ds,
    channel,
    (p) => heard.push(p),
    () => undefined,
  );
  try {
    const [first] = await listeners();
    await admin.query('SELECT pg_terminate_backend($1)', [first.pid]);
    await sleep(1600);
    const again = await listeners();
    expect(again).toHaveLength(1);
    expect(again[0].pid).not.toBe(first.pid);
    await notify();
    await sleep(200);
    expect(heard).toEqual(['ping']);
  } finally {
    await stop();
  }
});

it('stopped while a re-open is pending: no connection is opened afterwards', async () => {
  const stop = await listen(
    ds,
    channel,
    () => undefined,
    () => undefined,
  );
  const [first] = await listeners();
  await admin.query('SELECT pg_terminate_backend($1)', [first.pid]);
  await sleep(300); // the loss is seen, the re-open is due in a second
  await stop();
  await sleep(1600);
  expect(await listeners()).toEqual([]);
});
