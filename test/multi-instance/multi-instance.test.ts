import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { adminUrl, withDatabase } from '../support/database-url';
import { GqlClient } from '../support/gql-client';
import { randomPort, ServerProcess, startServerProcess } from '../support/server-process';
import { buildWorld, PASSWORD, World } from '../fixtures/world';
import { ADMIN_PASSWORD, TestServer } from '../support/test-server';
import { subscribe, Subscription } from '../support/ws-client';

/**
 * Three API processes (dist/src/main.js, as deployed) on one database: what one instance writes,
 * throttles, opens, closes or reconfigures holds on the others at once, the live feed carries every
 * instance's writes in commit order, and SIGTERM on one while requests flow loses no acknowledged write.
 */
const dbName = `hive_multi_${process.pid}_${randomBytes(4).toString('hex')}`;
const databaseUrl = withDatabase(adminUrl(), dbName);
const dirs: string[] = [];
const servers: ServerProcess[] = [];
const feeds: Subscription<unknown>[] = [];
let db: Pool;
let world: World;
let a: GqlClient, b: GqlClient, c: GqlClient;
/** The instance with a readiness delay, stopped by the last test. */
let victim: ServerProcess;
let bUrl = '';

function start(extra: Record<string, string> = {}): Promise<ServerProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-multi-'));
  dirs.push(dir);
  return startServerProcess(
    {
      DATABASE_URL: databaseUrl,
      DATA_DIR: dir,
      INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'info',
      LOGIN_MAX_ATTEMPTS: '3',
      DB_POOL_SIZE: '4',
      ...extra,
    },
    randomPort(),
  ).then((s) => {
    servers.push(s);
    return s;
  });
}

beforeAll(async () => {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName} TEMPLATE ${process.env.HIVE_TEMPLATE_DB}`);
  await admin.end();
  db = new Pool({ connectionString: databaseUrl, max: 2 });
  // Started together: the first-start bootstrap runs under an advisory lock, once.
  const [sa, sb, sc] = await Promise.all([start(), start(), start({ SHUTDOWN_DELAY_MS: '400' })]);
  [a, b, c] = [sa, sb, sc].map((s) => new GqlClient(s.url));
  victim = sc;
  bUrl = sb.url;
  world = await buildWorld({ client: a } as unknown as TestServer);
}, 90_000);

afterAll(async () => {
  await Promise.all(feeds.map((f) => f.close()));
  for (const s of servers)
    if (s.proc.exitCode === null) {
      s.proc.kill('SIGKILL');
      await s.exited();
    }
  await db?.end();
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const sql = async <T = Record<string, any>>(text: string, params: unknown[] = []) => (await db.query(text, params)).rows as T[];
const CREATE_CASE = 'mutation($t: String!) { createCase(input: { title: $t }) { id } }';

it('bootstrap ran once for three instances started together', async () => {
  expect(await sql("SELECT count(*)::int AS n FROM organisation WHERE name = 'admin'")).toEqual([{ n: 1 }]);
  expect(await sql("SELECT count(*)::int AS n FROM app_user WHERE login = 'admin@thehive.local'")).toEqual([{ n: 1 }]);
});

it('R30: writes on two instances reach a liveFeed on the third, in commit order', async () => {
  const feed = await subscribe<{ liveFeed: { objectId: string; action: string } }>(bUrl, 'subscription { liveFeed { objectId action } }', world.soc.analyst);
  feeds.push(feed);
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const on = i % 2 ? c : a;
    ids.push((await on.ok(CREATE_CASE, { t: `multi ${i}` }, world.soc.analyst)).createCase.id);
  }
  const got = await feed.waitFor(6, 10_000);
  expect(got.map((e) => [e.liveFeed.action, e.liveFeed.objectId])).toEqual(ids.map((id) => ['case.create', id]));
});

it('R5: a session opened on one instance works on another; a logout on a third ends it everywhere', async () => {
  const token = await a.login(world.soc.analyst.login, PASSWORD);
  const me = { token };
  expect((await b.ok('{ organisations { name } }', {}, me)).organisations.length).toBeGreaterThan(0);
  await c.ok('mutation { logout }', {}, me);
  for (const on of [a, b, c]) expect(await on.code('{ organisations { name } }', {}, me)).toBe('UNAUTHENTICATED');
});

it('login throttling counts failures from every instance', async () => {
  const login = world.soc['read-only'].login;
  expect(await a.code('mutation($l: String!) { login(login: $l, password: "wrong-1") { token } }', { l: login })).toBe('UNAUTHENTICATED');
  expect(await b.code('mutation($l: String!) { login(login: $l, password: "wrong-2") { token } }', { l: login })).toBe('UNAUTHENTICATED');
  expect(await c.code('mutation($l: String!) { login(login: $l, password: "wrong-3") { token } }', { l: login })).toBe('UNAUTHENTICATED');
  // The fourth attempt, with the right password, on the first instance: throttled (LOGIN_MAX_ATTEMPTS=3).
  const res = await a.request('mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }', { l: login, p: PASSWORD });
  expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(res.errors?.[0].message).toMatch(/Too many/);
});

it('R6/R10: configuration changes on one instance apply on the others at once (profile permissions, locking)', async () => {
  const admin = world.soc['org-admin'];
  await a.ok('mutation { createProfile(name: "case-writer", permissions: [manageCase]) { name } }', {}, world.admin);
  await a.ok(
    'mutation { createUser(login: "writer@soc.test", name: "w", organisation: "soc", profile: "case-writer", password: "writer-password-1") { id } }',
    {},
    admin,
  );
  const writer = { token: await b.login('writer@soc.test', 'writer-password-1') };
  expect((await c.ok(CREATE_CASE, { t: 'by writer' }, writer)).createCase.id).toBeTruthy();
  await a.ok('mutation { updateProfile(name: "case-writer", permissions: []) { name } }', {}, world.admin);
  expect(await b.code(CREATE_CASE, { t: 'refused' }, writer)).toBe('FORBIDDEN');
  expect(await c.code(CREATE_CASE, { t: 'refused' }, writer)).toBe('FORBIDDEN');
  await c.ok('mutation { lockUser(login: "writer@soc.test", locked: true) { locked } }', {}, admin);
  expect(await a.code('{ organisations { name } }', {}, writer)).toBe('UNAUTHENTICATED');
  expect(await b.code('{ organisations { name } }', {}, writer)).toBe('UNAUTHENTICATED');
});

it('SIGTERM on one instance while requests flow: readiness goes first, every acknowledged write is committed, exit 0', async () => {
  const acknowledged: string[] = [];
  let refused = 0;
  let stop = false;
  const worker = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const title = `flow ${w}.${i}`;
      try {
        const res = await c.request(CREATE_CASE, { t: title }, world.soc.analyst);
        if (res.data?.createCase?.id) acknowledged.push(res.data.createCase.id);
      } catch {
        refused++; // connection refused or reset: not acknowledged, a client would retry elsewhere
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const workers = [0, 1, 2, 3].map(worker);
  let before: number;
  let ready: Response | undefined;
  try {
    await new Promise((r) => setTimeout(r, 300));
    before = acknowledged.length;
    victim.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    ready = await fetch(`${victim.url}/readyz`).catch(() => undefined);
    expect(await victim.exited()).toBe(0);
  } finally {
    stop = true;
    await Promise.all(workers);
  }
  expect([ready?.status, victim.output()]).toEqual([503, expect.stringContaining('shutting down')]);
  expect(before).toBeGreaterThan(0);
  expect(acknowledged.length).toBeGreaterThan(before); // served during the readiness delay
  const stored = new Set((await sql<{ id: string }>('SELECT id::text FROM "case" WHERE id = ANY($1::uuid[])', [acknowledged])).map((r) => r.id));
  expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  // The others carry on.
  expect((await a.ok(CREATE_CASE, { t: 'after' }, world.soc.analyst)).createCase.id).toBeTruthy();
  expect(refused).toBeGreaterThanOrEqual(0);
});
