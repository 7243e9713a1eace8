import { createCaseAs, shareCaseAs } from '../../fixtures/cases';
import { useWorld } from '../../support/use-world';

/**
 * R14/R15 decision: an organisation that does not own a case may share it on, but never under a
 * profile holding more than its own share — so linked organisations cannot raise each other's
 * rights on someone else's case. The owner is not capped.
 */
const { server, world } = useWorld();
const gql = () => server.client;
const SHARE = 'mutation($c: ID!, $o: String!, $p: String!) { shareCase(caseId: $c, organisation: $o, profile: $p) { profile { name } } }';
const UPDATE = 'mutation($c: ID!, $o: String!, $p: String!) { updateShare(caseId: $c, organisation: $o, profile: $p) { profile { name } } }';

beforeAll(async () => {
  await gql().ok('mutation { createOrganisation(name: "vendor") { id } }', {}, world.admin);
  await gql().ok('mutation { linkOrganisations(from: "partner", to: "vendor") { id } }', {}, world.admin);
  await gql().ok('mutation { linkOrganisations(from: "vendor", to: "partner") { id } }', {}, world.admin);
  await gql().ok(
    'mutation { createUser(login: "handler@vendor.test", name: "v", password: "fixture-password-1", organisation: "vendor", profile: "incident-handler") { id } }',
    {},
    world.admin,
  );
});

it('R14/R15: a non-owner shares on only within its own share profile; the owner is not capped', async () => {
  const k = await createCaseAs(gql(), world.soc.analyst, { title: 'reshare' });
  await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'partner', 'incident-handler');
  const handler = world.partner['incident-handler'];
  expect(await gql().code(SHARE, { c: k.id, o: 'vendor', p: 'all' }, handler)).toBe('FORBIDDEN');
  expect(await gql().code(SHARE, { c: k.id, o: 'vendor', p: 'org-admin' }, handler)).toBe('FORBIDDEN');
  expect(
    await server.sql(`SELECT 1 FROM share s JOIN organisation o ON o.id = s.organisation_id WHERE s.case_id = $1 AND o.name = 'vendor'`, [k.id]),
  ).toHaveLength(0);
  expect((await gql().ok(SHARE, { c: k.id, o: 'vendor', p: 'analyst' }, handler)).shareCase.profile.name).toBe('analyst');
  expect(await gql().code(UPDATE, { c: k.id, o: 'vendor', p: 'all' }, handler)).toBe('FORBIDDEN');
  // …and vendor cannot raise partner's share either (it holds only analyst: no manageShare at all).
  const vendor = { token: await gql().login('handler@vendor.test', 'fixture-password-1') };
  expect(await gql().code(UPDATE, { c: k.id, o: 'partner', p: 'all' }, vendor)).toBe('FORBIDDEN');
  // The owner may give partner more than partner had.
  expect((await gql().ok(UPDATE, { c: k.id, o: 'partner', p: 'all' }, world.soc['incident-handler'])).updateShare.profile.name).toBe('all');
});
