import { PASSWORD } from '../../fixtures/world';
import { useWorld } from '../../support/use-world';

const { server, world } = useWorld();
const gql = () => server.client;

const PROFILE = 'query($n: String!) { profile(name: $n) { name permissions external } }';
const CREATE =
  'mutation($n: String!, $p: [Permission!]!, $e: Boolean) { createProfile(name: $n, permissions: $p, external: $e) { name permissions external } }';
const UPDATE = 'mutation($n: String!, $p: [Permission!]!) { updateProfile(name: $n, permissions: $p) { name permissions } }';
const DELETE = 'mutation($n: String!) { deleteProfile(name: $n) }';

const ANALYST = ['manageCase', 'manageObservable', 'manageAlert', 'manageTask', 'manageAnalyse', 'manageAction'];
const GLOBAL = ['manageOrganisation', 'manageConfig', 'manageProfile', 'manageTag', 'manageCustomField', 'manageAnalyzerTemplate'];
const ORDER = [
  'manageOrganisation',
  'manageConfig',
  'manageProfile',
  'manageTag',
  'manageCustomField',
  'manageCase',
  'manageObservable',
  'manageAlert',
  'manageUser',
  'manageCaseTemplate',
  'manageTask',
  'manageShare',
  'manageAnalyse',
  'manageAction',
  'manageAnalyzerTemplate',
  'manageExternalShare',
  'portalCreateCase',
  'portalComment',
  'portalAttachment',
  'portalObservable',
];
const sorted = (l: string[]) => [...l].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));

describe('R9: default profiles', () => {
  it.each([
    ['admin', [...GLOBAL, 'manageUser'], false],
    ['analyst', ANALYST, false],
    ['incident-handler', [...ANALYST, 'manageShare', 'manageExternalShare'], false],
    ['org-admin', ORDER.filter((p) => !GLOBAL.includes(p) && !p.startsWith('portal')), false],
    ['read-only', [], false],
    ['all', ORDER.filter((p) => !p.startsWith('portal')), false],
    ['external-reader', [], true],
    ['external-actor', ['portalCreateCase', 'portalComment', 'portalAttachment', 'portalObservable'], true],
  ])('R9: %s', async (name, permissions, external) => {
    const data = await gql().ok(PROFILE, { n: name }, world.soc['read-only']);
    expect(data.profile).toEqual({ name, permissions: sorted(permissions as string[]), external });
  });
});

describe('R6/R7: effective organisation permissions', () => {
  it('R6: global permissions only in admin; case permissions never in admin; manageUser in both', async () => {
    await gql().ok(
      'mutation { createUser(login: "omni@soc.test", name: "Omni", password: "fixture-password-1", organisation: "soc", profile: "all") { id } }',
      {},
      world.admin,
    );
    await gql().ok('mutation { setMembership(login: "omni@soc.test", organisation: "admin", profile: "all") { id } }', {}, world.admin);
    const token = await gql().login('omni@soc.test', PASSWORD);
    const inAdmin = { token, organisation: 'admin' };
    const inSoc = { token, organisation: 'soc' };
    // global: allowed in admin, refused in soc
    await gql().ok(CREATE, { n: 'omni-made', p: [] }, inAdmin);
    expect(await gql().code(CREATE, { n: 'omni-made-2', p: [] }, inSoc)).toBe('FORBIDDEN');
    // case-level: refused in admin (no cases there) — allowed in soc
    expect(await gql().code('mutation { createCase(input: { title: "x" }) { id } }', {}, inAdmin)).toBe('FORBIDDEN');
    // manageUser: both
    await gql().ok('mutation { createUser(login: "by-omni-admin@soc.test", name: "x", organisation: "soc", profile: "read-only") { id } }', {}, inAdmin);
    await gql().ok('mutation { createUser(login: "by-omni-soc@soc.test", name: "x", organisation: "soc", profile: "read-only") { id } }', {}, inSoc);
    await gql().ok('mutation { removeMembership(login: "omni@soc.test", organisation: "admin") }', {}, world.admin);
  });

  it('R6: the admin profile in admin has no case permission (explained by the scope rule)', async () => {
    expect(await gql().code('mutation { createCase(input: { title: "x" }) { id } }', {}, world.admin)).toBe('FORBIDDEN');
  });
});

describe('R8: reading needs no permission', () => {
  it('R8: a read-only member reads organisations, profiles, users and itself', async () => {
    const ro = world.soc['read-only'];
    const data = await gql().ok('{ me { login } organisations { name } profiles { name } users { login } }', {}, ro);
    expect(data.me.login).toBe(ro.login);
    expect(data.organisations.length).toBe(2);
    expect(data.profiles.length).toBeGreaterThanOrEqual(8);
    expect(data.users.length).toBeGreaterThanOrEqual(4);
  });

  it('R8: but every write is refused', async () => {
    const ro = world.soc['read-only'];
    expect(await gql().code(CREATE, { n: 'ro-made', p: [] }, ro)).toBe('FORBIDDEN');
    expect(await gql().code('mutation { createCase(input: { title: "x" }) { id } }', {}, ro)).toBe('FORBIDDEN');
    expect(await gql().code('mutation { createUser(login: "ro@x.test", name: "x", organisation: "soc", profile: "analyst") { id } }', {}, ro)).toBe(
      'FORBIDDEN',
    );
  });
});

describe('R10: profiles', () => {
  it('R10: creating, updating and deleting need manageProfile (admin in admin); everyone else is FORBIDDEN', async () => {
    await gql().ok(CREATE, { n: 'r10-custom', p: ['manageCase'] }, world.admin);
    for (const p of [...Object.values(world.soc), world.partner['org-admin']]) {
      expect(await gql().code(CREATE, { n: `r10-${p.login}`, p: [] }, p)).toBe('FORBIDDEN');
      expect(await gql().code(UPDATE, { n: 'r10-custom', p: ['manageUser'] }, p)).toBe('FORBIDDEN');
      expect(await gql().code(DELETE, { n: 'r10-custom' }, p)).toBe('FORBIDDEN');
    }
    expect((await gql().ok(PROFILE, { n: 'r10-custom' }, world.admin)).profile.permissions).toEqual(['manageCase']);
    expect((await gql().ok(DELETE, { n: 'r10-custom' }, world.admin)).deleteProfile).toBe(true);
    expect((await gql().ok(PROFILE, { n: 'r10-custom' }, world.admin)).profile).toBeNull();
  });

  it('R10: names are unique (CONFLICT); unknown names NOT_FOUND', async () => {
    expect(await gql().code(CREATE, { n: 'Analyst', p: [] }, world.admin)).toBe('CONFLICT');
    expect(await gql().code(UPDATE, { n: 'nope', p: [] }, world.admin)).toBe('NOT_FOUND');
    expect(await gql().code(DELETE, { n: 'nope' }, world.admin)).toBe('NOT_FOUND');
  });

  it('R10: `all` can be neither updated nor deleted', async () => {
    expect(await gql().code(UPDATE, { n: 'all', p: [] }, world.admin)).toBe('BAD_USER_INPUT');
    expect(await gql().code(DELETE, { n: 'all' }, world.admin)).toBe('BAD_USER_INPUT');
    expect((await gql().ok(PROFILE, { n: 'all' }, world.admin)).profile.permissions).toHaveLength(16);
  });

  it('R10: a profile in use cannot be deleted (CONFLICT) but can be updated, with immediate effect on its users', async () => {
    await gql().ok(CREATE, { n: 'r10-inuse', p: [] }, world.admin);
    await gql().ok(
      'mutation { createUser(login: "inuse@soc.test", name: "x", password: "fixture-password-1", organisation: "soc", profile: "r10-inuse") { id } }',
      {},
      world.admin,
    );
    const token = await gql().login('inuse@soc.test', PASSWORD);
    expect(
      await gql().code('mutation { createUser(login: "made-by-inuse@soc.test", name: "x", organisation: "soc", profile: "read-only") { id } }', {}, { token }),
    ).toBe('FORBIDDEN');
    expect(await gql().code(DELETE, { n: 'r10-inuse' }, world.admin)).toBe('CONFLICT');
    await gql().ok(UPDATE, { n: 'r10-inuse', p: ['manageUser'] }, world.admin);
    // Same session, next request: the new permission is effective.
    await gql().ok('mutation { createUser(login: "made-by-inuse@soc.test", name: "x", organisation: "soc", profile: "read-only") { id } }', {}, { token });
    expect((await gql().ok(PROFILE, { n: 'r10-inuse' }, world.admin)).profile.permissions).toEqual(['manageUser']);
  });

  it('R10: external profiles hold only portal permissions, internal ones none of them', async () => {
    expect(await gql().code(CREATE, { n: 'ext-bad', p: ['manageCase'], e: true }, world.admin)).toBe('BAD_USER_INPUT');
    expect(await gql().code(CREATE, { n: 'int-bad', p: ['portalComment'], e: false }, world.admin)).toBe('BAD_USER_INPUT');
    const ext = await gql().ok(CREATE, { n: 'ext-ok', p: ['portalComment'], e: true }, world.admin);
    expect(ext.createProfile).toEqual({ name: 'ext-ok', permissions: ['portalComment'], external: true });
    expect(await gql().code(UPDATE, { n: 'ext-ok', p: ['manageCase'] }, world.admin)).toBe('BAD_USER_INPUT');
    expect(await server.sql("SELECT 1 FROM profile WHERE name IN ('ext-bad', 'int-bad')")).toHaveLength(0);
  });

  it('R10: an unknown permission value is rejected by the schema', async () => {
    const res = await gql().request(CREATE, { n: 'weird', p: ['manageEverything'] }, world.admin);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await server.sql("SELECT 1 FROM profile WHERE name = 'weird'")).toHaveLength(0);
  });

  it('R10/R28: profile writes are audited', async () => {
    await gql().ok(CREATE, { n: 'audited-profile', p: ['manageCase'] }, world.admin);
    await gql().ok(UPDATE, { n: 'audited-profile', p: ['manageTask'] }, world.admin);
    await gql().ok(DELETE, { n: 'audited-profile' }, world.admin);
    const rows = await server.sql(
      `SELECT action, details FROM audit WHERE object_type = 'Profile' AND details->>'name' = 'audited-profile' ORDER BY created_at, id`,
    );
    expect(rows.map((r) => r.action)).toEqual(['profile.create', 'profile.update', 'profile.delete']);
    expect(rows[1].details.permissions).toEqual({ from: ['manageCase'], to: ['manageTask'] });
  });
});
