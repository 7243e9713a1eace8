import { PASSWORD } from '../fixtures/world';
import { useWorld } from '../support/use-world';

/**
 * Review finding 6 (R29): vendor (linked from soc, cannot see partner) read partner's analyst's
 * login in the `details` of a soc case's history and audit; `cases(filter: { assignee })` told an
 * invisible login from an unknown one; the hidden stub carried the real id.
 */
const { server, world } = useWorld();
const gql = () => server.client;
let vendor: { token: string };
let caseId: string;
const PARTNER_ANALYST = 'analyst@partner.test';

beforeAll(async () => {
  await gql().ok('mutation { createOrganisation(name: "vendor") { id } }', {}, world.admin);
  await gql().ok('mutation { linkOrganisations(from: "soc", to: "vendor") { id } }', {}, world.admin);
  await gql().ok(
    `mutation($p: String) { createUser(login: "boss@vendor.test", name: "vendor boss", organisation: "vendor", profile: "org-admin", password: $p) { id } }`,
    { p: PASSWORD },
    world.admin,
  );
  vendor = { token: await gql().login('boss@vendor.test', PASSWORD) };
  const created = await gql().ok('mutation { createCase(input: { title: "assigned to partner" }) { id } }', {}, world.soc['org-admin']);
  caseId = created.createCase.id;
  await gql().ok('mutation($c: ID!) { shareCase(caseId: $c, organisation: "partner", profile: "analyst") { id } }', { c: caseId }, world.soc['org-admin']);
  await gql().ok('mutation($c: ID!) { shareCase(caseId: $c, organisation: "vendor", profile: "read-only") { id } }', { c: caseId }, world.soc['org-admin']);
  await gql().ok('mutation($c: ID!, $l: String) { assignCase(id: $c, login: $l) { id } }', { c: caseId, l: PARTNER_ANALYST }, world.soc['org-admin']);
});

const HISTORY = 'query($c: ID!) { caseHistory(caseId: $c) { action actor { id login } details } }';

it('R29: a details value naming a user the reader cannot see is "hidden", in caseHistory and audit', async () => {
  const history = (await gql().ok(HISTORY, { c: caseId }, vendor)).caseHistory;
  expect(history.some((e: any) => e.action === 'case.assign')).toBe(true);
  expect(JSON.stringify(history)).not.toContain(PARTNER_ANALYST);
  expect(JSON.stringify(history)).toContain('hidden');
  const audit = await gql().ok('{ audit(first: 200) { edges { node { action details } } } }', {}, vendor);
  expect(JSON.stringify(audit)).not.toContain(PARTNER_ANALYST);
  // The other side: soc, linked to partner, sees the login.
  expect(JSON.stringify((await gql().ok(HISTORY, { c: caseId }, world.soc['org-admin'])).caseHistory)).toContain(PARTNER_ANALYST);
});

it('R29: the names of organisations the reader cannot see are "hidden" too', async () => {
  const history = (await gql().ok(HISTORY, { c: caseId }, vendor)).caseHistory;
  expect(JSON.stringify(history.map((e: any) => e.details))).not.toMatch(/"partner"/);
  expect(JSON.stringify((await gql().ok(HISTORY, { c: caseId }, world.soc['org-admin'])).caseHistory)).toMatch(/"partner"/);
});

it('R29: cases(filter: { assignee }) on an invisible user matches nothing, exactly like an unknown login', async () => {
  const count = async (l: string, actor: { token: string }) =>
    (await gql().ok('query($l: String) { cases(filter: { assignee: $l }) { totalCount edges { node { id } } } }', { l }, actor)).cases;
  const invisible = await count(PARTNER_ANALYST, vendor);
  const unknown = await count('nobody@nowhere.test', vendor);
  expect(invisible).toEqual(unknown);
  expect(invisible.totalCount).toBe(0);
  expect((await count(PARTNER_ANALYST, world.soc['org-admin'])).totalCount).toBe(1);
});

it('R29: the hidden stub carries no real id', async () => {
  const real = (await server.sql('SELECT id FROM app_user WHERE login = $1', [PARTNER_ANALYST]))[0].id;
  const c = await gql().ok('query($c: ID!) { case(id: $c) { assignee { id login } } }', { c: caseId }, vendor);
  expect(c.case.assignee.login).toBe('hidden');
  expect(c.case.assignee.id).not.toBe(real);
  expect(JSON.stringify(await gql().ok(HISTORY, { c: caseId }, vendor))).not.toContain(real);
});
