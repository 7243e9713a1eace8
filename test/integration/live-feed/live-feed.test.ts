import { startTestServer, TestServer } from '../../support/test-server';
import { buildWorld, World } from '../../fixtures/world';
import { subscribe, Subscription } from '../../support/ws-client';

let server: TestServer;
let world: World;
const gql = () => server.client;
const FEED = 'subscription { liveFeed { id action objectType objectId viaPortal } }';
type Entry = { liveFeed: { id: string; action: string; objectType: string; objectId: string } };
const open: Subscription<unknown>[] = [];

beforeAll(async () => {
  server = await startTestServer();
  world = await buildWorld(server);
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await server?.stop();
});

async function feed(actor: { token: string; organisation?: string }) {
  const s = await subscribe<Entry>(server.url, FEED, actor);
  open.push(s);
  return s;
}

const createUser = (login: string, org: string, actor = world.admin) =>
  gql().ok('mutation($l: String!, $o: String!) { createUser(login: $l, name: "x", organisation: $o, profile: "read-only") { id } }', { l: login, o: org }, actor);

it('R30: streams the entries the active organisation may see, in commit order, and nothing else', async () => {
  const socAdmin = await feed(world.soc['org-admin']);
  const socAnalyst = await feed(world.soc.analyst);
  const stranger = await feed(world.stranger['org-admin']);
  for (const l of ['feed1@soc.test', 'feed2@soc.test', 'feed3@soc.test']) await createUser(l, 'soc', world.soc['org-admin']);
  await createUser('feed@stranger.test', 'stranger');
  const got = await socAdmin.waitFor(3);
  expect(got.map((e) => e.liveFeed.action)).toEqual(['user.create', 'user.create', 'user.create']);
  const ids = await server.sql(`SELECT id::text FROM app_user WHERE login LIKE 'feed_@soc.test' ORDER BY login`);
  expect(got.map((e) => e.liveFeed.objectId)).toEqual(ids.map((r) => r.id));
  const strangerGot = await stranger.waitFor(1);
  expect(strangerGot[0].liveFeed.action).toBe('user.create');
  await new Promise((r) => setTimeout(r, 300));
  // soc's analyst lacks manageUser: user entries are not theirs to see; stranger sees only its own.
  expect(socAnalyst.received).toEqual([]);
  expect(stranger.received).toHaveLength(1);
  expect(socAdmin.received).toHaveLength(3);
});

it('R30: a rolled-back write announces nothing', async () => {
  const socAdmin = await feed(world.soc['org-admin']);
  expect(await gql().code('mutation { createUser(login: "dup@soc.test", name: "x", organisation: "soc", profile: "no-such-profile") { id } }', {}, world.soc['org-admin'])).toBe('NOT_FOUND');
  await createUser('after-rollback@soc.test', 'soc', world.soc['org-admin']);
  const [first] = await socAdmin.waitFor(1);
  const [row] = await server.sql(`SELECT id::text FROM app_user WHERE login = 'after-rollback@soc.test'`);
  expect(first.liveFeed.objectId).toBe(row.id);
});

it('R30/R11: locking the subscriber ends the feed at the next entry', async () => {
  await gql().ok('mutation { createUser(login: "watcher@soc.test", name: "w", password: "fixture-password-1", organisation: "soc", profile: "org-admin") { id } }', {}, world.admin);
  const token = await gql().login('watcher@soc.test', 'fixture-password-1');
  const s = await feed({ token });
  await createUser('seen@soc.test', 'soc', world.soc['org-admin']);
  await s.waitFor(1);
  await gql().ok('mutation { lockUser(login: "watcher@soc.test", locked: true) { locked } }', {}, world.soc['org-admin']);
  await createUser('unseen@soc.test', 'soc', world.soc['org-admin']);
  await new Promise((r) => setTimeout(r, 300));
  expect(s.received.map((e: any) => e.liveFeed.action)).toEqual(['user.create']);
  expect(s.completed).toBe(true);
});

it('R30: a connection without valid credentials is refused', async () => {
  const anon = await subscribe<Entry>(server.url, FEED, {});
  open.push(anon);
  const bad = await subscribe<Entry>(server.url, FEED, { token: 'hs_bogus' });
  open.push(bad);
  const wrongOrg = await subscribe<Entry>(server.url, FEED, { token: world.soc.analyst.token, organisation: 'stranger' });
  open.push(wrongOrg);
  await createUser('nobody-sees@soc.test', 'soc', world.soc['org-admin']);
  await new Promise((r) => setTimeout(r, 300));
  for (const s of [anon, bad, wrongOrg]) {
    expect(s.received).toEqual([]);
    expect(s.errors.length).toBeGreaterThan(0);
  }
});

it('R30: the feed survives the loss of the listening connection (it reconnects)', async () => {
  const socAdmin = await feed(world.soc['org-admin']);
  // Terminate every LISTEN connection of this database, as a server restart would.
  await server.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`);
  await new Promise((r) => setTimeout(r, 1800));
  await createUser('after-reconnect@soc.test', 'soc', world.soc['org-admin']);
  const [entry] = await socAdmin.waitFor(1, 5000);
  const [row] = await server.sql(`SELECT id::text FROM app_user WHERE login = 'after-reconnect@soc.test'`);
  expect(entry.liveFeed.objectId).toBe(row.id);
});
