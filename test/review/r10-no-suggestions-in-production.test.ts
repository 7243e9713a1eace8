import { openSocket, subscribe, subscribeOn, Subscription, waitUntil } from '../support/ws-client';
import { useWorld } from '../support/use-world';

/**
 * Review finding 10: in production, graphql-ws validated before authenticating and answered
 * "Did you mean …" for misspelt fields; over HTTP, enum values still got suggestions.
 */
const open: Subscription<unknown>[] = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});
const { server, world } = useWorld({ production: true });
const gql = () => server.client;
const noHint = (value: unknown) => expect(JSON.stringify(value)).not.toMatch(/did you mean/i);

it('R29/production: no "Did you mean" over HTTP, for fields, arguments and enum values, anonymous or not', async () => {
  for (const actor of [{}, world.soc.analyst]) {
    const field = await gql().request('{ me { logn } }', {}, actor);
    expect(field.errors?.length).toBeGreaterThan(0);
    noHint(field.errors);
    const literal = await gql().request('{ cases(filter: { status: [NEWW] }) { totalCount } }', {}, actor);
    expect(literal.errors?.length).toBeGreaterThan(0);
    noHint(literal.errors);
    const variable = await gql().request('query($s: [CaseStatus!]) { cases(filter: { status: $s }) { totalCount } }', { s: ['NEWW'] }, actor);
    expect(variable.errors?.length).toBeGreaterThan(0);
    noHint(variable.errors);
  }
});

it('R29/production: graphql-ws authenticates before validating and gives no hint', async () => {
  const anonymous = await subscribeOn(openSocket(server.url), 'subscription { liveFed { id } }', true);
  open.push(anonymous);
  await waitUntil(() => anonymous.errors.length > 0, 'refused');
  expect((anonymous.errors[0] as any).extensions?.code).toBe('UNAUTHENTICATED');
  noHint(anonymous.errors);
  const known = await subscribe(server.url, 'subscription { liveFeed { idd } }', world.soc.analyst);
  open.push(known);
  await waitUntil(() => known.errors.length > 0, 'refused');
  noHint(known.errors);
});
