import { useWorldWithSmtp } from '../../support/use-world';
import { PASSWORD } from '../../fixtures/world';
import { createCaseAs, createObservableAs } from '../../fixtures/cases';
import { ADD_ATTACHMENT, inviteExternalUser, uploadRequest } from '../../fixtures/portal';
import type { Actor } from '../../support/gql-client';

/** R36: platform settings read from the environment at start, changed at run time with manageConfig (in admin). */
const { server, world, smtp } = useWorldWithSmtp();

const CONFIG = '{ config { key value source } }';
const SET = 'mutation($k: String!, $v: JSON) { setConfig(key: $k, value: $v) { key value source } }';
const RESET = 'mutation($k: String!) { resetConfig(key: $k) { key value source } }';
const LOGIN = 'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }';
const KEYS = ['sessionTtlSeconds', 'invitationTtlSeconds', 'maxUploadBytes', 'cortexEnabled', 'loginMaxAttempts', 'loginWindowSeconds'];

const stored = async () => server.sql('SELECT key, value FROM config_setting ORDER BY key');
const configAudit = async () => server.sql(`SELECT action, details FROM audit WHERE object_type = 'Config' ORDER BY created_at`);
const set = (k: string, v: unknown) => server.client.ok(SET, { k, v }, world.admin);
const reset = (k: string) => server.client.ok(RESET, { k }, world.admin);

/** One user holding `all` in admin and in soc: manageConfig is effective only in admin (R6). */
let everywhere: { inAdmin: Actor; inSoc: Actor };
beforeAll(async () => {
  for (const organisation of ['admin', 'soc']) {
    await server.client.ok(
      `mutation($o: String!) { createUser(login: "all@config.test", name: "All", organisation: $o, profile: "all", password: "${PASSWORD}") { id } }`,
      { o: organisation },
      world.admin,
    );
  }
  const token = await server.client.login('all@config.test', PASSWORD);
  everywhere = { inAdmin: { token, organisation: 'admin' }, inSoc: { token, organisation: 'soc' } };
});

afterEach(async () => {
  for (const k of KEYS) await reset(k);
});

it('R36: config lists every key with its value from the environment; setConfig changes one (CHANGED, audited with before and after); resetConfig goes back', async () => {
  const initial = (await server.client.ok(CONFIG, {}, world.admin)).config;
  expect(initial.map((c: { key: string }) => c.key)).toEqual(KEYS);
  expect(initial.every((c: { source: string }) => c.source === 'ENVIRONMENT')).toBe(true);
  expect(initial.find((c: { key: string }) => c.key === 'sessionTtlSeconds').value).toBe(server.config.sessionTtlSeconds);
  expect(initial.find((c: { key: string }) => c.key === 'cortexEnabled').value).toBe(true);

  expect((await set('sessionTtlSeconds', 3600)).setConfig).toEqual({ key: 'sessionTtlSeconds', value: 3600, source: 'CHANGED' });
  const listed = (await server.client.ok(CONFIG, {}, everywhere.inAdmin)).config;
  expect(listed.find((c: { key: string }) => c.key === 'sessionTtlSeconds')).toEqual({ key: 'sessionTtlSeconds', value: 3600, source: 'CHANGED' });
  expect((await reset('sessionTtlSeconds')).resetConfig).toEqual({ key: 'sessionTtlSeconds', value: server.config.sessionTtlSeconds, source: 'ENVIRONMENT' });
  expect(await stored()).toEqual([]);
  const audit = await configAudit();
  expect(audit.map((a) => a.action)).toEqual(['config.update', 'config.reset']);
  expect(audit[0].details).toEqual({ setting: 'sessionTtlSeconds', value: { from: server.config.sessionTtlSeconds, to: 3600 } });
});

it('R36/R6: without manageConfig, or outside admin where it is not effective, config and its changes are FORBIDDEN and nothing changes', async () => {
  const refused = [everywhere.inSoc, world.soc['org-admin'], world.soc.analyst, world.partner['incident-handler'], world.stranger['read-only']];
  const before = (await configAudit()).length;
  for (const actor of refused) {
    expect(await server.client.code(CONFIG, {}, actor)).toBe('FORBIDDEN');
    expect(await server.client.code(SET, { k: 'loginMaxAttempts', v: 1 }, actor)).toBe('FORBIDDEN');
    expect(await server.client.code(RESET, { k: 'loginMaxAttempts' }, actor)).toBe('FORBIDDEN');
  }
  expect(await server.client.code(CONFIG)).toBe('UNAUTHENTICATED');
  expect(await stored()).toEqual([]);
  expect((await configAudit()).length).toBe(before);
  // The same user in admin: allowed.
  expect((await server.client.ok(SET, { k: 'loginMaxAttempts', v: 50 }, everywhere.inAdmin)).setConfig.source).toBe('CHANGED');
});

it('R36: an unknown key or a value of the wrong type or range is BAD_USER_INPUT naming the key, and writes nothing', async () => {
  const bad: Array<[string, unknown, string]> = [
    ['noSuchKey', 1, 'key'],
    ['sessionTtlSeconds', '3600', 'sessionTtlSeconds'],
    ['sessionTtlSeconds', 59, 'sessionTtlSeconds'],
    ['invitationTtlSeconds', 1.5, 'invitationTtlSeconds'],
    ['maxUploadBytes', 0, 'maxUploadBytes'],
    ['maxUploadBytes', null, 'maxUploadBytes'],
    ['cortexEnabled', 'false', 'cortexEnabled'],
    ['cortexEnabled', 0, 'cortexEnabled'],
    ['loginMaxAttempts', -1, 'loginMaxAttempts'],
    ['loginWindowSeconds', { seconds: 5 }, 'loginWindowSeconds'],
  ];
  const before = (await configAudit()).length;
  for (const [k, v, field] of bad) {
    const res = await server.client.request(SET, { k, v }, world.admin);
    expect({ k, v, ext: res.errors?.[0].extensions }).toEqual({ k, v, ext: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) });
    expect(res.errors?.[0].message).toContain(k);
  }
  expect((await server.client.request(RESET, { k: 'noSuchKey' }, world.admin)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'key' });
  expect(await stored()).toEqual([]);
  expect((await configAudit()).length).toBe(before);
});

it('R36: sessionTtlSeconds sets the lifetime of the next session', async () => {
  await set('sessionTtlSeconds', 120);
  await server.client.login(world.soc.analyst.login, PASSWORD);
  const [s] = await server.sql(
    `SELECT extract(epoch FROM c.expires_at - c.created_at)::int AS ttl FROM credential c JOIN app_user u ON u.id = c.user_id
    WHERE u.login = $1 AND c.kind = 'SESSION' ORDER BY c.created_at DESC LIMIT 1`,
    [world.soc.analyst.login],
  );
  expect(s.ttl).toBeGreaterThanOrEqual(119);
  expect(s.ttl).toBeLessThanOrEqual(121);
});

it('R36: invitationTtlSeconds sets the validity of the next invitation', async () => {
  await set('invitationTtlSeconds', 600);
  await inviteExternalUser(server, smtp, world.soc['org-admin'], 'ttl-guest');
  const [i] = await server.sql(
    `SELECT extract(epoch FROM i.expires_at - i.created_at)::int AS ttl FROM invitation i JOIN app_user u ON u.id = i.user_id WHERE u.login = 'ttl-guest'`,
  );
  expect(Math.abs(i.ttl - 600)).toBeLessThanOrEqual(1);
});

it('R36: maxUploadBytes is the limit of the next upload, on both endpoints, and PortalUser.maxUploadBytes says so', async () => {
  const k = await createCaseAs(server.client, world.soc.analyst, { title: 'upload limit' });
  await set('maxUploadBytes', 10);
  const tooLarge = await uploadRequest(server, ADD_ATTACHMENT, { caseId: k.id }, { name: 'a.txt', content: '12345678901' }, world.soc.analyst);
  expect(tooLarge.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
  expect(
    (await uploadRequest(server, ADD_ATTACHMENT, { caseId: k.id }, { name: 'b.txt', content: '1234567890' }, world.soc.analyst)).data?.addAttachment.size,
  ).toBe(10);
  const guest = await inviteExternalUser(server, smtp, world.soc['org-admin'], 'upload-guest');
  expect((await server.client.ok('{ me { maxUploadBytes } }', {}, guest, 'portal')).me.maxUploadBytes).toBe(10);
  // Raised above the environment's limit: graphql-upload's own cut-off follows (app.ts).
  await set('maxUploadBytes', server.config.maxUploadBytes + 5);
  const big = 'x'.repeat(server.config.maxUploadBytes + 5);
  expect((await uploadRequest(server, ADD_ATTACHMENT, { caseId: k.id }, { name: 'c.txt', content: big }, world.soc.analyst)).data?.addAttachment.size).toBe(
    big.length,
  );
  expect((await server.client.ok('{ me { maxUploadBytes } }', {}, guest, 'portal')).me.maxUploadBytes).toBe(server.config.maxUploadBytes + 5);
});

it('R36/R11c: loginMaxAttempts and loginWindowSeconds throttle the next logins', async () => {
  const login = world.soc['read-only'].login;
  await set('loginMaxAttempts', 2);
  await set('loginWindowSeconds', 2);
  for (const p of ['wrong-1', 'wrong-2']) expect(await server.client.code(LOGIN, { l: login, p })).toBe('UNAUTHENTICATED');
  const throttled = await server.client.request(LOGIN, { l: login, p: PASSWORD });
  expect(throttled.errors?.[0].message).toMatch(/Too many/);
  await new Promise((r) => setTimeout(r, 2100));
  expect((await server.client.ok(LOGIN, { l: login, p: PASSWORD })).login.token).toBeTruthy();
});

it('R36/R7: cortexEnabled=false at run time makes manageAnalyse and manageAction ineffective: refused with a message saying the connector is disabled; back on, allowed', async () => {
  const k = await createCaseAs(server.client, world.soc.analyst, { title: 'cortex gate' });
  const observableId = await createObservableAs(server.client, world.soc.analyst, k.id);
  const RUN = 'mutation($id: ID!) { runAnalyzer(observableId: $id, analyzer: "normal-gate") { status } }';
  const RESPOND = 'mutation($id: ID!) { runResponder(target: CASE, id: $id, responder: "normal-gate") { status } }';
  await set('cortexEnabled', false);
  for (const [q, id] of [
    [RUN, observableId],
    [RESPOND, k.id],
  ]) {
    const res = await server.client.request(q, { id }, world.soc.analyst);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0].message).toMatch(/Cortex connector disabled/);
  }
  expect((await server.client.ok('query($id: ID!) { case(id: $id) { myPermissions } }', { id: k.id }, world.soc.analyst)).case.myPermissions).not.toContain(
    'manageAnalyse',
  );
  expect(await server.sql('SELECT id FROM cortex_job')).toEqual([]);
  await reset('cortexEnabled');
  expect((await server.client.ok(RUN, { id: observableId }, world.soc.analyst)).runAnalyzer.status).toBe('WAITING');
});

it('R36/R28: setting changes appear in the audit for administrators in admin only', async () => {
  await set('loginWindowSeconds', 600);
  const AUDIT = '{ audit(filter: { objectType: "Config" }) { edges { node { action details actor { login } } } } }';
  const seen = (await server.client.ok(AUDIT, {}, world.admin)).audit.edges.map((e: { node: unknown }) => e.node);
  expect(seen[0]).toEqual({
    action: 'config.update',
    details: { setting: 'loginWindowSeconds', value: { from: server.config.loginWindowSeconds, to: 600 } },
    actor: { login: world.admin.login },
  });
  for (const actor of [world.soc['org-admin'], world.partner['org-admin'], everywhere.inSoc]) {
    expect((await server.client.ok(AUDIT, {}, actor)).audit.edges).toEqual([]);
  }
});
