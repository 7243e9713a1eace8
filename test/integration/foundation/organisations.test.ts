import { useWorld } from '../../support/use-world';

const { server, world } = useWorld();
const gql = () => server.client;

const CREATE = 'mutation($n: String!, $d: String) { createOrganisation(name: $n, description: $d) { id name description } }';
const UPDATE = 'mutation($n: String!, $d: String) { updateOrganisation(name: $n, description: $d) { name description } }';
const LINK = 'mutation($f: String!, $t: String!) { linkOrganisations(from: $f, to: $t) { name links { name } } }';
const UNLINK = 'mutation($f: String!, $t: String!) { unlinkOrganisations(from: $f, to: $t) }';
const NAMES = '{ organisations { name } }';

const orgCount = async () => Number((await server.sql('SELECT count(*) FROM organisation'))[0].count);

describe('R1: the admin organisation', () => {
  it('R1: exists from the first start', async () => {
    const rows = await server.sql("SELECT name FROM organisation WHERE name = 'admin'");
    expect(rows).toHaveLength(1);
  });

  it('R1: cannot be updated, linked or be the target of a link (BAD_USER_INPUT), and nothing changes', async () => {
    expect(await gql().code(UPDATE, { n: 'admin', d: 'x' }, world.admin)).toBe('BAD_USER_INPUT');
    expect(await gql().code(LINK, { f: 'admin', t: 'soc' }, world.admin)).toBe('BAD_USER_INPUT');
    expect(await gql().code(LINK, { f: 'soc', t: 'admin' }, world.admin)).toBe('BAD_USER_INPUT');
    const [admin] = await server.sql("SELECT description FROM organisation WHERE name = 'admin'");
    expect(admin.description).not.toBe('x');
    expect(await server.sql("SELECT 1 FROM organisation_link l JOIN organisation o ON o.id IN (l.from_id, l.to_id) WHERE o.name = 'admin'")).toHaveLength(0);
  });

  it('R1: never holds cases: creating one there is FORBIDDEN, even for a user with manageCase elsewhere', async () => {
    // The all-powerful profile in admin still has no effective case permission there (R6).
    await gql().ok('mutation { setMembership(login: "org-admin@soc.test", organisation: "admin", profile: "all") { id } }', {}, world.admin);
    const actor = { token: world.soc['org-admin'].token, organisation: 'admin' };
    expect(await gql().code('mutation { createCase(input: { title: "in admin" }) { id } }', {}, actor)).toBe('FORBIDDEN');
    expect(await server.sql(`SELECT 1 FROM "case" c JOIN organisation o ON o.id = c.organisation_id WHERE o.name = 'admin'`)).toHaveLength(0);
    await gql().ok('mutation { removeMembership(login: "org-admin@soc.test", organisation: "admin") }', {}, world.admin);
  });
});

describe('R2: organisation names', () => {
  it('R2: are unique case-insensitively (CONFLICT) and nothing is created', async () => {
    await gql().ok(CREATE, { n: 'Acme' }, world.admin);
    const before = await orgCount();
    expect(await gql().code(CREATE, { n: 'acme' }, world.admin)).toBe('CONFLICT');
    expect(await gql().code(CREATE, { n: 'ADMIN' }, world.admin)).toBe('CONFLICT');
    expect(await orgCount()).toBe(before);
  });

  it('R2: bad names are BAD_USER_INPUT', async () => {
    for (const n of ['', '   ', 'a/b', 'x'.repeat(65), 'tab\tname']) {
      expect(await gql().code(CREATE, { n }, world.admin)).toBe('BAD_USER_INPUT');
    }
  });

  it('R2: there is no way to delete an organisation', async () => {
    const res = await gql().request('mutation { deleteOrganisation(name: "soc") }', {}, world.admin);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('R3: links and organisation visibility', () => {
  it('R3: the organisations query lists the active organisation and those it links to', async () => {
    const soc = await gql().ok(NAMES, {}, world.soc.analyst);
    expect(soc.organisations.map((o: { name: string }) => o.name)).toEqual(['partner', 'soc']);
    const partner = await gql().ok(NAMES, {}, world.partner.analyst);
    expect(partner.organisations.map((o: { name: string }) => o.name)).toEqual(['partner']);
    const stranger = await gql().ok(NAMES, {}, world.stranger.analyst);
    expect(stranger.organisations.map((o: { name: string }) => o.name)).toEqual(['stranger']);
  });

  it('R3: in admin the organisations query lists all', async () => {
    const all = await gql().ok(NAMES, {}, world.admin);
    expect(all.organisations.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['admin', 'soc', 'partner', 'stranger']));
  });

  it('R3: links are unidirectional: soc sees partner, partner does not see soc', async () => {
    expect((await gql().ok('{ organisation(name: "partner") { name } }', {}, world.soc.analyst)).organisation).toEqual({ name: 'partner' });
    expect((await gql().ok('{ organisation(name: "soc") { name } }', {}, world.partner.analyst)).organisation).toBeNull();
    expect((await gql().ok('{ organisation(name: "soc") { name } }', {}, world.stranger.analyst)).organisation).toBeNull();
    const soc = await gql().ok('{ organisation(name: "soc") { links { name } } }', {}, world.soc.analyst);
    expect(soc.organisation.links).toEqual([{ name: 'partner' }]);
  });

  it('R3: linking to itself is refused; a duplicate link is CONFLICT; unknown organisations NOT_FOUND', async () => {
    expect(await gql().code(LINK, { f: 'soc', t: 'soc' }, world.admin)).toBe('BAD_USER_INPUT');
    expect(await gql().code(LINK, { f: 'soc', t: 'partner' }, world.admin)).toBe('CONFLICT');
    expect(await gql().code(LINK, { f: 'soc', t: 'nowhere' }, world.admin)).toBe('NOT_FOUND');
  });

  it("R3: a new link lets A see B and B's users; unlinking takes it away", async () => {
    await gql().ok(CREATE, { n: 'vendor' }, world.admin);
    await gql().ok('mutation { createUser(login: "bob@vendor.test", name: "Bob", organisation: "vendor", profile: "analyst") { id } }', {}, world.admin);
    expect((await gql().ok('{ user(login: "bob@vendor.test") { login } }', {}, world.stranger.analyst)).user).toBeNull();
    await gql().ok(LINK, { f: 'stranger', t: 'vendor' }, world.admin);
    expect((await gql().ok('{ user(login: "bob@vendor.test") { login } }', {}, world.stranger.analyst)).user).toEqual({ login: 'bob@vendor.test' });
    expect((await gql().ok('{ organisation(name: "vendor") { name } }', {}, world.stranger.analyst)).organisation).toEqual({ name: 'vendor' });
    // …and not the other way round
    await gql().ok(
      'mutation { createUser(login: "eve@vendor.test", name: "Eve", password: "fixture-password-1", organisation: "vendor", profile: "analyst") { id } }',
      {},
      world.admin,
    );
    const eve = { token: await gql().login('eve@vendor.test', 'fixture-password-1') };
    expect((await gql().ok('{ organisation(name: "stranger") { name } }', {}, eve)).organisation).toBeNull();
    expect((await gql().ok('{ user(login: "analyst@stranger.test") { login } }', {}, eve)).user).toBeNull();
    await gql().ok(UNLINK, { f: 'stranger', t: 'vendor' }, world.admin);
    expect((await gql().ok('{ user(login: "bob@vendor.test") { login } }', {}, world.stranger.analyst)).user).toBeNull();
    expect(await gql().code(UNLINK, { f: 'stranger', t: 'vendor' }, world.admin)).toBe('NOT_FOUND');
  });
});

describe('R4: managing organisations needs effective manageOrganisation', () => {
  it('R4: the administrator in admin creates, updates and links organisations', async () => {
    const created = await gql().ok(CREATE, { n: 'r4-org', d: 'first' }, world.admin);
    expect(created.createOrganisation).toMatchObject({ name: 'r4-org', description: 'first' });
    const updated = await gql().ok(UPDATE, { n: 'r4-org', d: 'second' }, world.admin);
    expect(updated.updateOrganisation).toEqual({ name: 'r4-org', description: 'second' });
    await gql().ok(LINK, { f: 'r4-org', t: 'stranger' }, world.admin);
    expect((await gql().ok(UNLINK, { f: 'r4-org', t: 'stranger' }, world.admin)).unlinkOrganisations).toBe(true);
  });

  it('R4: every persona outside admin is FORBIDDEN, and nothing changes', async () => {
    const before = await orgCount();
    for (const org of ['soc', 'partner', 'stranger'] as const) {
      for (const persona of Object.values(world[org])) {
        expect(await gql().code(CREATE, { n: `nope-${persona.login}` }, persona)).toBe('FORBIDDEN');
        expect(await gql().code(UPDATE, { n: org, d: 'hacked' }, persona)).toBe('FORBIDDEN');
        expect(await gql().code(LINK, { f: org, t: 'stranger' }, persona)).toBe('FORBIDDEN');
        expect(await gql().code(UNLINK, { f: 'soc', t: 'partner' }, persona)).toBe('FORBIDDEN');
      }
    }
    expect(await orgCount()).toBe(before);
    expect(await server.sql("SELECT 1 FROM organisation WHERE description = 'hacked'")).toHaveLength(0);
  });

  it('R4: the `all` profile outside admin still lacks manageOrganisation (global permissions are scoped to admin)', async () => {
    await gql().ok(
      'mutation { createUser(login: "all@soc.test", name: "All", password: "fixture-password-1", organisation: "soc", profile: "all") { id } }',
      {},
      world.admin,
    );
    const token = await gql().login('all@soc.test', 'fixture-password-1');
    expect(await gql().code(CREATE, { n: 'by-all' }, { token })).toBe('FORBIDDEN');
  });

  it('R4: anonymous callers are UNAUTHENTICATED', async () => {
    expect(await gql().code(CREATE, { n: 'anon' })).toBe('UNAUTHENTICATED');
    expect(await gql().code(NAMES)).toBe('UNAUTHENTICATED');
  });

  it('R28: organisation writes are audited in the same transaction; a refused one leaves no entry', async () => {
    await gql().ok(CREATE, { n: 'audited', d: 'd1' }, world.admin);
    await gql().ok(UPDATE, { n: 'audited', d: 'd2' }, world.admin);
    const rows = await server.sql(
      `SELECT a.action, a.details, u.login FROM audit a JOIN app_user u ON u.id = a.actor_id
        WHERE a.object_id = (SELECT id::text FROM organisation WHERE name = 'audited') ORDER BY a.created_at, a.id`,
    );
    expect(rows.map((r) => r.action)).toEqual(['organisation.create', 'organisation.update']);
    expect(rows[1].details).toEqual({ description: { from: 'd1', to: 'd2' } });
    expect(rows[0].login).toBe('admin@thehive.local');
    const before = Number((await server.sql('SELECT count(*) FROM audit')).at(0)!.count);
    await gql().code(CREATE, { n: 'audited' }, world.admin);
    expect(Number((await server.sql('SELECT count(*) FROM audit')).at(0)!.count)).toBe(before);
  });
});
