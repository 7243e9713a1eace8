import type { Persona } from '../../fixtures/world';
import {
  buildCases,
  Cases,
  CREATE_CASE,
  CREATE_OBSERVABLE,
  CREATE_TASK,
  createCaseAs,
  createObservableAs,
  createTaskAs,
  insertExternalUser,
  shareCaseAs,
} from '../../fixtures/cases';
import { useWorld } from '../../support/use-world';

/** R12, R13, R15, R19, R20: cases, their tasks and observables, as each persona sees them. */
const { server, world } = useWorld();
let cases: Cases;

const CASE = `query($id: ID!) { case(id: $id) { id number title description severity status tlp pap tags
  assignee { login } organisation { name } createdBy { login } myPermissions createdAt updatedAt
  shares { organisation { name } profile { name } owner } tasks { id } observables { id } } }`;
const LIST = `query($first: Int, $after: String, $filter: CaseFilter, $orderBy: CaseOrder) {
  cases(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount edges { cursor node { id title number severity } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCaseInput!) { updateCase(id: $id, input: $input) { id title description severity status tlp pap tags updatedAt } }`;
const DELETE = `mutation($id: ID!) { deleteCase(id: $id) }`;
const ASSIGN = `mutation($id: ID!, $login: String) { assignCase(id: $id, login: $login) { id assignee { login } } }`;
const EXPLAIN = `query($id: ID!, $p: Permission!) { explainAccess(caseId: $id, permission: $p) { allowed reason userProfile { name } shareProfile { name } } }`;
const TASK = `query($id: ID!) { task(id: $id) { id title description status createdBy { login } case { id } } }`;
const TASK_ASSIGNEE = `query($id: ID!) { task(id: $id) { id assignee { login } } }`;
const UPDATE_TASK = `mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(id: $id, input: $input) { id title description status } }`;
const DELETE_TASK = `mutation($id: ID!) { deleteTask(id: $id) }`;
const OBSERVABLE = `query($id: ID!) { observable(id: $id) { id dataType data message ioc tlp createdByExternal case { id } } }`;
const UPDATE_OBSERVABLE = `mutation($id: ID!, $input: UpdateObservableInput!) { updateObservable(id: $id, input: $input) { id message ioc tlp } }`;
const DELETE_OBSERVABLE = `mutation($id: ID!) { deleteObservable(id: $id) }`;

beforeAll(async () => {
  cases = await buildCases(server, world);
});

const ok = (q: string, v: Record<string, unknown>, a: Persona) => server.client.ok(q, v, a);
const code = (q: string, v: Record<string, unknown>, a: Persona) => server.client.code(q, v, a);
const caseAs = async (id: string, a: Persona) => (await ok(CASE, { id }, a)).case;

describe('R12: creating cases', () => {
  it('R12: needs manageCase; the case gets an owner share with profile all for the active organisation', async () => {
    const data = await ok(CREATE_CASE, { input: { title: 'Phishing wave', severity: 3, tags: ['phishing', 'mail'], tlp: 'RED' } }, world.soc.analyst);
    const k = await caseAs(data.createCase.id, world.soc.analyst);
    expect(k).toMatchObject({
      title: 'Phishing wave',
      description: '',
      severity: 3,
      status: 'NEW',
      tlp: 'RED',
      pap: 'AMBER',
      tags: ['phishing', 'mail'],
      assignee: null,
      organisation: { name: 'soc' },
      createdBy: { login: world.soc.analyst.login },
      shares: [{ organisation: { name: 'soc' }, profile: { name: 'all' }, owner: true }],
      tasks: [],
      observables: [],
    });
    expect(k.number).toBeGreaterThan(0);
    expect(await code(CREATE_CASE, { input: { title: 'x' } }, world.soc['read-only'])).toBe('FORBIDDEN');
    expect(await code(CREATE_CASE, { input: { title: 'x' } }, world.partner['read-only'])).toBe('FORBIDDEN');
  });

  it('R12 R1: no case in the admin organisation', async () => {
    expect(await code(CREATE_CASE, { input: { title: 'x' } }, world.admin)).toBe('FORBIDDEN');
  });

  it('R12: input is validated (title, severity, tags, description) → BAD_USER_INPUT and nothing written', async () => {
    const a = world.soc.analyst;
    const before = (await server.sql('SELECT count(*)::int AS n FROM "case"'))[0].n;
    const bad = [
      { title: '' },
      { title: '   ' },
      { title: 'x'.repeat(513) },
      { title: 'ok', severity: 0 },
      { title: 'ok', severity: 5 },
      { title: 'ok', tags: ['x'.repeat(65)] },
      { title: 'ok', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
      { title: 'ok', tags: [''] },
      { title: 'ok', description: 'x'.repeat(100_001) },
      { title: 'bell\u0007' },
    ];
    for (const input of bad) expect(await code(CREATE_CASE, { input }, a)).toBe('BAD_USER_INPUT');
    expect((await server.sql('SELECT count(*)::int AS n FROM "case"'))[0].n).toBe(before);
    // The limits themselves are accepted.
    const edge = await ok(
      CREATE_CASE,
      { input: { title: 'x'.repeat(512), severity: 4, tags: Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(64, 't')) } },
      a,
    );
    expect(edge.createCase.id).toEqual(expect.any(String));
  });

  it('R12: 10 concurrent createCase → distinct consecutive numbers', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => ok(CREATE_CASE, { input: { title: `concurrent ${i}` } }, world.stranger.analyst)));
    const numbers = results.map((r) => r.createCase.number as number).sort((x, y) => x - y);
    expect(new Set(numbers).size).toBe(10);
    expect(numbers[9] - numbers[0]).toBe(9);
  });
});

describe('R13: visibility', () => {
  it('R13: a case is visible only to organisations holding a share on it; others get null / NOT_FOUND', async () => {
    const { caseNotShared, caseSharedReadOnlyWithPartner, casePartnerOwned } = cases;
    expect((await caseAs(caseNotShared.id, world.soc['read-only'])).id).toBe(caseNotShared.id);
    expect(await caseAs(caseNotShared.id, world.partner['org-admin'])).toBeNull();
    expect(await caseAs(caseNotShared.id, world.stranger.analyst)).toBeNull();
    expect(await caseAs(caseNotShared.id, world.admin)).toBeNull();
    expect((await caseAs(caseSharedReadOnlyWithPartner.id, world.partner['read-only'])).id).toBe(caseSharedReadOnlyWithPartner.id);
    expect(await caseAs(casePartnerOwned.id, world.soc['org-admin'])).toBeNull();
    // Absent, malformed and invisible ids answer alike.
    expect(await caseAs('00000000-0000-0000-0000-000000000000', world.soc.analyst)).toBeNull();
    expect(await caseAs('not-a-uuid', world.soc.analyst)).toBeNull();
    for (const id of [caseNotShared.id, '00000000-0000-0000-0000-000000000000', 'not-a-uuid']) {
      expect(await code(UPDATE, { id, input: { title: 'x' } }, world.stranger.analyst)).toBe('NOT_FOUND');
      expect(await code(DELETE, { id }, world.stranger.analyst)).toBe('NOT_FOUND');
      expect(await code(ASSIGN, { id, login: null }, world.stranger.analyst)).toBe('NOT_FOUND');
      expect(await code(CREATE_TASK, { caseId: id, input: { title: 't' } }, world.stranger.analyst)).toBe('NOT_FOUND');
      expect(await code(CREATE_OBSERVABLE, { caseId: id, input: { dataType: 'ip', data: '1.2.3.4' } }, world.stranger.analyst)).toBe('NOT_FOUND');
    }
  });

  it('R13: cases lists exactly the visible cases, and totalCount counts them', async () => {
    const names = async (a: Persona) => {
      const data = await ok(LIST, { first: 100, filter: { title: 'case' } }, a);
      return {
        titles: data.cases.edges
          .map((e: { node: { title: string } }) => e.node.title)
          .filter((t: string) => t.startsWith('case'))
          .sort(),
        total: data.cases.totalCount,
      };
    };
    const partner = await names(world.partner.analyst);
    expect(partner.titles).toEqual(['caseSharedAnalystWithPartner', 'caseSharedReadOnlyWithPartner', 'casePartnerOwned'].sort());
    const soc = await names(world.soc['read-only']);
    expect(soc.titles).toEqual(['caseNotShared', 'caseSharedAnalystWithPartner', 'caseSharedReadOnlyWithPartner'].sort());
    const admin = await ok(LIST, {}, world.admin);
    expect(admin.cases).toMatchObject({ totalCount: 0, edges: [] });
  });
});

describe('cases: pagination, filters and order', () => {
  it('pages with opaque keyset cursors; totalCount counts the whole filtered set', async () => {
    const tag = `page-${Date.now()}`;
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await createCaseAs(server.client, world.partner.analyst, { title: `paged ${i}`, tags: [tag] })).id);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const data: any = await ok(LIST, { first: 3, after, filter: { tags: [tag] } }, world.partner.analyst);
      expect(data.cases.totalCount).toBe(7);
      seen.push(...data.cases.edges.map((e: { node: { id: string } }) => e.node.id));
      pages++;
      if (!data.cases.pageInfo.hasNextPage) break;
      expect(data.cases.pageInfo.endCursor).toBe(data.cases.edges[2].cursor);
      after = data.cases.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...made].reverse()); // newest first by default
    // The same filter seen from soc: none of partner's own cases.
    expect((await ok(LIST, { filter: { tags: [tag] } }, world.soc.analyst)).cases.totalCount).toBe(0);
  });

  it('orders by title, number and severity in both directions, paging included', async () => {
    const tag = `order-${Date.now()}`;
    for (const [title, severity] of [
      ['Bravo', 2],
      ['alpha', 4],
      ['Charlie', 1],
      ['delta', 3],
    ] as const) {
      await createCaseAs(server.client, world.partner.analyst, { title, severity, tags: [tag] });
    }
    const titles = async (orderBy: Record<string, string>, first = 10, after?: string) => {
      const data = await ok(LIST, { first, after, filter: { tags: [tag] }, orderBy }, world.partner.analyst);
      return data.cases;
    };
    expect((await titles({ field: 'TITLE', direction: 'ASC' })).edges.map((e: any) => e.node.title)).toEqual(['alpha', 'Bravo', 'Charlie', 'delta']);
    expect((await titles({ field: 'SEVERITY', direction: 'DESC' })).edges.map((e: any) => e.node.severity)).toEqual([4, 3, 2, 1]);
    const byNumber = (await titles({ field: 'NUMBER', direction: 'ASC' })).edges.map((e: any) => e.node.number);
    expect(byNumber).toEqual([...byNumber].sort((a: number, b: number) => a - b));
    const first = await titles({ field: 'TITLE', direction: 'DESC' }, 2);
    const second = await titles({ field: 'TITLE', direction: 'DESC' }, 2, first.pageInfo.endCursor);
    expect([...first.edges, ...second.edges].map((e: any) => e.node.title)).toEqual(['delta', 'Charlie', 'Bravo', 'alpha']);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    // A cursor belongs to its ordering.
    expect(await code(LIST, { first: 2, after: first.pageInfo.endCursor, orderBy: { field: 'NUMBER' } }, world.partner.analyst)).toBe('BAD_USER_INPUT');
  });

  it('filters by status, severity, tags (all of), assignee and title substring (wildcards are literal)', async () => {
    const tag = `filter-${Date.now()}`;
    const a = world.partner.analyst;
    const k1 = await createCaseAs(server.client, a, { title: '100% sure_thing', severity: 1, tags: [tag, 'x'] });
    const k2 = await createCaseAs(server.client, a, { title: '100 percent', severity: 2, tags: [tag, 'x', 'y'] });
    const k3 = await createCaseAs(server.client, a, { title: 'other', severity: 3, tags: [tag] });
    await ok(UPDATE, { id: k3.id, input: { status: 'RESOLVED' } }, a);
    await ok(ASSIGN, { id: k2.id, login: a.login }, a);
    const found = async (filter: Record<string, unknown>) =>
      (await ok(LIST, { filter: { tags: [tag], ...filter }, orderBy: { field: 'NUMBER', direction: 'ASC' } }, a)).cases.edges.map((e: any) => e.node.id);
    expect(await found({ status: ['RESOLVED'] })).toEqual([k3.id]);
    expect(await found({ status: ['NEW', 'IN_PROGRESS'] })).toEqual([k1.id, k2.id]);
    expect(await found({ severity: [1, 3] })).toEqual([k1.id, k3.id]);
    expect(await found({ tags: [tag, 'x', 'y'] })).toEqual([k2.id]);
    expect(await found({ tags: [tag, 'x'] })).toEqual([k1.id, k2.id]);
    expect(await found({ assignee: a.login.toUpperCase() })).toEqual([k2.id]);
    expect(await found({ title: '100%' })).toEqual([k1.id]);
    expect(await found({ title: 'E_T' })).toEqual([k1.id]);
    expect(await found({ title: '100' })).toEqual([k1.id, k2.id]);
    expect(await found({ title: '%' })).toEqual([k1.id]);
  });

  it('first is capped and cursors are opaque: anything else → BAD_USER_INPUT', async () => {
    const a = world.soc.analyst;
    expect(await code(LIST, { first: 101 }, a)).toBe('BAD_USER_INPUT');
    expect(await code(LIST, { first: -1 }, a)).toBe('BAD_USER_INPUT');
    expect(await code(LIST, { after: 'garbage' }, a)).toBe('BAD_USER_INPUT');
    const forged = Buffer.from(JSON.stringify(['CREATED_AT', 'DESC', "1'; DROP TABLE case; --", '00000000-0000-0000-0000-000000000000'])).toString('base64url');
    expect(await code(LIST, { after: forged }, a)).toBe('BAD_USER_INPUT');
    expect((await ok(LIST, { first: 0 }, a)).cases.edges).toEqual([]);
  });
});

describe('R15: effective permissions on a case', () => {
  it('R15: myPermissions = user profile ∩ share profile (R6/R7 applied to the user side)', async () => {
    const { caseSharedAnalystWithPartner: shared, caseSharedReadOnlyWithPartner: readOnly } = cases;
    const analyst = ['manageCase', 'manageObservable', 'manageAlert', 'manageTask', 'manageAnalyse', 'manageAction'];
    expect((await caseAs(shared.id, world.soc.analyst)).myPermissions).toEqual(analyst);
    expect((await caseAs(shared.id, world.soc['read-only'])).myPermissions).toEqual([]);
    expect((await caseAs(shared.id, world.soc['org-admin'])).myPermissions).toEqual([
      'manageCase',
      'manageObservable',
      'manageAlert',
      'manageUser',
      'manageCaseTemplate',
      'manageTask',
      'manageShare',
      'manageAnalyse',
      'manageAction',
      'manageExternalShare',
    ]);
    expect((await caseAs(shared.id, world.partner.analyst)).myPermissions).toEqual(analyst);
    expect((await caseAs(shared.id, world.partner['org-admin'])).myPermissions).toEqual(analyst);
    expect((await caseAs(readOnly.id, world.partner['org-admin'])).myPermissions).toEqual([]);
  });

  it('R15: explainAccess gives the decision and why', async () => {
    const { caseSharedAnalystWithPartner: shared, caseSharedReadOnlyWithPartner: readOnly, caseNotShared } = cases;
    const explain = async (id: string, p: string, a: Persona) => (await ok(EXPLAIN, { id, p }, a)).explainAccess;
    expect(await explain(shared.id, 'manageCase', world.partner.analyst)).toMatchObject({
      allowed: true,
      userProfile: { name: 'analyst' },
      shareProfile: { name: 'analyst' },
    });
    const noShare = await explain(shared.id, 'manageShare', world.partner['incident-handler']);
    expect(noShare).toMatchObject({ allowed: false, userProfile: { name: 'incident-handler' }, shareProfile: { name: 'analyst' } });
    expect(noShare.reason).toMatch(/share/);
    const noProfile = await explain(shared.id, 'manageShare', world.soc.analyst);
    expect(noProfile).toMatchObject({ allowed: false, shareProfile: { name: 'all' } });
    expect(noProfile.reason).toMatch(/profile "analyst"/);
    // R7: the Cortex connector is enabled by default (test/integration/cases/cortex.test.ts: disabled).
    expect(await explain(shared.id, 'manageAnalyse', world.soc.analyst)).toMatchObject({ allowed: true });
    const global = await explain(shared.id, 'manageProfile', world.soc['org-admin']);
    expect(global.allowed).toBe(false);
    expect(await explain(readOnly.id, 'manageCase', world.partner.analyst)).toMatchObject({ allowed: false, shareProfile: { name: 'read-only' } });
    // Invisible and absent cases get the same answer.
    const invisible = await explain(caseNotShared.id, 'manageCase', world.partner.analyst);
    const absent = await explain('00000000-0000-0000-0000-000000000000', 'manageCase', world.partner.analyst);
    expect(invisible).toEqual(absent);
    expect(invisible).toMatchObject({ allowed: false, shareProfile: null, userProfile: { name: 'analyst' } });
  });
});

describe('R19: writes on cases', () => {
  it('R19: updateCase needs manageCase through the share; only given fields change', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst, { title: 'before', description: 'keep me', severity: 2, tags: ['a'] });
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'read-only');
    expect(await code(UPDATE, { id: k.id, input: { title: 'x' } }, world.soc['read-only'])).toBe('FORBIDDEN');
    expect(await code(UPDATE, { id: k.id, input: { title: 'x' } }, world.partner.analyst)).toBe('FORBIDDEN');
    expect(await code(UPDATE, { id: k.id, input: { title: 'x' } }, world.stranger.analyst)).toBe('NOT_FOUND');
    const before = await caseAs(k.id, world.soc.analyst);
    const data = await ok(UPDATE, { id: k.id, input: { title: 'after', status: 'IN_PROGRESS', tags: ['a', 'b'] } }, world.soc.analyst);
    expect(data.updateCase).toMatchObject({ title: 'after', description: 'keep me', severity: 2, status: 'IN_PROGRESS', tags: ['a', 'b'] });
    expect(new Date(data.updateCase.updatedAt).getTime()).toBeGreaterThan(new Date(before.updatedAt).getTime());
    expect(await code(UPDATE, { id: k.id, input: { severity: 9 } }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    expect(await code(UPDATE, { id: k.id, input: { title: null } }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    // The analyst share lets partner update.
    const shared = await createCaseAs(server.client, world.soc.analyst);
    await shareCaseAs(server.client, world.soc['incident-handler'], shared.id, 'partner', 'analyst');
    expect((await ok(UPDATE, { id: shared.id, input: { severity: 4 } }, world.partner.analyst)).updateCase.severity).toBe(4);
  });

  it('R19: deleteCase needs manageCase and the owner organisation; everything in the case goes', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const t = await createTaskAs(server.client, world.soc.analyst, k.id);
    await createObservableAs(server.client, world.soc.analyst, k.id);
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'org-admin', 'ALL', 'ALL');
    expect(await code(DELETE, { id: k.id }, world.partner['org-admin'])).toBe('FORBIDDEN'); // not the owner
    expect(await code(DELETE, { id: k.id }, world.soc['read-only'])).toBe('FORBIDDEN');
    expect(await code(DELETE, { id: k.id }, world.stranger['org-admin'])).toBe('NOT_FOUND');
    expect((await ok(DELETE, { id: k.id }, world.soc.analyst)).deleteCase).toBe(true);
    expect(await caseAs(k.id, world.soc.analyst)).toBeNull();
    expect(await caseAs(k.id, world.partner.analyst)).toBeNull();
    expect((await ok(TASK, { id: t }, world.soc.analyst)).task).toBeNull();
    const left = await server.sql(
      `SELECT (SELECT count(*) FROM share WHERE case_id = $1)::int AS shares, (SELECT count(*) FROM task WHERE case_id = $1)::int AS tasks,
      (SELECT count(*) FROM observable WHERE case_id = $1)::int AS observables`,
      [k.id],
    );
    expect(left[0]).toEqual({ shares: 0, tasks: 0, observables: 0 });
    expect(await code(DELETE, { id: k.id }, world.soc.analyst)).toBe('NOT_FOUND');
  });

  it('R19: tasks need manageTask through the share (create, update, delete)', async () => {
    const ro = cases.caseSharedReadOnlyWithPartner;
    expect(await code(CREATE_TASK, { caseId: ro.id, input: { title: 't' } }, world.partner.analyst)).toBe('FORBIDDEN');
    expect(await code(CREATE_TASK, { caseId: ro.id, input: { title: 't' } }, world.soc['read-only'])).toBe('FORBIDDEN');
    const k = await createCaseAs(server.client, world.soc.analyst);
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'analyst', 'ALL');
    const id = (await ok(CREATE_TASK, { caseId: k.id, input: { title: 'Collect logs', description: 'all of them' } }, world.partner.analyst)).createTask.id;
    expect((await ok(TASK, { id }, world.soc.analyst)).task).toMatchObject({
      title: 'Collect logs',
      description: 'all of them',
      status: 'WAITING',
      createdBy: { login: world.partner.analyst.login },
      case: { id: k.id },
    });
    expect(await code(UPDATE_TASK, { id, input: { status: 'COMPLETED' } }, world.soc['read-only'])).toBe('FORBIDDEN');
    expect(await code(UPDATE_TASK, { id, input: { status: 'COMPLETED' } }, world.stranger.analyst)).toBe('NOT_FOUND');
    expect((await ok(UPDATE_TASK, { id, input: { status: 'COMPLETED' } }, world.soc.analyst)).updateTask).toMatchObject({
      title: 'Collect logs',
      status: 'COMPLETED',
    });
    expect(await code(UPDATE_TASK, { id, input: { title: '' } }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    expect(await code(CREATE_TASK, { caseId: k.id, input: { title: 'x'.repeat(513) } }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    expect(await code(DELETE_TASK, { id }, world.partner['read-only'])).toBe('FORBIDDEN');
    expect((await ok(DELETE_TASK, { id }, world.partner.analyst)).deleteTask).toBe(true);
    expect((await ok(TASK, { id }, world.soc.analyst)).task).toBeNull();
  });

  it('R19: observables need manageObservable through the share; dataType comes from a fixed list', async () => {
    const types = (await ok('{ observableDataTypes }', {}, world.soc['read-only'])).observableDataTypes;
    expect(types).toEqual([
      'autonomous-system',
      'domain',
      'file',
      'filename',
      'fqdn',
      'hash',
      'hostname',
      'ip',
      'mail',
      'mail-subject',
      'other',
      'regexp',
      'registry',
      'uri_path',
      'url',
      'user-agent',
    ]);
    const ro = cases.caseSharedReadOnlyWithPartner;
    const input = { dataType: 'ip', data: '192.0.2.7', message: 'C2', ioc: true, tlp: 'RED' };
    expect(await code(CREATE_OBSERVABLE, { caseId: ro.id, input }, world.partner.analyst)).toBe('FORBIDDEN');
    expect(await code(CREATE_OBSERVABLE, { caseId: ro.id, input: { ...input, dataType: 'IP address' } }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    expect(await code(CREATE_OBSERVABLE, { caseId: ro.id, input: { ...input, data: ' ' } }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    const id = (await ok(CREATE_OBSERVABLE, { caseId: ro.id, input }, world.soc.analyst)).createObservable.id;
    expect((await ok(OBSERVABLE, { id }, world.soc['read-only'])).observable).toEqual({ id, ...input, createdByExternal: false, case: { id: ro.id } });
    expect(await code(UPDATE_OBSERVABLE, { id, input: { ioc: false } }, world.soc['read-only'])).toBe('FORBIDDEN');
    expect(await code(UPDATE_OBSERVABLE, { id, input: { ioc: false } }, world.partner.analyst)).toBe('NOT_FOUND');
    expect((await ok(UPDATE_OBSERVABLE, { id, input: { ioc: false, message: 'sinkholed' } }, world.soc.analyst)).updateObservable).toEqual({
      id,
      ioc: false,
      message: 'sinkholed',
      tlp: 'RED',
    });
    expect(await code(DELETE_OBSERVABLE, { id }, world.soc['read-only'])).toBe('FORBIDDEN');
    expect((await ok(DELETE_OBSERVABLE, { id }, world.soc.analyst)).deleteObservable).toBe(true);
    expect((await ok(OBSERVABLE, { id }, world.soc.analyst)).observable).toBeNull();
  });
});

describe('loaders after a write', () => {
  it('a mutation in a document reads what the one before it committed (loaders are forgotten at commit)', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const TWO = `mutation($c: ID!) {
      a: createTask(caseId: $c, input: { title: "first" }) { case { tasks { title } comments { message } } }
      b: addComment(caseId: $c, message: "between") { id }
      c: createTask(caseId: $c, input: { title: "second" }) { case { tasks { title } comments { message } } } }`;
    const data = await ok(TWO, { c: k.id }, world.soc.analyst);
    expect(data.a.case).toEqual({ tasks: [{ title: 'first' }], comments: [] });
    expect(data.c.case).toEqual({ tasks: [{ title: 'first' }, { title: 'second' }], comments: [{ message: 'between' }] });
  });
});

describe('R20: assignees', () => {
  it('R20: an internal member of an organisation holding the case with manageCase (profile ∩ share)', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'analyst');
    const assign = (login: string | null, a: Persona = world.soc.analyst) => ok(ASSIGN, { id: k.id, login }, a);
    expect((await assign(world.soc.analyst.login)).assignCase.assignee).toEqual({ login: world.soc.analyst.login });
    expect((await assign(world.partner.analyst.login)).assignCase.assignee).toEqual({ login: world.partner.analyst.login });
    // No manageCase in the user's profile.
    expect(await code(ASSIGN, { id: k.id, login: world.soc['read-only'].login }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    expect(await code(ASSIGN, { id: k.id, login: world.partner['read-only'].login }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    // Users the caller cannot see, or that do not exist, are absent.
    expect(await code(ASSIGN, { id: k.id, login: world.stranger.analyst.login }, world.soc.analyst)).toBe('NOT_FOUND');
    expect(await code(ASSIGN, { id: k.id, login: 'nobody@nowhere.test' }, world.soc.analyst)).toBe('NOT_FOUND');
    // Assigning needs manageCase on the case.
    expect(await code(ASSIGN, { id: k.id, login: null }, world.soc['read-only'])).toBe('FORBIDDEN');
    expect((await assign(null)).assignCase.assignee).toBeNull();
  });

  it('R20: not through a share lacking manageCase', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'read-only');
    expect(await code(ASSIGN, { id: k.id, login: world.partner.analyst.login }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    expect(await code(ASSIGN, { id: k.id, login: world.partner['org-admin'].login }, world.soc.analyst)).toBe('BAD_USER_INPUT');
  });

  it('R20: external users are never assignees', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    await insertExternalUser(server, 'soc', 'client@customer.test');
    expect(await code(ASSIGN, { id: k.id, login: 'client@customer.test' }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    expect((await caseAs(k.id, world.soc.analyst)).assignee).toBeNull();
  });

  it('R20 R16: an assignee whose organisation loses its share (or manageCase on it) is unassigned', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const ih = world.soc['incident-handler'];
    await shareCaseAs(server.client, ih, k.id, 'partner', 'analyst');
    await ok(ASSIGN, { id: k.id, login: world.partner.analyst.login }, world.soc.analyst);
    await ok('mutation($c: ID!) { updateShare(caseId: $c, organisation: "partner", profile: "read-only") { id } }', { c: k.id }, ih);
    expect((await caseAs(k.id, world.soc.analyst)).assignee).toBeNull();
    await ok('mutation($c: ID!) { updateShare(caseId: $c, organisation: "partner", profile: "analyst") { id } }', { c: k.id }, ih);
    await ok(ASSIGN, { id: k.id, login: world.partner.analyst.login }, world.soc.analyst);
    const t = await createTaskAs(server.client, world.soc.analyst, k.id);
    await ok(UPDATE_TASK, { id: t, input: { assignee: world.partner.analyst.login } }, world.soc.analyst);
    await ok('mutation($c: ID!) { unshareCase(caseId: $c, organisation: "partner") }', { c: k.id }, ih);
    expect((await caseAs(k.id, world.soc.analyst)).assignee).toBeNull();
    expect((await ok(TASK_ASSIGNEE, { id: t }, world.soc.analyst)).task.assignee).toBeNull();
    const dropped = await server.sql(`SELECT action, details FROM audit WHERE case_id = $1 AND details ? 'reason' ORDER BY created_at, id`, [k.id]);
    expect(dropped.map((d) => [d.action, d.details.assignee])).toEqual([
      ['case.assign', { from: world.partner.analyst.login, to: null }],
      ['case.assign', { from: world.partner.analyst.login, to: null }],
      ['task.update', { from: world.partner.analyst.login, to: null }],
    ]);
  });

  it('R20: task assignees follow the same rule (updateTask input.assignee)', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'read-only', 'ALL');
    const t = await createTaskAs(server.client, world.soc.analyst, k.id);
    const assign = (login: string | null, a: Persona = world.soc.analyst) => server.client.request(UPDATE_TASK, { id: t, input: { assignee: login } }, a);
    expect((await assign(world.partner.analyst.login)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await assign(world.stranger.analyst.login)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await assign(world.soc.analyst.login, world.partner.analyst)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await assign(world.soc['incident-handler'].login)).errors).toBeUndefined();
    expect((await ok(TASK_ASSIGNEE, { id: t }, world.soc.analyst)).task.assignee).toEqual({ login: world.soc['incident-handler'].login });
    // soc owns a case shared with partner: its people are named to partner (referencedUserScope).
    expect((await ok(TASK_ASSIGNEE, { id: t }, world.partner['read-only'])).task.assignee).toEqual({ login: world.soc['incident-handler'].login });
    expect((await assign(null)).errors).toBeUndefined();
    expect((await ok(TASK_ASSIGNEE, { id: t }, world.soc.analyst)).task.assignee).toBeNull();
  });
});
