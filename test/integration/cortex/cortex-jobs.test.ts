import { FAILING_JOB_REASON, useCortex } from '../../support/cortex-server';
import { useWorld } from '../../support/use-world';
import { createCaseAs, createObservableAs, createTaskAs, shareCaseAs } from '../../fixtures/cases';
import { countStatements } from '../../support/count-statements';
import { subscribe } from '../../support/ws-client';
import type { Actor } from '../../support/gql-client';

/** R37 against a real HTTP server speaking Cortex's API (test/support/cortex-server.ts). */
const cortex = useCortex();
const { server, world } = useWorld(cortex.config);

const JOB = 'id worker kind status report createdAt updatedAt createdBy { login }';
const RUN_ANALYZER = `mutation($id: ID!, $a: String!) { runAnalyzer(observableId: $id, analyzer: $a) { ${JOB} } }`;
const RUN_RESPONDER = `mutation($t: ResponderTarget!, $id: ID!, $r: String!) { runResponder(target: $t, id: $id, responder: $r) { ${JOB} } }`;
const OBSERVABLE_JOBS = `query($id: ID!) { observable(id: $id) { jobs { ${JOB} } } }`;

const jobCount = async () => (await server.sql<{ n: number }>('SELECT count(*)::int AS n FROM cortex_job'))[0].n;

/** Polls the observable's jobs as `actor` until the job has ended (the follower polls Cortex every 50 ms here). */
async function ended(observableId: string, jobId: string, actor: Actor = world.soc.analyst, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const jobs = (await server.client.ok(OBSERVABLE_JOBS, { id: observableId }, actor)).observable.jobs as Array<{ id: string; status: string; report: any }>;
    const job = jobs.find((j) => j.id === jobId);
    if (job && (job.status === 'SUCCESS' || job.status === 'FAILURE')) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job?.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function observableOfSoc(data?: string) {
  const k = await createCaseAs(server.client, world.soc.analyst, { title: 'cortex case' });
  return { caseId: k.id, observableId: await createObservableAs(server.client, world.soc.analyst, k.id, data) };
}

it('R37: runAnalyzer records the job at once as WAITING; Cortex receives the observable with the Bearer key; the job ends SUCCESS with the report, audited', async () => {
  const { caseId, observableId } = await observableOfSoc('evil.example');
  const started = Date.now();
  const job = (await server.client.ok(RUN_ANALYZER, { id: observableId, a: 'normal-dns' }, world.soc.analyst)).runAnalyzer;
  expect(Date.now() - started).toBeLessThan(5000);
  expect(job).toMatchObject({ worker: 'normal-dns', kind: 'ANALYZER', status: 'WAITING', report: null, createdBy: { login: world.soc.analyst.login } });
  const done = await ended(observableId, job.id);
  expect(done.status).toBe('SUCCESS');
  expect(done.report).toMatchObject({ success: true, full: { worker: 'normal-dns', data: 'evil.example' } });
  const runs = cortex.server().runs('normal-dns');
  expect(runs).toHaveLength(1);
  expect(runs[0].authorization).toBe(`Bearer ${cortex.config.cortexApiKey}`);
  expect(runs[0].body).toMatchObject({ dataType: 'domain', data: 'evil.example', tlp: 2 });
  expect(
    cortex
      .server()
      .calls.filter((c) => c.path.startsWith('/api/job/'))
      .every((c) => c.authorization === runs[0].authorization),
  ).toBe(true);
  const audit = await server.sql(`SELECT action, details FROM audit WHERE object_id = $1 ORDER BY created_at`, [job.id]);
  expect(audit.map((a) => a.action)).toEqual(['job.create', 'job.update', 'job.update']);
  expect(audit.map((a) => a.details.status?.to ?? a.details.status)).toEqual(['WAITING', 'IN_PROGRESS', 'SUCCESS']);
  expect((await server.sql(`SELECT case_id FROM audit WHERE object_id = $1`, [job.id])).every((r) => r.case_id === caseId)).toBe(true);
});

it('R37/R30: the job and each change of its status reach liveFeed', async () => {
  const { observableId } = await observableOfSoc();
  const feed = await subscribe<{ liveFeed: { action: string; objectId: string; details: any } }>(
    server.url,
    'subscription { liveFeed { action objectId details } }',
    world.soc['read-only'],
  );
  try {
    const job = (await server.client.ok(RUN_ANALYZER, { id: observableId, a: 'normal-feed' }, world.soc.analyst)).runAnalyzer;
    await ended(observableId, job.id);
    const got = (await feed.waitFor(3, 10_000)).map((e) => e.liveFeed).filter((e) => e.objectId === job.id);
    expect(got.map((e) => e.action)).toEqual(['job.create', 'job.update', 'job.update']);
    expect(got[2].details.status).toEqual({ from: 'IN_PROGRESS', to: 'SUCCESS' });
  } finally {
    await feed.close();
  }
});

it('R37: a job is visible on the observable to every organisation that sees it (partner through the share); a stranger sees nothing', async () => {
  const { caseId, observableId } = await observableOfSoc();
  await shareCaseAs(server.client, world.soc['incident-handler'], caseId, 'partner', 'analyst', 'ALL', 'ALL');
  const job = (await server.client.ok(RUN_ANALYZER, { id: observableId, a: 'normal-shared' }, world.soc.analyst)).runAnalyzer;
  const seen = await ended(observableId, job.id, world.partner['read-only']);
  expect(seen.status).toBe('SUCCESS');
  // The partner, whose share holds manageAnalyse, runs one too; the owner sees it.
  const theirs = (await server.client.ok(RUN_ANALYZER, { id: observableId, a: 'normal-partner' }, world.partner.analyst)).runAnalyzer;
  expect((await ended(observableId, theirs.id, world.soc['read-only'])).status).toBe('SUCCESS');
  expect((await server.client.ok(OBSERVABLE_JOBS, { id: observableId }, world.stranger.analyst)).observable).toBeNull();
  const before = await jobCount();
  expect(await server.client.code(RUN_ANALYZER, { id: observableId, a: 'normal-x' }, world.stranger.analyst)).toBe('NOT_FOUND');
  expect(await jobCount()).toBe(before);
});

it('R37/R15/R6: runAnalyzer needs manageAnalyse through the share: analyst and incident-handler succeed; read-only, a read-only share, and admin are FORBIDDEN, and nothing is recorded', async () => {
  const { caseId, observableId } = await observableOfSoc();
  await shareCaseAs(server.client, world.soc['incident-handler'], caseId, 'partner', 'read-only', 'ALL', 'ALL');
  for (const ok of [world.soc.analyst, world.soc['incident-handler']]) {
    expect((await server.client.ok(RUN_ANALYZER, { id: observableId, a: 'normal-perm' }, ok)).runAnalyzer.status).toBe('WAITING');
  }
  const before = await jobCount();
  for (const refused of [world.soc['read-only'], world.partner.analyst, world.partner['org-admin']]) {
    expect(await server.client.code(RUN_ANALYZER, { id: observableId, a: 'normal-perm' }, refused)).toBe('FORBIDDEN');
  }
  // The administrator acts in admin, where case work is never effective (R6); it does not see the case either way.
  expect(['FORBIDDEN', 'NOT_FOUND']).toContain(await server.client.code(RUN_ANALYZER, { id: observableId, a: 'normal-perm' }, world.admin));
  expect(await jobCount()).toBe(before);
});

it('R37/R15: runResponder on a case, a task and an observable needs manageAction; the jobs are listed on Case.jobs, Task.jobs and Observable.jobs', async () => {
  const k = await createCaseAs(server.client, world.soc.analyst, { title: 'responders' });
  const taskId = await createTaskAs(server.client, world.soc.analyst, k.id);
  const observableId = await createObservableAs(server.client, world.soc.analyst, k.id);
  const targets: Array<[string, string, string]> = [
    ['CASE', k.id, 'thehive:case'],
    ['TASK', taskId, 'thehive:case_task'],
    ['OBSERVABLE', observableId, 'thehive:case_artifact'],
  ];
  const before = await jobCount();
  for (const [t, id] of targets) {
    expect(await server.client.code(RUN_RESPONDER, { t, id, r: 'normal-mail' }, world.soc['read-only'])).toBe('FORBIDDEN');
    expect(await server.client.code(RUN_RESPONDER, { t, id, r: 'normal-mail' }, world.stranger['org-admin'])).toBe('NOT_FOUND');
  }
  expect(await jobCount()).toBe(before);
  const ids: Record<string, string> = {};
  for (const [t, id] of targets) {
    const job = (await server.client.ok(RUN_RESPONDER, { t, id, r: `normal-${t.toLowerCase()}` }, world.soc.analyst)).runResponder;
    expect(job).toMatchObject({ kind: 'RESPONDER', status: 'WAITING', worker: `normal-${t.toLowerCase()}` });
    ids[t] = job.id;
  }
  await ended(observableId, ids.OBSERVABLE);
  for (const [t, , dataType] of targets) {
    const [run] = cortex.server().runs(`normal-${t.toLowerCase()}`);
    expect(run.path).toMatch(/^\/api\/responder\//);
    expect(run.body.dataType).toBe(dataType);
  }
  const lists = await server.client.ok(
    `query($c: ID!, $t: ID!) { case(id: $c) { jobs { id } tasks { id jobs { id } } observables { id jobs { id } } } task(id: $t) { jobs { id kind } } }`,
    { c: k.id, t: taskId },
    world.soc['read-only'],
  );
  expect(lists.case.jobs.map((j: { id: string }) => j.id)).toEqual([ids.CASE]);
  expect(lists.case.tasks[0].jobs.map((j: { id: string }) => j.id)).toEqual([ids.TASK]);
  expect(lists.case.observables[0].jobs.map((j: { id: string }) => j.id)).toEqual([ids.OBSERVABLE]);
  expect(lists.task.jobs).toEqual([{ id: ids.TASK, kind: 'RESPONDER' }]);
});

it('R37: Cortex failing (500, malformed JSON, no answer in time, unknown analyzer, a job that fails) ends the job in FAILURE with a readable reason; the mutation never waits for Cortex', async () => {
  const { observableId } = await observableOfSoc();
  const cases: Array<[string, RegExp]> = [
    ['fail500-a', /Cortex answered 500: Cortex is broken \(fixture\) \(gave up after 5 attempts\)/],
    ['malformed-a', /Cortex answered something that is not JSON \(gave up after 5 attempts\)/],
    ['slow-a', /Cortex did not answer within 1500 ms \(gave up after 5 attempts\)/],
    ['unknown-analyzer', /Cortex has no such worker \(404\): analyzer unknown-analyzer not found/],
    ['jobfails-a', new RegExp(FAILING_JOB_REASON.replace(/[()]/g, '\\$&'))],
  ];
  const jobs = await Promise.all(
    cases.map(async ([a]) => {
      const started = Date.now();
      const job = (await server.client.ok(RUN_ANALYZER, { id: observableId, a }, world.soc.analyst)).runAnalyzer;
      expect(Date.now() - started).toBeLessThan(5000);
      expect(job.status).toBe('WAITING');
      return job;
    }),
  );
  for (const [i, [a, reason]] of cases.entries()) {
    const done = await ended(observableId, jobs[i].id, world.soc.analyst, 30_000);
    expect({ a, status: done.status }).toEqual({ a, status: 'FAILURE' });
    expect(done.report.errorMessage).toMatch(reason);
  }
  // Retried with backoff: five calls for the transient failures, one for the permanent ones.
  expect(cortex.server().runs('fail500-a')).toHaveLength(5);
  expect(cortex.server().runs('unknown-analyzer')).toHaveLength(1);
  const failure = await server.sql(`SELECT details FROM audit WHERE object_id = $1 AND action = 'job.update'`, [jobs[4].id]);
  expect(failure.at(-1)!.details).toMatchObject({ status: { to: 'FAILURE' }, reason: FAILING_JOB_REASON });
}, 60_000);

it('R37: bad input is BAD_USER_INPUT naming the argument, and records nothing', async () => {
  const { caseId, observableId } = await observableOfSoc();
  const before = await jobCount();
  const res = await server.client.request(RUN_ANALYZER, { id: observableId, a: '  ' }, world.soc.analyst);
  expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'analyzer' });
  const res2 = await server.client.request(RUN_RESPONDER, { t: 'CASE', id: caseId, r: 'x'.repeat(201) }, world.soc.analyst);
  expect(res2.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'responder' });
  expect(await jobCount()).toBe(before);
});

it("performance.md: a page of cases with their jobs and their observables' jobs costs the same statements for 2 and 6 cases", async () => {
  for (let i = 0; i < 6; i++) {
    const { caseId, observableId } = await observableOfSoc();
    await server.client.ok(RUN_RESPONDER, { t: 'CASE', id: caseId, r: 'normal-page' }, world.soc.analyst);
    await server.client.ok(RUN_ANALYZER, { id: observableId, a: 'normal-page' }, world.soc.analyst);
  }
  const PAGE = `query($n: Int!) { cases(first: $n) { edges { node { id jobs { id status createdBy { login } } observables { id jobs { id worker } } tasks { id jobs { id } } } } } }`;
  // The follower polls in this process too: paused while counting.
  await server.app.services.cortex.stop();
  try {
    const count = async (n: number) => countStatements(() => server.client.ok(PAGE, { n }, world.soc.analyst));
    const [two, six] = [await count(2), await count(6)];
    expect(six).toBe(two);
  } finally {
    await server.app.services.cortex.start();
  }
});

it("R37/R28/R17: a job's audit entries are seen by the organisations that see its object: a partner holding the observable sees them, one whose share does not hold it does not", async () => {
  const AUDIT = 'query($id: String!) { audit(filter: { objectId: $id }) { edges { node { action } } } }';
  const k = await createCaseAs(server.client, world.soc.analyst, { title: 'job audit' });
  const held = await createObservableAs(server.client, world.soc.analyst, k.id);
  await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'read-only', 'MANUAL', 'MANUAL');
  await server.client.ok(
    'mutation($id: ID!) { shareObservable(observableId: $id, organisation: "partner") { id } }',
    { id: held },
    world.soc['incident-handler'],
  );
  const notHeld = await createObservableAs(server.client, world.soc.analyst, k.id);
  const onHeld = (await server.client.ok(RUN_ANALYZER, { id: held, a: 'normal-audit' }, world.soc.analyst)).runAnalyzer;
  const onOther = (await server.client.ok(RUN_ANALYZER, { id: notHeld, a: 'normal-audit' }, world.soc.analyst)).runAnalyzer;
  await ended(held, onHeld.id);
  await ended(notHeld, onOther.id);
  const actions = async (id: string, actor: Actor) =>
    (await server.client.ok(AUDIT, { id }, actor)).audit.edges.map((e: { node: { action: string } }) => e.node.action);
  expect(await actions(onHeld.id, world.soc['read-only'])).toHaveLength(3);
  expect(await actions(onHeld.id, world.partner['org-admin'])).toHaveLength(3);
  expect(await actions(onOther.id, world.soc['read-only'])).toHaveLength(3);
  expect(await actions(onOther.id, world.partner['org-admin'])).toEqual([]);
  expect(await actions(onHeld.id, world.stranger['org-admin'])).toEqual([]);
});

it("R37/R28: once its observable is deleted, a job's entries stay visible to the owner organisation only", async () => {
  const AUDIT = 'query($id: String!) { audit(filter: { objectId: $id }) { edges { node { action } } } }';
  const k = await createCaseAs(server.client, world.soc.analyst, { title: 'deleted observable' });
  await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'read-only', 'ALL', 'ALL');
  const observableId = await createObservableAs(server.client, world.soc.analyst, k.id);
  const job = (await server.client.ok(RUN_ANALYZER, { id: observableId, a: 'normal-deleted' }, world.soc.analyst)).runAnalyzer;
  await ended(observableId, job.id);
  const count = async (actor: Actor) => (await server.client.ok(AUDIT, { id: job.id }, actor)).audit.edges.length;
  expect(await count(world.partner['read-only'])).toBe(3);
  await server.client.ok('mutation($id: ID!) { deleteObservable(id: $id) }', { id: observableId }, world.soc.analyst);
  expect(await count(world.soc['read-only'])).toBe(3);
  expect(await count(world.partner['read-only'])).toBe(0);
});
