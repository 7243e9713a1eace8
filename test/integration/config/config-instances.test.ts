import { GqlClient } from '../../support/gql-client';
import { useSharedDatabase } from '../../support/shared-database';
import { buildWorld, PASSWORD, World } from '../../fixtures/world';
import type { TestServer } from '../../support/test-server';
import { createCaseAs, createObservableAs } from '../../fixtures/cases';

/** R36: a change made on one instance holds on another from its next request (two API processes, one database). */
const db = useSharedDatabase('config');
let a: GqlClient, b: GqlClient;
let world: World;

beforeAll(async () => {
  const [sa, sb] = await Promise.all([db.start({ LOGIN_MAX_ATTEMPTS: '1000' }), db.start({ LOGIN_MAX_ATTEMPTS: '1000' })]);
  [a, b] = [new GqlClient(sa.url), new GqlClient(sb.url)];
  world = await buildWorld({ client: a } as unknown as TestServer);
}, 90_000);

const SET = 'mutation($k: String!, $v: JSON) { setConfig(key: $k, value: $v) { source } }';
const RESET = 'mutation($k: String!) { resetConfig(key: $k) { source } }';
const RUN = 'mutation($id: ID!) { runAnalyzer(observableId: $id, analyzer: "normal-x") { status } }';

it('R36/R7: cortexEnabled=false set on one instance refuses Cortex work on the other at its next request, with the connector-disabled message; reset there, allowed again here', async () => {
  const k = await createCaseAs(b, world.soc.analyst, { title: 'two instances' });
  const observableId = await createObservableAs(b, world.soc.analyst, k.id);
  await a.ok(SET, { k: 'cortexEnabled', v: false }, world.admin);
  const changedAt = Date.now();
  const res = await b.request(RUN, { id: observableId }, world.soc.analyst);
  expect(Date.now() - changedAt).toBeLessThan(1000);
  expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(res.errors?.[0].message).toMatch(/Cortex connector disabled/);
  expect((await b.ok('{ config { key value source } }', {}, world.admin)).config).toContainEqual({ key: 'cortexEnabled', value: false, source: 'CHANGED' });
  await b.ok(RESET, { k: 'cortexEnabled' }, world.admin);
  expect((await a.ok(RUN, { id: observableId }, world.soc.analyst)).runAnalyzer.status).toBe('WAITING');
});

it('R36/R11c: loginMaxAttempts set on one instance throttles logins on the other at once', async () => {
  const login = world.partner['read-only'].login;
  await a.ok(SET, { k: 'loginMaxAttempts', v: 1 }, world.admin);
  try {
    expect(await b.code('mutation($l: String!) { login(login: $l, password: "wrong") { token } }', { l: login })).toBe('UNAUTHENTICATED');
    const res = await b.request('mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }', { l: login, p: PASSWORD });
    expect(res.errors?.[0].message).toMatch(/Too many/);
  } finally {
    await a.ok(RESET, { k: 'loginMaxAttempts' }, world.admin);
  }
  expect(await db.sql(`SELECT action FROM audit WHERE object_type = 'Config' ORDER BY created_at`)).toEqual([
    { action: 'config.update' },
    { action: 'config.reset' },
    { action: 'config.update' },
    { action: 'config.reset' },
  ]);
});
