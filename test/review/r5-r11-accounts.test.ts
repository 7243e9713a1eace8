import { PASSWORD } from '../fixtures/world';
import { useWorld } from '../support/use-world';

/**
 * Review findings 9 (R11: updateProfile removed the last managers; admin could lose manageProfile
 * for good) and 12 (R5: `me { memberships }` hid the caller's own memberships in organisations
 * the active one does not link to).
 */
const { server, world } = useWorld();
const gql = () => server.client;
const UPDATE = 'mutation($n: String!, $p: [Permission!]!) { updateProfile(name: $n, permissions: $p) { name permissions } }';
const permissionsOf = async (name: string) => (await server.sql('SELECT permissions FROM profile WHERE name = $1', [name]))[0].permissions as string[];

it("R11: updateProfile taking manageUser out of a profile that holds an organisation's last managers is refused (CONFLICT)", async () => {
  const before = await permissionsOf('org-admin');
  const without = before.filter((p) => p !== 'manageUser');
  expect(await gql().code(UPDATE, { n: 'org-admin', p: without }, world.admin)).toBe('CONFLICT');
  expect(await permissionsOf('org-admin')).toEqual(before);
});

it('R11: the other side — taking manageUser out of a profile no last manager depends on is allowed', async () => {
  await gql().ok('mutation { createProfile(name: "deputy", permissions: [manageUser, manageCase]) { name } }', {}, world.admin);
  await gql().ok('mutation { setMembership(login: "analyst@stranger.test", organisation: "stranger", profile: "deputy") { id } }', {}, world.admin);
  const updated = await gql().ok(UPDATE, { n: 'deputy', p: ['manageCase'] }, world.admin);
  expect(updated.updateProfile.permissions).toEqual(['manageCase']);
});

it('R11: admin always keeps manageProfile and manageUser', async () => {
  const before = await permissionsOf('admin');
  expect(await gql().code(UPDATE, { n: 'admin', p: ['manageOrganisation'] }, world.admin)).toBe('CONFLICT');
  expect(await gql().code(UPDATE, { n: 'admin', p: before.filter((p) => p !== 'manageProfile') }, world.admin)).toBe('CONFLICT');
  expect(await permissionsOf('admin')).toEqual(before);
  // Administration still works.
  await gql().ok(UPDATE, { n: 'admin', p: before }, world.admin);
});

it("R5: me { memberships } lists all of the caller's own memberships, whatever the active organisation", async () => {
  await gql().ok(
    'mutation($p: String) { createUser(login: "both@stranger.test", name: "two orgs", organisation: "stranger", profile: "analyst", password: $p) { id } }',
    { p: PASSWORD },
    world.admin,
  );
  await gql().ok('mutation { createUser(login: "both@stranger.test", name: "two orgs", organisation: "soc", profile: "read-only") { id } }', {}, world.admin);
  const token = await gql().login('both@stranger.test', PASSWORD);
  const ME = '{ me { memberships { organisation { name } profile { name } } } }';
  for (const organisation of ['stranger', 'soc']) {
    const me = await gql().ok(ME, {}, { token, organisation });
    expect(me.me.memberships.map((m: any) => m.organisation.name).sort()).toEqual(['soc', 'stranger']);
  }
  // The other side: another user's memberships still show only organisations the caller can see.
  const seen = await gql().ok('{ user(login: "both@stranger.test") { memberships { organisation { name } } } }', {}, world.stranger['org-admin']);
  expect(seen.user.memberships.map((m: any) => m.organisation.name)).toEqual(['stranger']);
});
