import { useWorld } from '../../support/use-world';
import { PASSWORD } from '../../fixtures/world';
import type { Actor } from '../../support/gql-client';

/** R37 analyzer templates: global objects managed with manageAnalyzerTemplate, effective only in admin (R6) while Cortex is enabled (R7). */
const { server, world } = useWorld();

const LIST = '{ analyzerTemplates { id analyzer content } }';
const CREATE = 'mutation($a: String!, $c: String!) { createAnalyzerTemplate(analyzer: $a, content: $c) { id analyzer content } }';
const UPDATE = 'mutation($a: String!, $c: String!) { updateAnalyzerTemplate(analyzer: $a, content: $c) { id analyzer content } }';
const DELETE = 'mutation($a: String!) { deleteAnalyzerTemplate(analyzer: $a) }';
const SET = 'mutation($k: String!, $v: JSON) { setConfig(key: $k, value: $v) { key value source } }';

const templates = async () => server.sql<{ analyzer: string; content: string }>('SELECT analyzer, content FROM analyzer_template ORDER BY analyzer');

/** A user holding the `all` profile both in admin and in soc: manageAnalyzerTemplate is only effective in admin (R6). */
let everywhere: { inAdmin: Actor; inSoc: Actor };
beforeAll(async () => {
  for (const organisation of ['admin', 'soc']) {
    await server.client.ok(
      `mutation($o: String!) { createUser(login: "all@both.test", name: "All", organisation: $o, profile: "all", password: "${PASSWORD}") { id } }`,
      { o: organisation },
      world.admin,
    );
  }
  const token = await server.client.login('all@both.test', PASSWORD);
  everywhere = { inAdmin: { token, organisation: 'admin' }, inSoc: { token, organisation: 'soc' } };
});

it('R37/R6: an administrator in admin creates, updates and deletes a template by analyzer name; everyone reads them; each write is audited', async () => {
  const created = (await server.client.ok(CREATE, { a: 'DShield_lookup_1_0', c: '<div>{{content.ip}}</div>' }, world.admin)).createAnalyzerTemplate;
  expect(created).toMatchObject({ analyzer: 'DShield_lookup_1_0', content: '<div>{{content.ip}}</div>' });
  expect((await server.client.ok(LIST, {}, world.soc['read-only'])).analyzerTemplates).toEqual([created]);
  // The name is matched case-insensitively.
  const updated = (await server.client.ok(UPDATE, { a: 'dshield_lookup_1_0', c: '<p>new</p>' }, everywhere.inAdmin)).updateAnalyzerTemplate;
  expect(updated).toEqual({ ...created, content: '<p>new</p>' });
  expect(await server.client.ok(DELETE, { a: 'DShield_lookup_1_0' }, world.admin)).toEqual({ deleteAnalyzerTemplate: true });
  expect(await templates()).toEqual([]);
  const audit = await server.sql(`SELECT action FROM audit WHERE object_id = $1 ORDER BY created_at`, [created.id]);
  expect(audit.map((a) => a.action)).toEqual(['analyzerTemplate.create', 'analyzerTemplate.update', 'analyzerTemplate.delete']);
});

it('R37/R6: without manageAnalyzerTemplate, or outside admin where it is not effective, every write is FORBIDDEN and nothing changes', async () => {
  await server.client.ok(CREATE, { a: 'Kept_1_0', c: 'kept' }, world.admin);
  const refused = [everywhere.inSoc, world.soc['org-admin'], world.soc.analyst, world.partner['incident-handler'], world.stranger['read-only']];
  for (const actor of refused) {
    expect(await server.client.code(CREATE, { a: 'Other_1_0', c: 'x' }, actor)).toBe('FORBIDDEN');
    expect(await server.client.code(UPDATE, { a: 'Kept_1_0', c: 'changed' }, actor)).toBe('FORBIDDEN');
    expect(await server.client.code(DELETE, { a: 'Kept_1_0' }, actor)).toBe('FORBIDDEN');
  }
  expect(await templates()).toEqual([{ analyzer: 'Kept_1_0', content: 'kept' }]);
  await server.client.ok(DELETE, { a: 'Kept_1_0' }, world.admin);
});

it('R37: a second template for the same analyzer is CONFLICT, an unknown one NOT_FOUND, an empty content BAD_USER_INPUT naming it', async () => {
  await server.client.ok(CREATE, { a: 'Dup_1_0', c: 'one' }, world.admin);
  expect(await server.client.code(CREATE, { a: 'DUP_1_0', c: 'two' }, world.admin)).toBe('CONFLICT');
  expect(await server.client.code(UPDATE, { a: 'Nope_1_0', c: 'x' }, world.admin)).toBe('NOT_FOUND');
  expect(await server.client.code(DELETE, { a: 'Nope_1_0' }, world.admin)).toBe('NOT_FOUND');
  const res = await server.client.request(CREATE, { a: 'Empty_1_0', c: '   ' }, world.admin);
  expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'content' });
  expect(await templates()).toEqual([{ analyzer: 'Dup_1_0', content: 'one' }]);
  await server.client.ok(DELETE, { a: 'Dup_1_0' }, world.admin);
});

it('R7/R36: with the Cortex connector disabled at run time, template writes are refused with a message saying so, and allowed again once it is back', async () => {
  await server.client.ok(SET, { k: 'cortexEnabled', v: false }, world.admin);
  try {
    const res = await server.client.request(CREATE, { a: 'Off_1_0', c: 'x' }, world.admin);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0].message).toMatch(/Cortex connector disabled/);
    expect(await templates()).toEqual([]);
    // Reading needs no permission (R8).
    expect((await server.client.ok(LIST, {}, world.admin)).analyzerTemplates).toEqual([]);
  } finally {
    await server.client.ok('mutation { resetConfig(key: "cortexEnabled") { source } }', {}, world.admin);
  }
  expect((await server.client.ok(CREATE, { a: 'On_1_0', c: 'x' }, world.admin)).createAnalyzerTemplate.analyzer).toBe('On_1_0');
});
