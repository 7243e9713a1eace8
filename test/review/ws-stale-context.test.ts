import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { PASSWORD } from '../fixtures/world';
import { subscribe, Subscription } from '../support/ws-client';
import { useWorld } from '../support/use-world';

/**
 * Review finding (fixed): graphql-ws on /graphql built ONE context at connection_init and reused
 * it for every operation of the socket, queries and mutations included, so the principal and the
 * DataLoader caches were frozen for the life of the connection. Now only subscriptions are served
 * there, each operation gets a fresh context, and the live feed re-resolves the credentials for
 * every entry.
 */
const sockets: Client[] = [];
const subs: Subscription<unknown>[] = [];
// Registered before useWorld's hooks, so the sockets close while the server still runs.
afterAll(async () => {
  await Promise.all(subs.map((s) => s.close()));
  await Promise.all(sockets.map((s) => s.dispose()));
});
const { server, world } = useWorld();
const gql = () => server.client;

function connect(token: string, organisation?: string): Client {
  const client = createClient({
    url: server.url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: { authorization: `Bearer ${token}`, ...(organisation ? { 'X-Organisation': organisation } : {}) },
  });
  sockets.push(client);
  return client;
}

/** One query or mutation over the socket: its data and errors. */
async function overWs(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: any; errors?: any[] }> {
  const it = client.iterate({ query, variables });
  let result: { data?: any; errors?: any[] } = {};
  try {
    for await (const r of it) result = r as typeof result;
  } catch (e) {
    result = { errors: Array.isArray(e) ? e : [e] };
  }
  return result;
}

async function newUser(login: string, org: string, profile: string): Promise<string> {
  await gql().ok(
    `mutation($l: String!, $o: String!, $p: String!, $pw: String) {
    createUser(login: $l, name: "ws user", organisation: $o, profile: $p, password: $pw) { id } }`,
    { l: login, o: org, p: profile, pw: PASSWORD },
    world.admin,
  );
  return gql().login(login, PASSWORD);
}

it('R11/R22: queries and mutations are not served over graphql-ws (they go over HTTP, with fresh credentials each time)', async () => {
  const token = await newUser('ws-query@soc.test', 'soc', 'analyst');
  const ws = connect(token);
  const read = await overWs(ws, '{ me { login } }');
  expect(read.data?.me).toBeUndefined();
  expect(read.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  const write = await overWs(ws, 'mutation { createCase(input: { title: "written over ws" }) { id } }');
  expect(write.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  expect(await server.sql(`SELECT 1 FROM "case" WHERE title = 'written over ws'`)).toHaveLength(0);
});

it('R11: logout ends the live feed of the connection opened with that session', async () => {
  const token = await newUser('ws-logout@soc.test', 'soc', 'org-admin');
  const feed = await subscribe<{ liveFeed: { action: string } }>(server.url, 'subscription { liveFeed { action } }', { token });
  subs.push(feed);
  await gql().ok('mutation { createCase(input: { title: "before logout" }) { id } }', {}, world.soc.analyst);
  await feed.waitFor(1);
  await gql().ok('mutation { logout }', {}, { token });
  await gql().ok('mutation { createCase(input: { title: "after logout" }) { id } }', {}, world.soc.analyst);
  await new Promise((r) => setTimeout(r, 400));
  expect(feed.completed).toBe(true);
  expect(feed.received.filter((e) => e.liveFeed.action === 'case.create')).toHaveLength(1);
});

it('R5/R30: a user removed from the organisation stops receiving its live feed', async () => {
  const token = await newUser('ws-removed@soc.test', 'soc', 'analyst');
  const feed = await subscribe<{ liveFeed: { action: string; objectId: string } }>(server.url, 'subscription { liveFeed { action objectId } }', { token });
  subs.push(feed);
  await gql().ok('mutation { createCase(input: { title: "seen while member" }) { id } }', {}, world.soc.analyst);
  await feed.waitFor(1);

  // A second organisation (R5: never none): without X-Organisation it becomes the user's default,
  // and the feed, started in soc, must end rather than carry on there.
  await gql().ok('mutation { setMembership(login: "ws-removed@soc.test", organisation: "stranger", profile: "analyst") { id } }', {}, world.admin);
  await gql().ok('mutation { removeMembership(login: "ws-removed@soc.test", organisation: "soc") }', {}, world.soc['org-admin']);
  expect(await gql().code('{ me { login } }', {}, { token, organisation: 'soc' })).toBe('FORBIDDEN');
  await gql().ok('mutation { createCase(input: { title: "stranger case after the move" }) { id } }', {}, world.stranger.analyst);

  const after = await gql().ok('mutation { createCase(input: { title: "created after removal" }) { id } }', {}, world.soc.analyst);
  await new Promise((r) => setTimeout(r, 500));
  expect(feed.received.map((e) => e.liveFeed.objectId)).not.toContain(after.createCase.id);
  expect(feed.received.filter((e) => e.liveFeed.action === 'case.create')).toHaveLength(1);
  expect(feed.completed).toBe(true);
});

it('R15/R30: a demoted user stops receiving the entries only its old profile could see', async () => {
  const token = await newUser('ws-demoted@soc.test', 'soc', 'org-admin');
  const feed = await subscribe<{ liveFeed: { action: string; objectId: string } }>(server.url, 'subscription { liveFeed { action objectId } }', { token });
  subs.push(feed);
  await gql().ok(
    'mutation { createUser(login: "seen-by-manager@soc.test", name: "x", organisation: "soc", profile: "read-only") { id } }',
    {},
    world.soc['org-admin'],
  );
  await feed.waitFor(1);
  await gql().ok('mutation { setMembership(login: "ws-demoted@soc.test", organisation: "soc", profile: "analyst") { id } }', {}, world.soc['org-admin']);
  await gql().ok(
    'mutation { createUser(login: "unseen-by-analyst@soc.test", name: "x", organisation: "soc", profile: "read-only") { id } }',
    {},
    world.soc['org-admin'],
  );
  const c = await gql().ok('mutation { createCase(input: { title: "seen by the analyst" }) { id } }', {}, world.soc.analyst);
  await new Promise((r) => setTimeout(r, 400));
  const ids = feed.received.map((e) => e.liveFeed.objectId);
  expect(ids).toContain(c.createCase.id);
  const [unseen] = await server.sql(`SELECT id::text FROM app_user WHERE login = 'unseen-by-analyst@soc.test'`);
  expect(ids).not.toContain(unseen.id);
});

it("R13/R30: after a case is unshared from the organisation, its entries stop reaching that organisation's feed", async () => {
  const c = await gql().ok('mutation { createCase(input: { title: "ws unshared" }) { id } }', {}, world.soc.analyst);
  const id = c.createCase.id;
  await gql().ok('mutation($c: ID!) { shareCase(caseId: $c, organisation: "partner", profile: "read-only") { id } }', { c: id }, world.soc['incident-handler']);
  const feed = await subscribe<{ liveFeed: { action: string; objectId: string } }>(
    server.url,
    'subscription { liveFeed { action objectId } }',
    world.partner.analyst,
  );
  subs.push(feed);
  await gql().ok('mutation($c: ID!) { updateCase(id: $c, input: { title: "while shared" }) { id } }', { c: id }, world.soc.analyst);
  await feed.waitFor(1);
  await gql().ok('mutation($c: ID!) { unshareCase(caseId: $c, organisation: "partner") }', { c: id }, world.soc['incident-handler']);
  await gql().ok('mutation($c: ID!) { updateCase(id: $c, input: { title: "after unshare" }) { id } }', { c: id }, world.soc.analyst);
  await new Promise((r) => setTimeout(r, 400));
  expect(feed.received.filter((e) => e.liveFeed.action === 'case.update')).toHaveLength(1);
});

it('Errors over graphql-ws carry a code and never an internal message (as on HTTP)', async () => {
  const ws = connect(world.soc.analyst.token);
  const res = await overWs(ws, 'subscription { liveFeed { id nonsense } }');
  expect(res.errors?.length).toBeGreaterThan(0);
  expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(JSON.stringify(res.errors)).not.toMatch(/node_modules|\bat [\w.<>]+ \(/);
});
