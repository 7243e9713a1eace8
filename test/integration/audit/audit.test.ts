import type { Persona } from '../../fixtures/world';
import { PASSWORD } from '../../fixtures/world';
import { createCaseAs, createObservableAs, createTaskAs, shareCaseAs } from '../../fixtures/cases';
import { subscribe } from '../../support/ws-client';
import { useWorld } from '../../support/use-world';

/** R28 (every write audited in its transaction) and R29 (who sees which entries). */
const { server, world } = useWorld();
let ally: Persona;

const HISTORY = `query($id: ID!) { caseHistory(caseId: $id) { id action objectType objectId actor { login } organisation { name } viaPortal details createdAt } }`;
const AUDIT = `query($first: Int, $after: String, $filter: AuditFilter) { audit(first: $first, after: $after, filter: $filter) {
  totalCount edges { cursor node { id action objectType objectId actor { login } organisation { name } details createdAt } } pageInfo { hasNextPage endCursor } } }`;

beforeAll(async () => {
  const c = server.client;
  await c.ok('mutation { createOrganisation(name: "ally", description: "fixture") { id } }', {}, world.admin);
  await c.ok('mutation { linkOrganisations(from: "soc", to: "ally") { id } }', {}, world.admin);
  await c.ok(
    `mutation { createUser(login: "analyst@ally.test", name: "ally analyst", organisation: "ally", profile: "analyst", password: "${PASSWORD}") { id } }`,
    {},
    world.admin,
  );
  ally = { login: 'analyst@ally.test', token: await c.login('analyst@ally.test', PASSWORD), organisation: 'ally', profile: 'analyst' };
});

const ok = (q: string, v: Record<string, unknown>, a: Persona) => server.client.ok(q, v, a);
const code = (q: string, v: Record<string, unknown>, a: Persona) => server.client.code(q, v, a);
const history = async (id: string, a: Persona) => (await ok(HISTORY, { id }, a)).caseHistory as Array<Record<string, any>>;
const entriesOf = (caseId: string) =>
  server.sql<{ action: string; object_type: string; details: Record<string, unknown> }>(
    'SELECT action, object_type, details FROM audit WHERE case_id = $1 ORDER BY created_at, id',
    [caseId],
  );

describe('R28: every write is audited once, in its transaction', () => {
  it('R28: each case, share, task and observable write leaves one entry with its changes', async () => {
    const c = server.client;
    const analyst = world.soc.analyst;
    const ih = world.soc['incident-handler'];
    const k = await createCaseAs(c, analyst, { title: 'audited', severity: 2 });
    await ok('mutation($id: ID!) { updateCase(id: $id, input: { title: "audited!", severity: 2 }) { id } }', { id: k.id }, analyst);
    const t = await createTaskAs(c, analyst, k.id, 'task');
    await ok('mutation($id: ID!) { updateTask(id: $id, input: { status: IN_PROGRESS }) { id } }', { id: t }, analyst);
    const o = await createObservableAs(c, analyst, k.id);
    await ok('mutation($id: ID!) { updateObservable(id: $id, input: { ioc: true }) { id } }', { id: o }, analyst);
    await shareCaseAs(c, ih, k.id, 'partner', 'read-only');
    await ok('mutation($id: ID!) { updateShare(caseId: $id, organisation: "partner", profile: "analyst") { id } }', { id: k.id }, ih);
    await ok('mutation($id: ID!) { shareTask(taskId: $id, organisation: "partner") { id } }', { id: t }, ih);
    await ok('mutation($id: ID!) { unshareTask(taskId: $id, organisation: "partner") }', { id: t }, ih);
    await ok('mutation($id: ID!) { shareObservable(observableId: $id, organisation: "partner") { id } }', { id: o }, ih);
    await ok('mutation($id: ID!) { unshareObservable(observableId: $id, organisation: "partner") }', { id: o }, ih);
    await ok('mutation($id: ID!, $l: String) { assignCase(id: $id, login: $l) { id } }', { id: k.id, l: analyst.login }, analyst);
    await ok('mutation($id: ID!) { unshareCase(caseId: $id, organisation: "partner") }', { id: k.id }, ih);
    await ok('mutation($id: ID!) { deleteTask(id: $id) }', { id: t }, analyst);
    await ok('mutation($id: ID!) { deleteObservable(id: $id) }', { id: o }, analyst);
    await ok('mutation($id: ID!) { deleteCase(id: $id) }', { id: k.id }, analyst);

    const entries = await entriesOf(k.id);
    expect(entries.map((e) => e.action)).toEqual([
      'case.create',
      'case.update',
      'task.create',
      'task.update',
      'observable.create',
      'observable.update',
      'share.create',
      'share.update',
      'task.share',
      'task.unshare',
      'observable.share',
      'observable.unshare',
      'case.assign',
      'share.delete',
      'task.delete',
      'observable.delete',
      'case.delete',
    ]);
    // Details carry the changed fields only (severity was given but did not change).
    expect(entries[1].details).toEqual({ title: { from: 'audited', to: 'audited!' } });
    expect(entries[3].details).toEqual({ status: { from: 'WAITING', to: 'IN_PROGRESS' } });
    expect(entries[5].details).toEqual({ ioc: { from: false, to: true } });
    expect(entries[7].details).toMatchObject({ organisation: 'partner', profile: { from: 'read-only', to: 'analyst' } });
    expect(entries[12].details).toEqual({ assignee: { from: null, to: analyst.login } });
    const [row] = await server.sql(
      `SELECT a.via_portal, u.login, o.name FROM audit a JOIN app_user u ON u.id = a.actor_id JOIN organisation o ON o.id = a.organisation_id
      WHERE a.case_id = $1 AND a.action = 'share.create'`,
      [k.id],
    );
    expect(row).toEqual({ via_portal: false, login: ih.login, name: 'soc' });
  });

  it('R28: a refused or failed write leaves no entry; a write that changes nothing leaves none either', async () => {
    const c = server.client;
    const k = await createCaseAs(c, world.soc.analyst, { title: 'quiet' });
    await shareCaseAs(c, world.soc['incident-handler'], k.id, 'partner', 'read-only');
    const before = (await entriesOf(k.id)).length;
    expect(await code('mutation($id: ID!) { updateCase(id: $id, input: { title: "x" }) { id } }', { id: k.id }, world.partner.analyst)).toBe('FORBIDDEN');
    expect(await code('mutation($id: ID!) { updateCase(id: $id, input: { severity: 7 }) { id } }', { id: k.id }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    expect(
      await code(
        'mutation($id: ID!) { shareCase(caseId: $id, organisation: "partner", profile: "analyst") { id } }',
        { id: k.id },
        world.soc['incident-handler'],
      ),
    ).toBe('CONFLICT');
    expect(await code('mutation($id: ID!) { deleteCase(id: $id) }', { id: k.id }, world.partner['org-admin'])).toBe('FORBIDDEN');
    await ok('mutation($id: ID!) { updateCase(id: $id, input: { title: "quiet" }) { id } }', { id: k.id }, world.soc.analyst);
    expect((await entriesOf(k.id)).length).toBe(before);
  });
});

describe('R29: caseHistory', () => {
  it('R29: the owner sees every entry of its case and its elements, oldest first', async () => {
    const c = server.client;
    const k = await createCaseAs(c, world.soc.analyst, { title: 'history' });
    const t = await createTaskAs(c, world.soc.analyst, k.id);
    await shareCaseAs(c, world.soc['incident-handler'], k.id, 'partner', 'read-only');
    const entries = await history(k.id, world.soc['read-only']);
    expect(entries.map((e) => e.action)).toEqual(['case.create', 'task.create', 'share.create']);
    expect(entries[1]).toMatchObject({
      objectType: 'Task',
      objectId: t,
      actor: { login: world.soc.analyst.login },
      organisation: { name: 'soc' },
      viaPortal: false,
    });
    expect(Date.parse(entries[0].createdAt)).toBeLessThanOrEqual(Date.parse(entries[2].createdAt));
  });

  it('R29: another organisation sees the case entries, its own share, and only the tasks shared with it', async () => {
    const c = server.client;
    const k = await createCaseAs(c, world.soc.analyst, { title: 'partial history' });
    const hidden = await createTaskAs(c, world.soc.analyst, k.id);
    const shown = await createTaskAs(c, world.soc.analyst, k.id);
    const obs = await createObservableAs(c, world.soc.analyst, k.id);
    await shareCaseAs(c, world.soc['incident-handler'], k.id, 'partner', 'read-only', 'MANUAL', 'MANUAL');
    await shareCaseAs(c, world.soc['incident-handler'], k.id, 'ally', 'read-only');
    await ok('mutation($id: ID!) { updateCase(id: $id, input: { severity: 3 }) { id } }', { id: k.id }, world.soc.analyst);
    await ok('mutation($id: ID!) { updateTask(id: $id, input: { title: "secret" }) { id } }', { id: hidden }, world.soc.analyst);
    await ok('mutation($id: ID!) { shareTask(taskId: $id, organisation: "partner") { id } }', { id: shown }, world.soc['incident-handler']);

    const partner = await history(k.id, world.partner.analyst);
    expect(partner.map((e) => `${e.action}:${e.objectId === shown ? 'shown' : e.objectType}`)).toEqual([
      'case.create:Case',
      'task.create:shown',
      'share.create:Share',
      'case.update:Case',
      'task.share:shown',
    ]);
    expect(partner.some((e) => e.objectId === hidden || e.objectId === obs)).toBe(false);
    // soc sees ally's share entry; partner does not see it (it cannot see ally), ally sees it (its own).
    expect((await history(k.id, world.soc.analyst)).filter((e) => e.action === 'share.create')).toHaveLength(2);
    expect((await history(k.id, ally)).filter((e) => e.action === 'share.create').map((e) => e.details.organisation)).toEqual(['ally']);
  });

  it('R29: entries of a deleted task stay visible to the owner organisation only', async () => {
    const c = server.client;
    const k = await createCaseAs(c, world.soc.analyst);
    await shareCaseAs(c, world.soc['incident-handler'], k.id, 'partner', 'analyst', 'ALL', 'ALL');
    const t = await createTaskAs(c, world.partner.analyst, k.id);
    expect((await history(k.id, world.partner.analyst)).filter((e) => e.objectId === t)).toHaveLength(1);
    await ok('mutation($id: ID!) { deleteTask(id: $id) }', { id: t }, world.partner.analyst);
    expect((await history(k.id, world.soc.analyst)).filter((e) => e.objectId === t).map((e) => e.action)).toEqual(['task.create', 'task.delete']);
    expect((await history(k.id, world.partner.analyst)).filter((e) => e.objectId === t)).toEqual([]);
  });

  it('R29: a case the organisation cannot see has no history for it', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    expect(await history(k.id, world.partner.analyst)).toEqual([]);
    expect(await history(k.id, world.stranger['org-admin'])).toEqual([]);
    expect(await history(k.id, world.admin)).toEqual([]);
    expect(await history('not-a-uuid', world.soc.analyst)).toEqual([]);
    expect((await history(k.id, world.soc.analyst)).length).toBe(1);
    // Once unshared, partner loses the history too.
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'read-only');
    expect((await history(k.id, world.partner.analyst)).length).toBe(2);
    await ok('mutation($id: ID!) { unshareCase(caseId: $id, organisation: "partner") }', { id: k.id }, world.soc['incident-handler']);
    expect(await history(k.id, world.partner.analyst)).toEqual([]);
  });
});

describe('R29: the audit connection', () => {
  const all = async (a: Persona, filter: Record<string, unknown> = {}) => {
    const out: Array<Record<string, any>> = [];
    let after: string | null = null;
    for (;;) {
      const data: any = await ok(AUDIT, { first: 200, after, filter }, a);
      out.push(...data.audit.edges.map((e: any) => e.node));
      if (!data.audit.pageInfo.hasNextPage) return out;
      after = data.audit.pageInfo.endCursor;
    }
  };

  it('R29: newest first, keyset pages without gaps or repeats, totalCount of the whole set', async () => {
    const k = await createCaseAs(server.client, world.stranger.analyst);
    for (let i = 0; i < 4; i++) await createTaskAs(server.client, world.stranger.analyst, k.id);
    const everything = await all(world.stranger.analyst);
    // Ids are random (R29): the order is the entries' time, newest first.
    const times = everything.map((e) => Date.parse(e.createdAt));
    expect(times.length).toBeGreaterThan(5);
    expect(times).toEqual([...times].sort((x, y) => y - x));
    const pages: string[] = [];
    let after: string | null = null;
    let total: number;
    for (;;) {
      const data: any = await ok(AUDIT, { first: 2, after }, world.stranger.analyst);
      total = data.audit.totalCount;
      pages.push(...data.audit.edges.map((e: any) => e.node.id));
      if (!data.audit.pageInfo.hasNextPage) break;
      after = data.audit.pageInfo.endCursor;
    }
    expect(pages).toEqual(everything.map((e) => e.id));
    expect(total).toBe(everything.length);
    expect(await code(AUDIT, { first: 1000 }, world.stranger.analyst)).toBe('BAD_USER_INPUT');
    expect(await code(AUDIT, { after: 'garbage' }, world.stranger.analyst)).toBe('BAD_USER_INPUT');
  });

  it('R29: case entries only for visible cases and elements; other organisations see none of them', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst, { title: 'connection' });
    const t = await createTaskAs(server.client, world.soc.analyst, k.id);
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'read-only');
    const partner = await all(world.partner['org-admin'], { objectId: t });
    expect(partner).toEqual([]);
    const socEntries = await all(world.soc.analyst, { objectId: t });
    expect(socEntries.map((e) => e.action)).toEqual(['task.create']);
    expect((await all(world.partner.analyst, { objectId: k.id })).map((e) => e.action)).toEqual(['case.create']);
    expect(await all(world.stranger['org-admin'], { objectId: k.id })).toEqual([]);
    expect(await all(world.admin, { objectId: k.id })).toEqual([]);
  });

  it("R29: a deleted case's entries stay visible to its former owner only; caseHistory treats it as absent", async () => {
    const k = await createCaseAs(server.client, world.soc.analyst, { title: 'gone' });
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'analyst');
    await ok('mutation($id: ID!) { deleteCase(id: $id) }', { id: k.id }, world.soc.analyst);
    expect((await all(world.soc['read-only'], { objectId: k.id })).map((e) => e.action)).toEqual(['case.delete', 'case.create']);
    expect(await all(world.partner.analyst, { objectId: k.id })).toEqual([]);
    expect(await history(k.id, world.soc.analyst)).toEqual([]);
  });

  it('R29: entries about the active organisation itself are visible to its members', async () => {
    const socOrgEntries = await all(world.soc['read-only'], { objectType: 'Organisation' });
    expect(socOrgEntries.map((e) => e.action).sort()).toEqual(['organisation.create', 'organisation.link', 'organisation.link']);
    expect(socOrgEntries.every((e) => e.objectId === socOrgEntries[0].objectId)).toBe(true);
    const partnerOrgEntries = await all(world.partner['read-only'], { objectType: 'Organisation' });
    expect(partnerOrgEntries.map((e) => e.action)).toEqual(['organisation.create']);
  });

  it('R29 R11: user, login and profile entries only for holders of manageUser, and only about their members', async () => {
    await ok('mutation { createProfile(name: "auditor", permissions: []) { id } }', {}, world.admin);
    await server.client.login(world.soc.analyst.login, PASSWORD);
    const socAdmin = await all(world.soc['org-admin'], { objectType: 'User' });
    const logins = new Set(socAdmin.map((e) => e.details.login));
    expect(logins.has(world.soc.analyst.login)).toBe(true);
    expect([...logins].every((l) => typeof l === 'string' && l.endsWith('@soc.test'))).toBe(true);
    expect(socAdmin.some((e) => e.action === 'user.create')).toBe(true);
    expect(socAdmin.some((e) => e.action === 'login.success' && e.details.login === world.soc.analyst.login)).toBe(true);
    expect((await all(world.soc['org-admin'], { objectType: 'Profile' })).map((e) => e.details.name)).toContain('auditor');
    // Without manageUser: nothing about users or profiles.
    expect(await all(world.soc.analyst, { objectType: 'User' })).toEqual([]);
    expect(await all(world.soc['incident-handler'], { objectType: 'Profile' })).toEqual([]);
    // Another organisation's manager sees its own members only.
    const partnerAdmin = await all(world.partner['org-admin'], { objectType: 'User' });
    expect(partnerAdmin.length).toBeGreaterThan(0);
    expect(partnerAdmin.every((e) => String(e.details.login).endsWith('@partner.test'))).toBe(true);
  });

  it('R29: in admin, manageUser reaches every user, login, profile and organisation entry, never a case entry', async () => {
    const admin = await all(world.admin);
    const types = new Set(admin.map((e) => e.objectType));
    expect([...types].every((t) => ['User', 'Profile', 'Organisation'].includes(t))).toBe(true);
    const logins = new Set(admin.filter((e) => e.objectType === 'User').map((e) => e.details.login));
    for (const org of ['soc', 'partner', 'stranger']) expect(logins.has(`analyst@${org}.test`)).toBe(true);
    expect(admin.filter((e) => e.objectType === 'Organisation').length).toBeGreaterThanOrEqual(4);
  });

  describe('failed logins', () => {
    const LOGIN = 'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }';
    const failuresFor = async (a: Persona, login: string) => (await all(a, { action: 'login.failure' })).filter((e) => e.details.login === login);
    /** A member of admin with the given profile (org-admin holds manageUser, read-only does not). */
    const adminMember = async (profile: string): Promise<Persona> => {
      const login = `${profile}@admin.test`;
      await ok(
        `mutation($l: String!, $p: String!) { createUser(login: $l, name: "admin member", organisation: "admin", profile: $p, password: "${PASSWORD}") { id } }`,
        { l: login, p: profile },
        world.admin,
      );
      return { login, token: await server.client.login(login, PASSWORD), organisation: 'admin', profile };
    };
    let adminManager: Persona;
    let adminReader: Persona;
    beforeAll(async () => {
      adminManager = await adminMember('org-admin');
      adminReader = await adminMember('read-only');
    });

    it('R28 R29: a failed login of an unknown login is shown in admin only, to holders of manageUser, by the hidden user, without the password', async () => {
      const ghost = 'ghost@nowhere.test';
      const secret = 'ghost-secret-password';
      expect(await server.client.code(LOGIN, { l: ghost, p: secret })).toBe('UNAUTHENTICATED');
      // Stored as it happened: no account, no organisation.
      expect(await server.sql(`SELECT actor_id, organisation_id FROM audit WHERE action = 'login.failure' AND details->>'login' = $1`, [ghost])).toEqual([
        { actor_id: null, organisation_id: null },
      ]);
      for (const who of [world.admin, adminManager]) {
        const seen = await failuresFor(who, ghost);
        expect(seen).toEqual([
          {
            id: expect.any(String),
            action: 'login.failure',
            objectType: 'User',
            objectId: null,
            actor: { login: 'hidden' },
            organisation: { name: 'admin' },
            details: { login: ghost, endpoint: 'internal', reason: 'bad-credentials' },
            createdAt: expect.any(String),
          },
        ]);
      }
      for (const who of [adminReader, world.soc['org-admin'], world.soc.analyst, world.partner['org-admin'], world.stranger['org-admin']]) {
        expect(await failuresFor(who, ghost)).toEqual([]);
      }
      // totalCount counts what the list shows.
      const counted = async (who: Persona) => (await ok(AUDIT, { first: 1, filter: { action: 'login.failure', objectType: 'User' } }, who)).audit.totalCount;
      expect(await counted(world.admin)).toBe((await all(world.admin, { action: 'login.failure', objectType: 'User' })).length);
      expect(await server.sql('SELECT 1 FROM audit WHERE details::text LIKE $1', [`%${secret}%`])).toHaveLength(0);
    });

    it('R28 R29: a failed login of a known login is shown to the managers of its organisation and of admin, not to other organisations', async () => {
      const login = 'failing@partner.test';
      await ok(
        `mutation { createUser(login: "${login}", name: "failing", organisation: "partner", profile: "analyst", password: "${PASSWORD}") { id } }`,
        {},
        world.admin,
      );
      expect(await server.client.code(LOGIN, { l: login, p: 'wrong-password-9' })).toBe('UNAUTHENTICATED');
      const expected = [
        expect.objectContaining({
          action: 'login.failure',
          objectType: 'User',
          actor: { login },
          organisation: { name: 'partner' },
          details: { login, endpoint: 'internal', reason: 'bad-credentials' },
        }),
      ];
      for (const who of [world.admin, adminManager, world.partner['org-admin']]) {
        expect(await failuresFor(who, login)).toEqual(expected);
        expect(await all(who, { action: 'login.failure', actor: login })).toEqual(expected);
      }
      // soc links to partner and sees its users, but their logins are partner's business.
      for (const who of [adminReader, world.partner.analyst, world.soc['org-admin'], world.stranger['org-admin']]) {
        expect(await failuresFor(who, login)).toEqual([]);
      }
      expect(JSON.stringify(await failuresFor(world.admin, login))).not.toContain('wrong-password-9');
    });

    it('R30: the live feed follows the same rule for a failed login of an unknown login', async () => {
      const FEED = 'subscription { liveFeed { action actor { login } organisation { name } details } }';
      const feeds = await Promise.all(
        [world.admin, world.soc['org-admin'], world.soc.analyst].map((who) => subscribe<{ liveFeed: Record<string, any> }>(server.url, FEED, who)),
      );
      const [adminFeed, socManagerFeed, socAnalystFeed] = feeds;
      try {
        expect(await server.client.code(LOGIN, { l: 'phantom@nowhere.test', p: 'phantom-password' })).toBe('UNAUTHENTICATED');
        // A later entry soc's manager does see: once it arrived, the failure was passed over (commit order).
        await ok(
          'mutation { createUser(login: "after-phantom@soc.test", name: "x", organisation: "soc", profile: "read-only") { id } }',
          {},
          world.soc['org-admin'],
        );
        const [failure, created] = await adminFeed.waitFor(2);
        expect(failure.liveFeed).toEqual({
          action: 'login.failure',
          actor: { login: 'hidden' },
          organisation: { name: 'admin' },
          details: { login: 'phantom@nowhere.test', endpoint: 'internal', reason: 'bad-credentials' },
        });
        expect(created.liveFeed.action).toBe('user.create');
        expect((await socManagerFeed.waitFor(1)).map((e) => e.liveFeed.action)).toEqual(['user.create']);
        await new Promise((r) => setTimeout(r, 200));
        expect(socManagerFeed.received).toHaveLength(1);
        expect(socAnalystFeed.received).toEqual([]);
      } finally {
        await Promise.all(feeds.map((f) => f.close()));
      }
    });
  });

  it('R29: filters by action and actor login', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst, { title: 'filtered' });
    await ok('mutation($id: ID!) { updateCase(id: $id, input: { title: "filtered!" }) { id } }', { id: k.id }, world.soc['org-admin']);
    const byActor = await all(world.soc.analyst, { actor: world.soc['org-admin'].login.toUpperCase(), objectId: k.id });
    expect(byActor.map((e) => e.action)).toEqual(['case.update']);
    expect((await all(world.soc.analyst, { action: 'case.create', objectId: k.id })).map((e) => e.actor.login)).toEqual([world.soc.analyst.login]);
  });
});
