import { ALERT, CREATE_ALERT } from '../../fixtures/alerts';
import { useWorld } from '../../support/use-world';

/**
 * The scripted scenario of issue #10 (R34, R35, R33): an integration pushes, an analyst promotes
 * with a template, and a later alert finds the case through a shared observable.
 */
const { server, world } = useWorld();
const gql = () => server.client;

const OBSERVABLES = [
  { dataType: 'ip', data: '203.0.113.9', ioc: true, tags: ['c2'] },
  { dataType: 'hostname', data: 'ws-17' },
  { dataType: 'domain', data: 'cdn-update.example' },
];
const PUSH = {
  type: 'siem',
  source: 'splunk',
  sourceRef: 'notable-4711',
  title: 'Beaconing to 203.0.113.9',
  description: 'Host ws-17 beacons every 60 s',
  severity: 3,
  observables: OBSERVABLES,
};
const PROMOTE = `mutation($id: ID!, $t: String) { promoteAlert(id: $id, caseTemplate: $t) {
  id title severity organisation { name } observables { dataType data ioc tags } tasks { title description status } } }`;

it('R34/R35/R33: push with an API key, duplicate CONFLICT, promote with a template (2 tasks), second promote CONFLICT, similarCases on the next alert', async () => {
  // The integration: an analyst account of soc with an API key minted by soc's org-admin.
  await gql().ok('mutation { createUser(login: "siem@soc.test", name: "SIEM", organisation: "soc", profile: "analyst") { id } }', {}, world.soc['org-admin']);
  const key = (await gql().ok('mutation { createApiKey(login: "siem@soc.test") }', {}, world.soc['org-admin'])).createApiKey;
  const integration = { token: key };

  const alert = (await gql().ok(CREATE_ALERT, { input: PUSH }, integration)).createAlert;
  expect(alert).toMatchObject({ status: 'NEW', organisation: { name: 'soc' } });
  expect(alert.observables).toHaveLength(3);
  const again = await gql().request(CREATE_ALERT, { input: { ...PUSH, title: 'pushed twice' } }, integration);
  expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');

  await gql().ok(
    `mutation($i: CreateCaseTemplateInput!) { createCaseTemplate(input: $i) { name } }`,
    {
      i: {
        name: 'c2-beacon',
        titlePrefix: '[C2]',
        tasks: [{ title: 'Isolate the host', description: 'EDR network containment' }, { title: 'Block the address' }],
      },
    },
    world.soc['org-admin'],
  );
  const k = (await gql().ok(PROMOTE, { id: alert.id, t: 'c2-beacon' }, world.soc.analyst)).promoteAlert;
  expect(k).toMatchObject({ title: '[C2] Beaconing to 203.0.113.9', severity: 3, organisation: { name: 'soc' } });
  expect(k.observables).toEqual([
    { dataType: 'ip', data: '203.0.113.9', ioc: true, tags: ['c2'] },
    { dataType: 'hostname', data: 'ws-17', ioc: false, tags: [] },
    { dataType: 'domain', data: 'cdn-update.example', ioc: false, tags: [] },
  ]);
  expect(k.tasks).toEqual([
    { title: 'Isolate the host', description: 'EDR network containment', status: 'WAITING' },
    { title: 'Block the address', description: '', status: 'WAITING' },
  ]);
  expect((await gql().ok(ALERT, { id: alert.id }, world.soc['read-only'])).alert).toMatchObject({ status: 'IMPORTED', case: { id: k.id } });
  expect(await gql().code(PROMOTE, { id: alert.id, t: 'c2-beacon' }, world.soc.analyst)).toBe('CONFLICT');
  expect(await gql().code(PROMOTE, { id: alert.id }, world.soc.analyst)).toBe('CONFLICT');

  const next = (
    await gql().ok(
      CREATE_ALERT,
      {
        input: {
          ...PUSH,
          sourceRef: 'notable-4712',
          observables: [
            { dataType: 'domain', data: 'cdn-update.example' },
            { dataType: 'ip', data: '192.0.2.1' },
          ],
        },
      },
      integration,
    )
  ).createAlert;
  const similar = await gql().ok(
    'query($id: ID!) { alert(id: $id) { similarCases { sharedObservables case { id title } } } }',
    { id: next.id },
    world.soc.analyst,
  );
  expect(similar.alert.similarCases).toEqual([{ sharedObservables: 1, case: { id: k.id, title: '[C2] Beaconing to 203.0.113.9' } }]);
  // The other organisations see neither alert nor case.
  expect((await gql().ok('query($id: ID!) { alert(id: $id) { id } }', { id: next.id }, world.partner.analyst)).alert).toBeNull();
});

it("R35/R33/R32: a template whose mandatory field the alert leaves empty → BAD_USER_INPUT; nothing created, the alert stays NEW; another organisation's template is unknown", async () => {
  await gql().ok(
    'mutation { createCustomField(input: { name: "business-unit", type: STRING, options: ["HR", "Sales"], mandatory: true }) { id } }',
    {},
    world.admin,
  );
  // A mandatory definition binds every template application: not mandatory any more once this test ends.
  try {
    await strictTemplate();
  } finally {
    await gql().ok('mutation { updateCustomField(name: "business-unit", input: { mandatory: false }) { id } }', {}, world.admin);
  }
});

async function strictTemplate() {
  await gql().ok('mutation { createCaseTemplate(input: { name: "strict", tasks: [{ title: "one" }] }) { name } }', {}, world.soc['org-admin']);
  await gql().ok('mutation { createCaseTemplate(input: { name: "partner-only" }) { name } }', {}, world.partner['org-admin']);
  const alert = (await gql().ok(CREATE_ALERT, { input: { ...PUSH, sourceRef: 'strict-1' } }, world.soc.analyst)).createAlert;
  const [before] = await server.sql(
    'SELECT (SELECT count(*) FROM "case")::int AS cases, (SELECT count(*) FROM task)::int AS tasks, (SELECT count(*) FROM observable)::int AS observables, (SELECT count(*) FROM audit)::int AS audit',
  );
  const missing = await gql().request(PROMOTE, { id: alert.id, t: 'strict' }, world.soc.analyst);
  expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customFields' });
  const foreign = await gql().request(PROMOTE, { id: alert.id, t: 'partner-only' }, world.soc.analyst);
  expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'caseTemplate' });
  const [after] = await server.sql(
    'SELECT (SELECT count(*) FROM "case")::int AS cases, (SELECT count(*) FROM task)::int AS tasks, (SELECT count(*) FROM observable)::int AS observables, (SELECT count(*) FROM audit)::int AS audit',
  );
  expect(after).toEqual(before);
  expect((await gql().ok(ALERT, { id: alert.id }, world.soc.analyst)).alert).toMatchObject({ status: 'NEW', case: null });
  // With the value on the alert, the same template applies.
  const ok = (
    await gql().ok(CREATE_ALERT, { input: { ...PUSH, sourceRef: 'strict-2', customFields: [{ name: 'business-unit', value: 'HR' }] } }, world.soc.analyst)
  ).createAlert;
  const k = (
    await gql().ok(
      `mutation($id: ID!) { promoteAlert(id: $id, caseTemplate: "strict") { tasks { title } customFields { name value } } }`,
      { id: ok.id },
      world.soc.analyst,
    )
  ).promoteAlert;
  expect(k).toEqual({ tasks: [{ title: 'one' }], customFields: [{ name: 'business-unit', value: 'HR' }] });
}
