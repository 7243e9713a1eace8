import { countStatements } from '../support/count-statements';
import { errorCodes, openSocket, subscribe, subscribeOn, Subscription, waitUntil } from '../support/ws-client';
import { useWorld } from '../support/use-world';

/**
 * Review finding 2 (R30a): one socket ran 2,000 liveFeed subscriptions and every audit entry cost
 * two statements per subscription. Also (client report): a feed ended by logout completed
 * silently instead of ending with UNAUTHENTICATED.
 */
const open: Subscription<unknown>[] = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});
const { server, world } = useWorld({ wsMaxSubscriptions: 5, wsMaxSocketsPerUser: 3 });
const gql = () => server.client;
const FEED = 'subscription { liveFeed { id action actor { login } organisation { name } details } }';
type Entry = { liveFeed: { id: string; action: string } };
const track = <T>(s: Subscription<T>) => {
  open.push(s as Subscription<unknown>);
  return s;
};

it('R30a: at most WS_MAX_SUBSCRIPTIONS running subscriptions per socket; more are refused with a coded error', async () => {
  const socket = openSocket(server.url, { connectionParams: { authorization: `Bearer ${world.stranger.analyst.token}` } });
  const subs: Subscription<Entry>[] = [];
  for (let i = 0; i < 6; i++) subs.push(track(await subscribeOn<Entry>(socket, FEED, i === 0)));
  expect(subs.slice(0, 5).every((s) => s.errors.length === 0)).toBe(true);
  await waitUntil(() => subs[5].errors.length > 0, 'the sixth subscription is refused');
  expect(errorCodes(subs[5])).toEqual(['BAD_USER_INPUT']);
  // The five others still run.
  await gql().ok('mutation { createCase(input: { title: "after the limit" }) { id } }', {}, world.stranger.analyst);
  await subs[0].waitFor(1);
  await Promise.all(subs.map((s) => s.close()));
});

it('R30a: a small number of sockets per user (WS_MAX_SOCKETS_PER_USER); more are refused', async () => {
  const subs: Subscription<Entry>[] = [];
  for (let i = 0; i < 4; i++) subs.push(track(await subscribe<Entry>(server.url, FEED, world.stranger['read-only'])));
  await waitUntil(() => subs[3].errors.length > 0, 'the fourth socket is refused');
  expect(errorCodes(subs[3])).toEqual(['BAD_USER_INPUT']);
  expect(subs.slice(0, 3).every((s) => s.errors.length === 0)).toBe(true);
  // A closed socket frees its place.
  await subs[0].close();
  await new Promise((r) => setTimeout(r, 200));
  const again = track(await subscribe<Entry>(server.url, FEED, world.stranger['read-only']));
  expect(again.errors).toEqual([]);
  await Promise.all([...subs, again].map((s) => s.close()));
});

it('R30a: delivering one entry costs the same number of statements for 1 subscriber as for 40', async () => {
  const deliver = async (subs: Subscription<Entry>[], title: string) =>
    countStatements(
      async () => {
        const before = subs.map((s) => s.received.length);
        await gql().ok('mutation($t: String!) { createCase(input: { title: $t }) { id } }', { t: title }, world.soc.analyst);
        await waitUntil(() => subs.every((s, i) => s.received.length > before[i]), 'every feed got the entry');
      },
      // The delivery starts from the audit's NOTIFY, not from a request.
      { only: 'all' },
    );
  const one = [track(await subscribe<Entry>(server.url, FEED, world.soc.analyst))];
  const alone = await deliver(one, 'one subscriber');
  const many: Subscription<Entry>[] = [];
  for (const persona of [world.soc['org-admin'], world.soc['incident-handler'], world.soc['read-only']]) {
    for (let s = 0; s < 2; s++) {
      const socket = openSocket(server.url, { connectionParams: { authorization: `Bearer ${persona.token}` } });
      for (let i = 0; i < 5; i++) many.push(track(await subscribeOn<Entry>(socket, FEED, i === 0)));
    }
  }
  const crowd = many.filter((s) => s.errors.length === 0);
  expect(crowd.length).toBeGreaterThanOrEqual(30);
  const withCrowd = await deliver([...one, ...crowd], 'forty subscribers');
  expect(withCrowd - alone).toBeLessThanOrEqual(6);
});

it('R30a: a feed ended by logout ends with the UNAUTHENTICATED error, not a silent completion', async () => {
  const token = await gql().login('incident-handler@stranger.test', 'fixture-password-1');
  const feed = track(await subscribe<Entry>(server.url, FEED, { token }));
  await gql().ok('mutation { logout }', {}, { token });
  await gql().ok('mutation { createCase(input: { title: "after logout" }) { id } }', {}, world.stranger['org-admin']);
  await waitUntil(() => feed.completed || feed.errors.length > 0, 'the feed ends');
  await waitUntil(() => feed.errors.length > 0, 'the feed ends with an error');
  expect(errorCodes(feed)).toEqual(['UNAUTHENTICATED']);
  expect(feed.received).toEqual([]);
});

it('R30a: a subscription sent over HTTP POST answers BAD_USER_INPUT (subscriptions use graphql-ws)', async () => {
  const res = await gql().request('subscription { liveFeed { id } }', {}, world.soc.analyst);
  expect(res.status).toBeLessThan(500);
  expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(res.errors?.[0]?.message).toMatch(/graphql-ws/);
});
