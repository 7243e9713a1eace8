import type { Persona } from '../../fixtures/world';
import { PASSWORD } from '../../fixtures/world';
import { buildCases, Cases, createCaseAs, createObservableAs, createTaskAs, SHARE_CASE, shareCaseAs } from '../../fixtures/cases';
import { useWorld } from '../../support/use-world';

/**
 * R13–R18: shares between organisations, their profiles and rules. Besides the world, this file
 * adds `ally` (linked from soc, like partner) so that three organisations can hold one case.
 */
const { server, world } = useWorld();
let cases: Cases;
let ally: Persona;

const CASE = `query($id: ID!) { case(id: $id) { id title myPermissions tasks { id } observables { id }
  shares { organisation { name } profile { name } owner tasks observables } } }`;
const TASK = `query($id: ID!) { task(id: $id) { id title sharedWith { name } case { id } } }`;
const OBSERVABLE = `query($id: ID!) { observable(id: $id) { id sharedWith { name } } }`;
const UPDATE_CASE = `mutation($id: ID!, $title: String) { updateCase(id: $id, input: { title: $title }) { id title } }`;
const UPDATE_TASK = `mutation($id: ID!, $title: String) { updateTask(id: $id, input: { title: $title }) { id title } }`;
const UPDATE_SHARE = `mutation($caseId: ID!, $org: String!, $profile: String!) { updateShare(caseId: $caseId, organisation: $org, profile: $profile) { id profile { name } owner } }`;
const UNSHARE_CASE = `mutation($caseId: ID!, $org: String!) { unshareCase(caseId: $caseId, organisation: $org) }`;
const SHARE_TASK = `mutation($id: ID!, $org: String!) { shareTask(taskId: $id, organisation: $org) { id sharedWith { name } } }`;
const UNSHARE_TASK = `mutation($id: ID!, $org: String!) { unshareTask(taskId: $id, organisation: $org) }`;
const SHARE_OBSERVABLE = `mutation($id: ID!, $org: String!) { shareObservable(observableId: $id, organisation: $org) { id sharedWith { name } } }`;
const UNSHARE_OBSERVABLE = `mutation($id: ID!, $org: String!) { unshareObservable(observableId: $id, organisation: $org) }`;

beforeAll(async () => {
  cases = await buildCases(server, world);
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
const caseAs = async (id: string, a: Persona) => (await ok(CASE, { id }, a)).case;
const ids = (list: Array<{ id: string }>) => list.map((x) => x.id).sort();

describe('the scripted scenario', () => {
  it('R13 R15 R17 R18: read-only share with tasks MANUAL, then one task shared', async () => {
    const socAnalyst = world.soc.analyst;
    const partnerAnalyst = world.partner.analyst;
    const k = await createCaseAs(server.client, socAnalyst, { title: 'scenario' });
    const t1 = await createTaskAs(server.client, socAnalyst, k.id, 'first');
    const t2 = await createTaskAs(server.client, socAnalyst, k.id, 'second');
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'read-only', 'MANUAL');

    // Partner's analyst reads the case but no task.
    const seen = await caseAs(k.id, partnerAnalyst);
    expect(seen.title).toBe('scenario');
    expect(seen.tasks).toEqual([]);
    expect((await ok(TASK, { id: t1 }, partnerAnalyst)).task).toBeNull();
    // Visible but not permitted → FORBIDDEN; a case not shared with partner → NOT_FOUND.
    expect(await code(UPDATE_CASE, { id: k.id, title: 'x' }, partnerAnalyst)).toBe('FORBIDDEN');
    expect(await code(UPDATE_CASE, { id: cases.caseNotShared.id, title: 'x' }, partnerAnalyst)).toBe('NOT_FOUND');

    // SOC shares one task: partner now sees exactly that task.
    await ok(SHARE_TASK, { id: t1, org: 'partner' }, world.soc['incident-handler']);
    expect(ids((await caseAs(k.id, partnerAnalyst)).tasks)).toEqual([t1]);
    expect((await ok(TASK, { id: t1 }, partnerAnalyst)).task.id).toBe(t1);
    expect((await ok(TASK, { id: t2 }, partnerAnalyst)).task).toBeNull();

    // R15: partner's analyst has nothing on a read-only share; soc's analyst has their profile.
    expect(seen.myPermissions).toEqual([]);
    expect((await caseAs(k.id, socAnalyst)).myPermissions).toEqual([
      'manageCase',
      'manageObservable',
      'manageAlert',
      'manageTask',
      'manageAnalyse',
      'manageAction',
    ]);
    // R18: the shared task carries partner's read-only share profile.
    expect(await code(UPDATE_TASK, { id: t1, title: 'x' }, partnerAnalyst)).toBe('FORBIDDEN');
  });
});

describe('R14: sharing a case', () => {
  it('R14: needs manageShare on the case: an incident-handler of the owner shares, others are refused', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const vars = { caseId: k.id, org: 'partner', profile: 'analyst' };
    expect(await code(SHARE_CASE, vars, world.soc.analyst)).toBe('FORBIDDEN'); // no manageShare in profile
    expect(await code(SHARE_CASE, vars, world.soc['read-only'])).toBe('FORBIDDEN');
    expect(await code(SHARE_CASE, vars, world.stranger['incident-handler'])).toBe('NOT_FOUND'); // case invisible
    expect(await code(SHARE_CASE, vars, world.partner['incident-handler'])).toBe('NOT_FOUND');
    const data = await ok(SHARE_CASE, vars, world.soc['incident-handler']);
    expect(data.shareCase.id).toEqual(expect.any(String));
    expect((await caseAs(k.id, world.partner.analyst)).id).toBe(k.id);
  });

  it('R14 R15: the share profile caps what the receiving organisation may do, including sharing on', async () => {
    // partner holds a read-only share: its incident-handler has manageShare, the share does not.
    expect(
      await code(SHARE_CASE, { caseId: cases.caseSharedReadOnlyWithPartner.id, org: 'ally', profile: 'read-only' }, world.partner['incident-handler']),
    ).toBe('FORBIDDEN');
  });

  it('R14 R3: only with an organisation the active one links to; unknown or invisible organisations are absent', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const ih = world.soc['incident-handler'];
    expect(await code(SHARE_CASE, { caseId: k.id, org: 'stranger', profile: 'analyst' }, ih)).toBe('NOT_FOUND');
    expect(await code(SHARE_CASE, { caseId: k.id, org: 'no-such-org', profile: 'analyst' }, ih)).toBe('NOT_FOUND');
    expect(await code(SHARE_CASE, { caseId: k.id, org: 'soc', profile: 'analyst' }, ih)).toBe('BAD_USER_INPUT');
    expect((await server.sql('SELECT count(*)::int AS n FROM share WHERE case_id = $1', [k.id]))[0].n).toBe(1);
  });

  it('R14 R10: the share profile must be an existing internal profile', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const ih = world.soc['incident-handler'];
    expect(await code(SHARE_CASE, { caseId: k.id, org: 'partner', profile: 'external-reader' }, ih)).toBe('BAD_USER_INPUT');
    expect(await code(SHARE_CASE, { caseId: k.id, org: 'partner', profile: 'no-such-profile' }, ih)).toBe('NOT_FOUND');
  });

  it('R14: a case is shared at most once per organisation → CONFLICT', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const ih = world.soc['incident-handler'];
    await shareCaseAs(server.client, ih, k.id, 'partner', 'read-only');
    expect(await code(SHARE_CASE, { caseId: k.id, org: 'partner', profile: 'analyst' }, ih)).toBe('CONFLICT');
    expect(await code(SHARE_CASE, { caseId: k.id, org: 'PARTNER', profile: 'analyst' }, ih)).toBe('CONFLICT');
  });

  it('R14: 20 concurrent shareCase calls → exactly one share, 19 CONFLICT', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const ih = world.soc['incident-handler'];
    const results = await Promise.all(
      Array.from({ length: 20 }, () => server.client.request(SHARE_CASE, { caseId: k.id, org: 'partner', profile: 'analyst' }, ih)),
    );
    const codes = results.map((r) => (r.errors?.length ? r.errors[0].extensions?.code : 'OK'));
    expect(codes.filter((x) => x === 'OK')).toHaveLength(1);
    expect(codes.filter((x) => x === 'CONFLICT')).toHaveLength(19);
    const partnerShares = await server.sql(
      `SELECT count(*)::int AS n FROM share s JOIN organisation o ON o.id = s.organisation_id WHERE s.case_id = $1 AND o.name = 'partner'`,
      [k.id],
    );
    expect(partnerShares[0].n).toBe(1);
    const entries = await server.sql(`SELECT count(*)::int AS n FROM audit WHERE case_id = $1 AND action = 'share.create'`, [k.id]);
    expect(entries[0].n).toBe(1);
  });

  it('R14 R1: nobody in admin can share (case permissions are not effective there)', async () => {
    expect(await code(SHARE_CASE, { caseId: cases.caseNotShared.id, org: 'partner', profile: 'analyst' }, world.admin)).toBe('FORBIDDEN');
  });
});

describe('R17: share rules for tasks and observables', () => {
  it('R17: MANUAL shares no task or observable, now or later', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    await createTaskAs(server.client, world.soc.analyst, k.id);
    await createObservableAs(server.client, world.soc.analyst, k.id);
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'analyst', 'MANUAL', 'MANUAL');
    await createTaskAs(server.client, world.soc.analyst, k.id);
    await createObservableAs(server.client, world.soc.analyst, k.id);
    const seen = await caseAs(k.id, world.partner.analyst);
    expect(seen.tasks).toEqual([]);
    expect(seen.observables).toEqual([]);
    expect((await caseAs(k.id, world.soc.analyst)).tasks).toHaveLength(2);
  });

  it('R17: EXISTING shares what the sharing organisation sees now, not later ones', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const t1 = await createTaskAs(server.client, world.soc.analyst, k.id);
    const o1 = await createObservableAs(server.client, world.soc.analyst, k.id);
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'analyst', 'EXISTING', 'EXISTING');
    await createTaskAs(server.client, world.soc.analyst, k.id);
    await createObservableAs(server.client, world.soc.analyst, k.id);
    const seen = await caseAs(k.id, world.partner.analyst);
    expect(ids(seen.tasks)).toEqual([t1]);
    expect(ids(seen.observables)).toEqual([o1]);
  });

  it('R17: ALL shares existing ones and every one created later, by anyone', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const t1 = await createTaskAs(server.client, world.soc.analyst, k.id);
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'analyst', 'ALL', 'ALL');
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'ally', 'analyst', 'MANUAL', 'MANUAL');
    const t2 = await createTaskAs(server.client, world.soc.analyst, k.id);
    const o2 = await createObservableAs(server.client, world.soc.analyst, k.id);
    const seen = await caseAs(k.id, world.partner.analyst);
    expect(ids(seen.tasks)).toEqual([t1, t2].sort());
    expect(ids(seen.observables)).toEqual([o2]);
    expect((await caseAs(k.id, ally)).tasks).toEqual([]);
  });

  it("R17: a new task or observable goes to its creator's organisation and to ALL shares (the owner's), not to MANUAL ones", async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'analyst', 'MANUAL', 'MANUAL');
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'ally', 'analyst', 'MANUAL', 'MANUAL');
    const t = await createTaskAs(server.client, world.partner.analyst, k.id);
    const o = await createObservableAs(server.client, world.partner.analyst, k.id);
    expect(ids((await caseAs(k.id, world.partner.analyst)).tasks)).toEqual([t]);
    expect(ids((await caseAs(k.id, world.soc.analyst)).tasks)).toEqual([t]);
    expect(ids((await caseAs(k.id, world.soc.analyst)).observables)).toEqual([o]);
    expect((await caseAs(k.id, ally)).tasks).toEqual([]);
    expect((await caseAs(k.id, ally)).observables).toEqual([]);
  });

  it('R17: a task or observable not shared with an organisation is absent for it, whatever the profile', async () => {
    const t = cases.caseSharedReadOnlyWithPartner.taskIds[0];
    const o = cases.caseSharedReadOnlyWithPartner.observableIds[0];
    expect((await ok(TASK, { id: t }, world.partner.analyst)).task).toBeNull();
    expect((await ok(OBSERVABLE, { id: o }, world.partner.analyst)).observable).toBeNull();
    expect(await code(UPDATE_TASK, { id: t, title: 'x' }, world.partner['org-admin'])).toBe('NOT_FOUND');
    expect((await ok(TASK, { id: t }, world.soc['read-only'])).task.id).toBe(t);
  });

  it('R13: Case.shares lists the owner share and the shares of organisations the caller can see', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'read-only', 'MANUAL', 'ALL');
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'ally', 'analyst');
    const fromSoc = (await caseAs(k.id, world.soc.analyst)).shares;
    expect(fromSoc).toEqual([
      { organisation: { name: 'soc' }, profile: { name: 'all' }, owner: true, tasks: 'ALL', observables: 'ALL' },
      { organisation: { name: 'ally' }, profile: { name: 'analyst' }, owner: false, tasks: 'MANUAL', observables: 'MANUAL' },
      { organisation: { name: 'partner' }, profile: { name: 'read-only' }, owner: false, tasks: 'MANUAL', observables: 'ALL' },
    ]);
    // partner sees neither soc's other partners (ally) nor more than the owner share and its own.
    const fromPartner = (await caseAs(k.id, world.partner.analyst)).shares.map((s: { organisation: { name: string } }) => s.organisation.name);
    expect(fromPartner).toEqual(['soc', 'partner']);
  });
});

describe('R16: changing and removing shares', () => {
  it("R16: updateShare changes the receiving organisation's rights at once; others are refused", async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const ih = world.soc['incident-handler'];
    await shareCaseAs(server.client, ih, k.id, 'partner', 'read-only');
    expect(await code(UPDATE_CASE, { id: k.id, title: 'by partner' }, world.partner.analyst)).toBe('FORBIDDEN');
    expect(await code(UPDATE_SHARE, { caseId: k.id, org: 'partner', profile: 'analyst' }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await code(UPDATE_SHARE, { caseId: k.id, org: 'partner', profile: 'analyst' }, world.partner['incident-handler'])).toBe('FORBIDDEN');
    expect(await code(UPDATE_SHARE, { caseId: k.id, org: 'partner', profile: 'analyst' }, world.stranger['incident-handler'])).toBe('NOT_FOUND');
    const data = await ok(UPDATE_SHARE, { caseId: k.id, org: 'partner', profile: 'analyst' }, ih);
    expect(data.updateShare).toMatchObject({ profile: { name: 'analyst' }, owner: false });
    expect((await ok(UPDATE_CASE, { id: k.id, title: 'by partner' }, world.partner.analyst)).updateCase.title).toBe('by partner');
    expect(await code(UPDATE_SHARE, { caseId: k.id, org: 'partner', profile: 'external-actor' }, ih)).toBe('BAD_USER_INPUT');
    expect(await code(UPDATE_SHARE, { caseId: k.id, org: 'ally', profile: 'analyst' }, ih)).toBe('NOT_FOUND');
  });

  it("R16: never one's own organisation's share, never the owner share", async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'incident-handler');
    const partnerIh = world.partner['incident-handler'];
    // partner holds manageShare through its share, yet cannot touch its own share or the owner's.
    expect(await code(UPDATE_SHARE, { caseId: k.id, org: 'partner', profile: 'analyst' }, partnerIh)).toBe('BAD_USER_INPUT');
    expect(await code(UPDATE_SHARE, { caseId: k.id, org: 'soc', profile: 'analyst' }, partnerIh)).toBe('BAD_USER_INPUT');
    expect(await code(UNSHARE_CASE, { caseId: k.id, org: 'partner' }, partnerIh)).toBe('BAD_USER_INPUT');
    expect(await code(UNSHARE_CASE, { caseId: k.id, org: 'soc' }, partnerIh)).toBe('BAD_USER_INPUT');
    expect(await code(UNSHARE_CASE, { caseId: k.id, org: 'soc' }, world.soc['incident-handler'])).toBe('BAD_USER_INPUT');
    expect((await caseAs(k.id, world.partner.analyst)).id).toBe(k.id);
  });

  it('R16: unshareCase removes access to the case, its tasks and observables, and destroys nothing', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const socTask = await createTaskAs(server.client, world.soc.analyst, k.id);
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'analyst', 'ALL', 'ALL');
    const partnerTask = await createTaskAs(server.client, world.partner.analyst, k.id);
    const partnerObservable = await createObservableAs(server.client, world.partner.analyst, k.id);
    expect(await code(UNSHARE_CASE, { caseId: k.id, org: 'partner' }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await code(UNSHARE_CASE, { caseId: k.id, org: 'partner' }, world.partner.analyst)).toBe('FORBIDDEN');
    expect((await ok(UNSHARE_CASE, { caseId: k.id, org: 'partner' }, world.soc['incident-handler'])).unshareCase).toBe(true);

    expect((await ok(CASE, { id: k.id }, world.partner.analyst)).case).toBeNull();
    expect((await ok(TASK, { id: partnerTask }, world.partner.analyst)).task).toBeNull();
    expect((await ok(OBSERVABLE, { id: partnerObservable }, world.partner.analyst)).observable).toBeNull();
    const socView = await caseAs(k.id, world.soc.analyst);
    expect(ids(socView.tasks)).toEqual([socTask, partnerTask].sort());
    expect(ids(socView.observables)).toEqual([partnerObservable]);
    expect(await code(UNSHARE_CASE, { caseId: k.id, org: 'partner' }, world.soc['incident-handler'])).toBe('NOT_FOUND');
  });

  it('R16: items only the removed organisation held pass to the owner share', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'analyst', 'ALL', 'ALL');
    const t = await createTaskAs(server.client, world.partner.analyst, k.id);
    // Simulate an item held by partner alone (the API never lets the owner share lose one).
    await server.sql(`DELETE FROM task_share ts USING share s WHERE s.id = ts.share_id AND s.owner AND ts.task_id = $1`, [t]);
    expect((await ok(TASK, { id: t }, world.soc.analyst)).task).toBeNull();
    await ok(UNSHARE_CASE, { caseId: k.id, org: 'partner' }, world.soc['incident-handler']);
    expect((await ok(TASK, { id: t }, world.soc.analyst)).task.id).toBe(t);
  });
});

describe('R18: sharing tasks and observables one by one', () => {
  it('R18: only with an organisation the case is already shared with', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const t = await createTaskAs(server.client, world.soc.analyst, k.id);
    const o = await createObservableAs(server.client, world.soc.analyst, k.id);
    const ih = world.soc['incident-handler'];
    expect(await code(SHARE_TASK, { id: t, org: 'ally' }, ih)).toBe('BAD_USER_INPUT');
    expect(await code(SHARE_OBSERVABLE, { id: o, org: 'ally' }, ih)).toBe('BAD_USER_INPUT');
    await shareCaseAs(server.client, ih, k.id, 'ally', 'analyst');
    expect((await ok(SHARE_TASK, { id: t, org: 'ally' }, ih)).shareTask.sharedWith).toEqual([{ name: 'ally' }, { name: 'soc' }]);
    expect((await ok(SHARE_OBSERVABLE, { id: o, org: 'ally' }, ih)).shareObservable.sharedWith).toEqual([{ name: 'ally' }, { name: 'soc' }]);
    expect(ids((await caseAs(k.id, ally)).tasks)).toEqual([t]);
    expect(ids((await caseAs(k.id, ally)).observables)).toEqual([o]);
  });

  it('R18 R3: any organisation the case is not shared with gets one BAD_USER_INPUT, whatever the reason', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const t = await createTaskAs(server.client, world.soc.analyst, k.id);
    const o = await createObservableAs(server.client, world.soc.analyst, k.id);
    const ih = world.soc['incident-handler'];
    // partner gets manageShare on the case; ally holds a share too, but partner cannot see ally (R3).
    await shareCaseAs(server.client, ih, k.id, 'partner', 'incident-handler', 'ALL', 'ALL');
    await shareCaseAs(server.client, ih, k.id, 'ally', 'analyst');
    const refusal = async (query: string, id: string, org: string, actor: Persona) => {
      const res = await server.client.request(query, { id, org }, actor);
      return { code: res.errors?.[0]?.extensions?.code, message: res.errors?.[0]?.message?.replace(org, '<org>') };
    };
    for (const [query, id] of [
      [SHARE_TASK, t],
      [SHARE_OBSERVABLE, o],
      [UNSHARE_TASK, t],
      [UNSHARE_OBSERVABLE, o],
    ]) {
      // soc: an unknown name, an unlinked organisation; partner: also one that holds a share it cannot see.
      const answers = [
        await refusal(query, id, 'nowhere', ih),
        await refusal(query, id, 'stranger', ih),
        await refusal(query, id, 'nowhere', world.partner['incident-handler']),
        await refusal(query, id, 'stranger', world.partner['incident-handler']),
        await refusal(query, id, 'ally', world.partner['incident-handler']),
      ];
      for (const answer of answers) expect(answer).toEqual({ code: 'BAD_USER_INPUT', message: answers[0].message });
    }
    // The same names from an actor who may not share, or about an invisible item, say nothing about them.
    expect(await code(SHARE_TASK, { id: t, org: 'nowhere' }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await code(UNSHARE_OBSERVABLE, { id: o, org: 'stranger' }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await code(SHARE_TASK, { id: t, org: 'nowhere' }, world.stranger['incident-handler'])).toBe('NOT_FOUND');
    expect(await code(UNSHARE_OBSERVABLE, { id: o, org: 'stranger' }, world.stranger['incident-handler'])).toBe('NOT_FOUND');
    // Nothing changed, nothing audited; the organisation soc can see and that holds a share is accepted.
    expect((await ok(TASK, { id: t }, world.soc.analyst)).task.sharedWith).toEqual([{ name: 'partner' }, { name: 'soc' }]);
    expect(
      await server.sql(
        "SELECT 1 FROM audit WHERE action IN ('task.share', 'task.unshare', 'observable.share', 'observable.unshare') AND object_id IN ($1, $2)",
        [t, o],
      ),
    ).toEqual([]);
    expect((await ok(SHARE_TASK, { id: t, org: 'ally' }, ih)).shareTask.sharedWith).toEqual([{ name: 'ally' }, { name: 'partner' }, { name: 'soc' }]);
  });

  it('R18: needs manageShare on the case; invisible items are absent', async () => {
    const k = cases.caseSharedReadOnlyWithPartner;
    expect(await code(SHARE_TASK, { id: k.taskIds[1], org: 'partner' }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await code(SHARE_OBSERVABLE, { id: k.observableIds[0], org: 'partner' }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await code(SHARE_TASK, { id: k.taskIds[1], org: 'partner' }, world.partner['incident-handler'])).toBe('NOT_FOUND');
    expect(await code(SHARE_TASK, { id: cases.caseNotShared.taskIds[0], org: 'partner' }, world.stranger['incident-handler'])).toBe('NOT_FOUND');
    expect(await code(SHARE_TASK, { id: 'not-a-uuid', org: 'partner' }, world.soc['incident-handler'])).toBe('NOT_FOUND');
  });

  it("R18: a shared task carries the organisation's case-share profile", async () => {
    const k = cases.caseSharedAnalystWithPartner;
    const t = k.taskIds[0];
    expect((await ok(UPDATE_TASK, { id: t, title: 'renamed by partner' }, world.partner.analyst)).updateTask.title).toBe('renamed by partner');
    expect(await code(UPDATE_TASK, { id: t, title: 'x' }, world.partner['read-only'])).toBe('FORBIDDEN');
  });

  it('R18: unsharing needs manageShare, removes access, and never touches the owner share', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const t = await createTaskAs(server.client, world.soc.analyst, k.id);
    const o = await createObservableAs(server.client, world.soc.analyst, k.id);
    const ih = world.soc['incident-handler'];
    await shareCaseAs(server.client, ih, k.id, 'partner', 'analyst', 'ALL', 'ALL');
    expect(await code(UNSHARE_TASK, { id: t, org: 'partner' }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await code(UNSHARE_TASK, { id: t, org: 'partner' }, world.partner.analyst)).toBe('FORBIDDEN');
    expect(await code(UNSHARE_TASK, { id: t, org: 'soc' }, ih)).toBe('BAD_USER_INPUT');
    expect(await code(UNSHARE_OBSERVABLE, { id: o, org: 'soc' }, ih)).toBe('BAD_USER_INPUT');
    expect(await code(UNSHARE_TASK, { id: t, org: 'ally' }, ih)).toBe('BAD_USER_INPUT');
    expect((await ok(UNSHARE_TASK, { id: t, org: 'partner' }, ih)).unshareTask).toBe(true);
    expect((await ok(UNSHARE_OBSERVABLE, { id: o, org: 'partner' }, ih)).unshareObservable).toBe(true);
    expect((await ok(TASK, { id: t }, world.partner.analyst)).task).toBeNull();
    expect((await ok(OBSERVABLE, { id: o }, world.partner.analyst)).observable).toBeNull();
    expect((await ok(TASK, { id: t }, world.soc.analyst)).task.sharedWith).toEqual([{ name: 'soc' }]);
    // partner holds the case but no longer the task: the argument is wrong, the task is still there.
    expect(await code(UNSHARE_TASK, { id: t, org: 'partner' }, ih)).toBe('BAD_USER_INPUT');
    expect(await code(UNSHARE_OBSERVABLE, { id: o, org: 'partner' }, ih)).toBe('BAD_USER_INPUT');
  });

  it('R17 R3: sharedWith lists only organisations the caller can see', async () => {
    const t = cases.caseSharedAnalystWithPartner.taskIds[0];
    const o = cases.caseSharedAnalystWithPartner.observableIds[0];
    expect((await ok(TASK, { id: t }, world.soc.analyst)).task.sharedWith).toEqual([{ name: 'partner' }, { name: 'soc' }]);
    expect((await ok(TASK, { id: t }, world.partner.analyst)).task.sharedWith).toEqual([{ name: 'partner' }]);
    expect((await ok(OBSERVABLE, { id: o }, world.partner.analyst)).observable.sharedWith).toEqual([{ name: 'partner' }]);
    expect((await ok(TASK, { id: t }, world.stranger.analyst)).task).toBeNull();
  });
});
