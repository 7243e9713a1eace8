import { PASSWORD } from '../../fixtures/world';
import { insertExternalUser } from '../../fixtures/cases';
import { useWorld } from '../../support/use-world';

const { server, world } = useWorld();
const gql = () => server.client;

const CREATE_USER = `mutation($login: String!, $org: String!, $profile: String!, $password: String) {
  createUser(login: $login, name: "Test user", email: "t@example.com", password: $password, organisation: $org, profile: $profile) {
    login type locked memberships { organisation { name } profile { name } } } }`;
const SET = 'mutation($l: String!, $o: String!, $p: String!) { setMembership(login: $l, organisation: $o, profile: $p) { login } }';
const REMOVE = 'mutation($l: String!, $o: String!) { removeMembership(login: $l, organisation: $o) }';
const LOCK = 'mutation($l: String!, $v: Boolean!) { lockUser(login: $l, locked: $v) { login locked } }';
const ME = '{ me { login } }';

async function newUser(login: string, org = 'soc', profile = 'analyst') {
  await gql().ok(CREATE_USER, { login, org, profile, password: PASSWORD }, world.admin);
  return { login, token: await gql().login(login, PASSWORD) };
}

describe('R5: memberships and the active organisation', () => {
  it('R5: a user belongs to several organisations with one profile in each, and acts in the one named by X-Organisation', async () => {
    const u = await newUser('multi@test.test', 'soc', 'analyst');
    await gql().ok(SET, { l: u.login, o: 'stranger', p: 'read-only' }, world.admin);
    const seen = await gql().ok('{ user(login: "multi@test.test") { memberships { organisation { name } profile { name } } } }', {}, world.admin);
    expect(seen.user.memberships).toEqual([
      { organisation: { name: 'soc' }, profile: { name: 'analyst' } },
      { organisation: { name: 'stranger' }, profile: { name: 'read-only' } },
    ]);
    const inSoc = await gql().ok('{ organisations { name } }', {}, { token: u.token, organisation: 'soc' });
    expect(inSoc.organisations.map((o: { name: string }) => o.name)).toEqual(['partner', 'soc']);
    const inStranger = await gql().ok('{ organisations { name } }', {}, { token: u.token, organisation: 'STRANGER' });
    expect(inStranger.organisations.map((o: { name: string }) => o.name)).toEqual(['stranger']);
    // Without the header: the oldest membership (soc).
    const dflt = await gql().ok('{ organisations { name } }', {}, { token: u.token });
    expect(dflt.organisations.map((o: { name: string }) => o.name)).toEqual(['partner', 'soc']);
  });

  it('R5: a non-member X-Organisation is FORBIDDEN — never an empty context that can still read', async () => {
    for (const q of [ME, '{ organisations { name } }', '{ users { login } }', '{ profiles { name } }']) {
      expect(await gql().code(q, {}, { token: world.soc.analyst.token, organisation: 'partner' })).toBe('FORBIDDEN');
      expect(await gql().code(q, {}, { token: world.soc.analyst.token, organisation: 'nowhere' })).toBe('FORBIDDEN');
    }
  });

  it('R5: a blank X-Organisation is no choice: the default organisation, as without the header', async () => {
    for (const organisation of ['', '   ']) {
      const seen = await gql().ok('{ organisations { name } }', {}, { token: world.soc.analyst.token, organisation });
      expect(seen.organisations.map((o: { name: string }) => o.name)).toEqual(['partner', 'soc']);
    }
    expect(await gql().code('{ organisations { name } }', {}, { token: world.partner.analyst.token, organisation: 'soc' })).toBe('FORBIDDEN');
  });

  it('R5: administrators too: the admin acting in soc (not a member) is FORBIDDEN', async () => {
    expect(await gql().code('{ users { login } }', {}, { token: world.admin.token, organisation: 'soc' })).toBe('FORBIDDEN');
    expect(await gql().code(CREATE_USER, { login: 'x@x.test', org: 'soc', profile: 'analyst' }, { token: world.admin.token, organisation: 'soc' })).toBe(
      'FORBIDDEN',
    );
    expect(await server.sql("SELECT 1 FROM app_user WHERE login = 'x@x.test'")).toHaveLength(0);
  });
});

describe('R11: managing users', () => {
  it('R11: an org-admin creates users in its own organisation only', async () => {
    const created = await gql().ok(CREATE_USER, { login: 'new@soc.test', org: 'soc', profile: 'analyst' }, world.soc['org-admin']);
    expect(created.createUser).toEqual({
      login: 'new@soc.test',
      type: 'INTERNAL',
      locked: false,
      memberships: [{ organisation: { name: 'soc' }, profile: { name: 'analyst' } }],
    });
    expect(await gql().code(CREATE_USER, { login: 'new@partner.test', org: 'partner', profile: 'analyst' }, world.soc['org-admin'])).toBe('FORBIDDEN');
    expect(await gql().code(CREATE_USER, { login: 'new@stranger.test', org: 'stranger', profile: 'analyst' }, world.soc['org-admin'])).toBe('NOT_FOUND');
    expect(await server.sql("SELECT 1 FROM app_user WHERE login IN ('new@partner.test', 'new@stranger.test')")).toHaveLength(0);
  });

  it('R11: personas without manageUser cannot create users', async () => {
    for (const p of [world.soc.analyst, world.soc['incident-handler'], world.soc['read-only']]) {
      expect(await gql().code(CREATE_USER, { login: `by-${p.profile}@soc.test`, org: 'soc', profile: 'analyst' }, p)).toBe('FORBIDDEN');
    }
    expect(await server.sql("SELECT 1 FROM app_user WHERE login LIKE 'by-%'")).toHaveLength(0);
  });

  it('R11: in admin, manageUser reaches any user and any organisation', async () => {
    await gql().ok(CREATE_USER, { login: 'adm-made@partner.test', org: 'partner', profile: 'read-only' }, world.admin);
    const users = await gql().ok('{ users { login } }', {}, world.admin);
    expect(users.users.map((u: { login: string }) => u.login)).toEqual(expect.arrayContaining(['adm-made@partner.test', 'analyst@stranger.test']));
  });

  it('R11: the users query lists the members of the active organisation only', async () => {
    const soc = await gql().ok('{ users { login } }', {}, world.stranger.analyst);
    const logins = soc.users.map((u: { login: string }) => u.login);
    const members = await server.sql(
      `SELECT u.login FROM app_user u JOIN membership m ON m.user_id = u.id JOIN organisation o ON o.id = m.organisation_id WHERE o.name = 'stranger' ORDER BY u.login`,
    );
    expect(logins).toEqual(members.map((m) => m.login));
    expect(logins).toEqual(expect.arrayContaining(['analyst@stranger.test', 'org-admin@stranger.test']));
    expect(logins).not.toContain('analyst@soc.test');
  });

  it('R11: adding an existing login to a second organisation creates a second membership (createUser and setMembership)', async () => {
    await newUser('twice@soc.test', 'soc', 'analyst');
    const res = await gql().ok(CREATE_USER, { login: 'twice@soc.test', org: 'partner', profile: 'read-only' }, world.admin);
    expect(res.createUser.memberships).toEqual(
      expect.arrayContaining([
        { organisation: { name: 'soc' }, profile: { name: 'analyst' } },
        { organisation: { name: 'partner' }, profile: { name: 'read-only' } },
      ]),
    );
    await gql().ok(SET, { l: 'twice@soc.test', o: 'stranger', p: 'analyst' }, world.admin);
    expect(await server.sql(`SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.login = 'twice@soc.test'`)).toHaveLength(3);
    expect(await gql().code(CREATE_USER, { login: 'twice@soc.test', org: 'soc', profile: 'analyst' }, world.admin)).toBe('CONFLICT');
  });

  it("R11: setMembership adds a visible user to the caller's organisation (a new, audited membership); others are refused", async () => {
    // partner's members are visible in soc (soc links partner, R3); stranger's are not.
    await newUser('joiner@partner.test', 'partner', 'read-only');
    const membershipsOf = (login: string) =>
      server.sql(
        `SELECT o.name AS org, p.name AS profile FROM membership m JOIN app_user u ON u.id = m.user_id
      JOIN organisation o ON o.id = m.organisation_id JOIN profile p ON p.id = m.profile_id WHERE u.login = $1 ORDER BY o.name`,
        [login],
      );
    const joins = (login: string) =>
      server.sql(
        `SELECT a.details->>'organisation' AS org, u.login AS actor FROM audit a JOIN app_user u ON u.id = a.actor_id
      WHERE a.action = 'membership.create' AND a.object_id = (SELECT id::text FROM app_user WHERE login = $1)`,
        [login],
      );
    const orgAdmin = world.soc['org-admin'];

    expect(await gql().code(SET, { l: 'joiner@partner.test', o: 'soc', p: 'analyst' }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await gql().code(SET, { l: 'joiner@partner.test', o: 'partner', p: 'analyst' }, orgAdmin)).toBe('FORBIDDEN');
    expect(await gql().code(SET, { l: 'analyst@stranger.test', o: 'soc', p: 'analyst' }, orgAdmin)).toBe('NOT_FOUND');
    expect(await gql().code(SET, { l: 'analyst@soc.test', o: 'partner', p: 'analyst' }, world.partner['org-admin'])).toBe('NOT_FOUND');
    expect(await gql().code(SET, { l: 'joiner@partner.test', o: 'soc', p: 'external-reader' }, orgAdmin)).toBe('BAD_USER_INPUT');
    expect(await membershipsOf('joiner@partner.test')).toEqual([{ org: 'partner', profile: 'read-only' }]);
    expect(await membershipsOf('analyst@stranger.test')).toEqual([{ org: 'stranger', profile: 'analyst' }]);
    expect(await joins('joiner@partner.test')).toEqual([]);

    const res = await gql().ok(
      `mutation($l: String!, $o: String!, $p: String!) {
      setMembership(login: $l, organisation: $o, profile: $p) { memberships { organisation { name } profile { name } } } }`,
      { l: 'joiner@partner.test', o: 'soc', p: 'analyst' },
      orgAdmin,
    );
    expect(res.setMembership.memberships).toEqual([
      { organisation: { name: 'partner' }, profile: { name: 'read-only' } },
      { organisation: { name: 'soc' }, profile: { name: 'analyst' } },
    ]);
    expect(await membershipsOf('joiner@partner.test')).toEqual([
      { org: 'partner', profile: 'read-only' },
      { org: 'soc', profile: 'analyst' },
    ]);
    expect(await joins('joiner@partner.test')).toEqual([{ org: 'soc', actor: orgAdmin.login }]);
    // The new membership is usable at once (R5).
    const token = await gql().login('joiner@partner.test', PASSWORD);
    expect((await gql().ok('{ organisations { name } }', {}, { token, organisation: 'soc' })).organisations.map((o: { name: string }) => o.name)).toEqual([
      'partner',
      'soc',
    ]);
  });

  it('R11 R21: an external user never gets a second membership, nor one in admin, nor an internal profile', async () => {
    await insertExternalUser(server, 'soc', 'portal-only@example.test');
    expect(await gql().code(SET, { l: 'portal-only@example.test', o: 'partner', p: 'external-reader' }, world.admin)).toBe('BAD_USER_INPUT');
    expect(await gql().code(SET, { l: 'portal-only@example.test', o: 'admin', p: 'external-reader' }, world.admin)).toBe('BAD_USER_INPUT');
    expect(await gql().code(SET, { l: 'portal-only@example.test', o: 'soc', p: 'analyst' }, world.admin)).toBe('BAD_USER_INPUT');
    expect(await gql().code(CREATE_USER, { login: 'portal-only@example.test', org: 'partner', profile: 'analyst' }, world.admin)).toBe('CONFLICT');
    const rows =
      await server.sql(`SELECT o.name, p.name AS profile FROM membership m JOIN app_user u ON u.id = m.user_id JOIN organisation o ON o.id = m.organisation_id
      JOIN profile p ON p.id = m.profile_id WHERE u.login = 'portal-only@example.test'`);
    expect(rows).toEqual([{ name: 'soc', profile: 'external-actor' }]);
    // Its one membership can still change profile, within external profiles.
    await gql().ok(SET, { l: 'portal-only@example.test', o: 'soc', p: 'external-reader' }, world.admin);
  });

  it('R11: createUser with an existing login joins it to the organisation; the account and its password stay as they were', async () => {
    await newUser('rejoin@partner.test', 'partner', 'analyst');
    const res = await gql().ok(
      CREATE_USER,
      { login: 'rejoin@partner.test', org: 'stranger', profile: 'read-only', password: 'another-password-1' },
      world.admin,
    );
    expect(res.createUser.memberships).toEqual([
      { organisation: { name: 'partner' }, profile: { name: 'analyst' } },
      { organisation: { name: 'stranger' }, profile: { name: 'read-only' } },
    ]);
    await gql().login('rejoin@partner.test', PASSWORD);
    expect(await gql().code('mutation { login(login: "rejoin@partner.test", password: "another-password-1") { token } }')).toBe('UNAUTHENTICATED');
    const audit = await server.sql(
      `SELECT action, details FROM audit WHERE object_id = (SELECT id::text FROM app_user WHERE login = 'rejoin@partner.test') AND action NOT LIKE 'login.%' ORDER BY created_at, id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['user.create', 'membership.create']);
    expect(audit[1].details).toEqual({ login: 'rejoin@partner.test', organisation: 'stranger', profile: 'read-only' });
    // Outside admin the same holds for a login the organisation can see; an invisible one is just taken.
    expect(
      (await gql().ok(CREATE_USER, { login: 'rejoin@partner.test', org: 'soc', profile: 'analyst' }, world.soc['org-admin'])).createUser.memberships,
    ).toEqual(expect.arrayContaining([{ organisation: { name: 'soc' }, profile: { name: 'analyst' } }]));
    expect(await gql().code(CREATE_USER, { login: 'analyst@stranger.test', org: 'soc', profile: 'analyst' }, world.soc['org-admin'])).toBe('CONFLICT');
    expect(
      await server.sql(`SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id JOIN organisation o ON o.id = m.organisation_id
      WHERE u.login = 'analyst@stranger.test' AND o.name = 'soc'`),
    ).toEqual([]);
  });

  it('R11: unknown profile, malformed login and bad e-mail are refused and nothing is created', async () => {
    expect(await gql().code(CREATE_USER, { login: 'p@soc.test', org: 'soc', profile: 'no-such-profile' }, world.admin)).toBe('NOT_FOUND');
    expect(await gql().code(CREATE_USER, { login: 'bad login', org: 'soc', profile: 'analyst' }, world.admin)).toBe('BAD_USER_INPUT');
    expect(await gql().code(CREATE_USER, { login: 'ok@soc.test', org: 'soc', profile: 'analyst', password: 'short' }, world.admin)).toBe('BAD_USER_INPUT');
    expect(await gql().code(CREATE_USER, { login: 'ok@soc.test', org: 'soc', profile: 'external-reader' }, world.admin)).toBe('BAD_USER_INPUT');
    expect(await server.sql("SELECT 1 FROM app_user WHERE login IN ('p@soc.test', 'ok@soc.test')")).toHaveLength(0);
  });

  it('R11: locking blocks password, session and API key at once; unlocking restores; never oneself', async () => {
    const u = await newUser('lockme@soc.test');
    const key = (await gql().ok('mutation($l: String!) { createApiKey(login: $l) }', { l: u.login }, u)).createApiKey as string;
    expect((await gql().ok(ME, {}, { token: key })).me.login).toBe(u.login);
    const locked = await gql().ok(LOCK, { l: u.login, v: true }, world.soc['org-admin']);
    expect(locked.lockUser).toEqual({ login: u.login, locked: true });
    expect(await gql().code(ME, {}, u)).toBe('UNAUTHENTICATED');
    expect(await gql().code(ME, {}, { token: key })).toBe('UNAUTHENTICATED');
    expect(await gql().code('mutation { login(login: "lockme@soc.test", password: "fixture-password-1") { token } }')).toBe('UNAUTHENTICATED');
    await gql().ok(LOCK, { l: u.login, v: false }, world.soc['org-admin']);
    expect((await gql().ok(ME, {}, u)).me.login).toBe(u.login);
    expect(await gql().code(LOCK, { l: 'org-admin@soc.test', v: true }, world.soc['org-admin'])).toBe('BAD_USER_INPUT');
    expect(await gql().code(LOCK, { l: u.login, v: true }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await gql().code(LOCK, { l: u.login, v: true }, world.partner['org-admin'])).toBe('NOT_FOUND');
    expect((await gql().ok(ME, {}, u)).me.login).toBe(u.login);
  });

  it('R11: an org-admin cannot take over an account that also belongs to another organisation', async () => {
    const u = await newUser('shared-acct@soc.test', 'soc', 'analyst');
    await gql().ok(SET, { l: u.login, o: 'stranger', p: 'analyst' }, world.admin);
    expect(
      await gql().code('mutation($l: String!) { setPassword(login: $l, password: "taken-over-1") { login } }', { l: u.login }, world.soc['org-admin']),
    ).toBe('FORBIDDEN');
    expect(await gql().code('mutation($l: String!) { createApiKey(login: $l) }', { l: u.login }, world.soc['org-admin'])).toBe('FORBIDDEN');
    expect(await gql().code(LOCK, { l: u.login, v: true }, world.soc['org-admin'])).toBe('FORBIDDEN');
    // …the administrator can.
    await gql().ok('mutation($l: String!) { setPassword(login: $l, password: "admin-reset-1") { login } }', { l: u.login }, world.admin);
    await gql().login(u.login, 'admin-reset-1');
  });

  it("R11: setPassword: one's own, or a member's with manageUser; a reset by someone else ends their sessions", async () => {
    const u = await newUser('pw@soc.test');
    await gql().ok('mutation { setPassword(login: "pw@soc.test", password: "my-own-new-1") { login } }', {}, u);
    expect((await gql().ok(ME, {}, u)).me.login).toBe(u.login);
    expect(await gql().code('mutation { setPassword(login: "pw@soc.test", password: "analyst-set-1") { login } }', {}, world.soc.analyst)).toBe('FORBIDDEN');
    await gql().ok('mutation { setPassword(login: "pw@soc.test", password: "reset-by-admin-1") { login } }', {}, world.soc['org-admin']);
    expect(await gql().code(ME, {}, u)).toBe('UNAUTHENTICATED');
    await gql().login(u.login, 'reset-by-admin-1');
  });

  it('R11: removing or demoting the last member holding manageUser is CONFLICT; with a second manager it works', async () => {
    await gql().ok('mutation { createOrganisation(name: "lastmgr") { id } }', {}, world.admin);
    await gql().ok(CREATE_USER, { login: 'mgr1@lastmgr.test', org: 'lastmgr', profile: 'org-admin', password: PASSWORD }, world.admin);
    expect(await gql().code(REMOVE, { l: 'mgr1@lastmgr.test', o: 'lastmgr' }, world.admin)).toBe('CONFLICT');
    expect(await gql().code(SET, { l: 'mgr1@lastmgr.test', o: 'lastmgr', p: 'analyst' }, world.admin)).toBe('CONFLICT');
    const mgr1 = { token: await gql().login('mgr1@lastmgr.test', PASSWORD) };
    expect(await gql().code(REMOVE, { l: 'mgr1@lastmgr.test', o: 'lastmgr' }, mgr1)).toBe('CONFLICT');
    expect(
      await server.sql(
        `SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id JOIN profile p ON p.id = m.profile_id WHERE u.login = 'mgr1@lastmgr.test' AND p.name = 'org-admin'`,
      ),
    ).toHaveLength(1);
    await gql().ok(CREATE_USER, { login: 'mgr2@lastmgr.test', org: 'lastmgr', profile: 'org-admin' }, mgr1);
    expect((await gql().ok(SET, { l: 'mgr1@lastmgr.test', o: 'lastmgr', p: 'analyst' }, world.admin)).setMembership.login).toBe('mgr1@lastmgr.test');
    expect(await gql().code(REMOVE, { l: 'mgr2@lastmgr.test', o: 'lastmgr' }, world.admin)).toBe('CONFLICT');
  });

  it('R11: concurrent demotions of the two last managers leave one of them', async () => {
    await gql().ok('mutation { createOrganisation(name: "race-mgr") { id } }', {}, world.admin);
    for (const l of ['a@race.test', 'b@race.test']) {
      await gql().ok(CREATE_USER, { login: l, org: 'race-mgr', profile: 'org-admin' }, world.admin);
      await gql().ok(SET, { l, o: 'stranger', p: 'read-only' }, world.admin); // so that only R11's rule is at stake
    }
    const results = await Promise.all(['a@race.test', 'b@race.test'].map((l) => gql().request(REMOVE, { l, o: 'race-mgr' }, world.admin)));
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT').length).toBe(1);
    const left = await server.sql(`SELECT 1 FROM membership m JOIN organisation o ON o.id = m.organisation_id WHERE o.name = 'race-mgr'`);
    expect(left).toHaveLength(1);
  });

  it("R5: removing an account's last organisation is CONFLICT and changes nothing; with a second one it works", async () => {
    const memberships = async (login: string) =>
      (
        await server.sql(
          'SELECT o.name FROM membership m JOIN organisation o ON o.id = m.organisation_id JOIN app_user u ON u.id = m.user_id WHERE u.login = $1 ORDER BY o.name',
          [login],
        )
      ).map((r) => r.name as string);
    const audited = async (login: string) =>
      (await server.sql("SELECT count(*)::int AS n FROM audit WHERE action = 'membership.delete' AND details->>'login' = $1", [login]))[0].n;
    await newUser('only@soc.test', 'soc', 'analyst');
    expect(await gql().code(REMOVE, { l: 'only@soc.test', o: 'soc' }, world.soc['org-admin'])).toBe('CONFLICT');
    expect(await gql().code(REMOVE, { l: 'only@soc.test', o: 'soc' }, world.admin)).toBe('CONFLICT');
    expect(await memberships('only@soc.test')).toEqual(['soc']);
    expect(await audited('only@soc.test')).toBe(0);
    await gql().ok(SET, { l: 'only@soc.test', o: 'stranger', p: 'read-only' }, world.admin);
    expect((await gql().ok(REMOVE, { l: 'only@soc.test', o: 'soc' }, world.soc['org-admin'])).removeMembership).toBe(true);
    expect(await memberships('only@soc.test')).toEqual(['stranger']);
    expect(await audited('only@soc.test')).toBe(1);
    // External accounts belong to exactly one organisation (R21): never removable.
    await insertExternalUser(server, 'soc', 'ext.only@example.test');
    expect(await gql().code(REMOVE, { l: 'ext.only@example.test', o: 'soc' }, world.soc['org-admin'])).toBe('CONFLICT');
    expect(await memberships('ext.only@example.test')).toEqual(['soc']);
  });

  it("R5: concurrent removals of an account's last two memberships leave one", async () => {
    await newUser('two@race.test', 'soc', 'analyst');
    await gql().ok(SET, { l: 'two@race.test', o: 'stranger', p: 'analyst' }, world.admin);
    const results = await Promise.all(['soc', 'stranger'].map((o) => gql().request(REMOVE, { l: 'two@race.test', o }, world.admin)));
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT').length).toBe(1);
    expect(await server.sql("SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.login = 'two@race.test'")).toHaveLength(1);
  });

  it('R11/R3: user visibility: own members and members of linked organisations; admin sees all', async () => {
    expect((await gql().ok('{ user(login: "analyst@partner.test") { login } }', {}, world.soc.analyst)).user).toEqual({ login: 'analyst@partner.test' });
    expect((await gql().ok('{ user(login: "analyst@soc.test") { login } }', {}, world.partner.analyst)).user).toBeNull();
    expect((await gql().ok('{ user(login: "analyst@soc.test") { login } }', {}, world.stranger.analyst)).user).toBeNull();
    expect((await gql().ok('{ user(login: "analyst@stranger.test") { login } }', {}, world.admin)).user).toEqual({ login: 'analyst@stranger.test' });
  });

  it('R11: memberships shown are limited to organisations the caller can see', async () => {
    await newUser('spread@soc.test', 'soc', 'analyst');
    await gql().ok(SET, { l: 'spread@soc.test', o: 'stranger', p: 'read-only' }, world.admin);
    const seen = await gql().ok('{ user(login: "spread@soc.test") { memberships { organisation { name } } } }', {}, world.soc.analyst);
    expect(seen.user.memberships).toEqual([{ organisation: { name: 'soc' } }]);
  });

  it('R28: user writes are audited with secrets hidden', async () => {
    await newUser('audit-me@soc.test');
    const rows = await server.sql(
      `SELECT action, details FROM audit WHERE object_id = (SELECT id::text FROM app_user WHERE login = 'audit-me@soc.test') AND action = 'user.create'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].details.password).toBe('<hidden>');
    const all = JSON.stringify(await server.sql('SELECT details FROM audit'));
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('hk_');
    expect(all).not.toContain('hs_');
  });
});
