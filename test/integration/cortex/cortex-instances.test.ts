import { GqlClient } from '../../support/gql-client';
import { useSharedDatabase } from '../../support/shared-database';
import { CortexServer, startCortexServer } from '../../support/cortex-server';
import type { ServerProcess } from '../../support/server-process';
import { buildWorld, World } from '../../fixtures/world';
import type { TestServer } from '../../support/test-server';
import { createCaseAs, createObservableAs } from '../../fixtures/cases';

/**
 * R37 with API processes as deployed (dist/src/main.js) on one database: two instances follow
 * each job exactly once between them, and a job running on Cortex when its server dies is
 * followed to its end by the next start.
 */
const db = useSharedDatabase('cortex');
let cortex: CortexServer;
let env: Record<string, string>;
let world: World;
let sa: ServerProcess, sb: ServerProcess;
let a: GqlClient, b: GqlClient;

beforeAll(async () => {
  cortex = await startCortexServer();
  env = { CORTEX_URL: cortex.url, CORTEX_API_KEY: cortex.apiKey, CORTEX_TIMEOUT_MS: '3000', CORTEX_POLL_MS: '50', LOGIN_MAX_ATTEMPTS: '1000' };
  [sa, sb] = await Promise.all([db.start(env), db.start(env)]);
  [a, b] = [new GqlClient(sa.url), new GqlClient(sb.url)];
  world = await buildWorld({ client: a } as unknown as TestServer);
}, 90_000);

afterAll(async () => {
  await cortex?.stop();
});

const RUN = 'mutation($id: ID!, $a: String!) { runAnalyzer(observableId: $id, analyzer: $a) { id status } }';

async function statusOf(jobId: string): Promise<string> {
  return (await db.sql<{ status: string }>('SELECT status FROM cortex_job WHERE id = $1', [jobId]))[0].status;
}

async function until(what: string, cond: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('R37: with two instances, every job is submitted to Cortex once and followed to SUCCESS once (one follower per job)', async () => {
  const k = await createCaseAs(a, world.soc.analyst, { title: 'two followers' });
  const observableId = await createObservableAs(a, world.soc.analyst, k.id);
  const jobs = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      (i % 2 ? b : a).ok(RUN, { id: observableId, a: `normal-multi-${i}` }, world.soc.analyst).then((d) => d.runAnalyzer.id as string),
    ),
  );
  await until('all jobs to succeed', async () => (await Promise.all(jobs.map(statusOf))).every((s) => s === 'SUCCESS'));
  for (let i = 0; i < 12; i++) expect({ i, runs: cortex.runs(`normal-multi-${i}`).length }).toEqual({ i, runs: 1 });
  const reports = cortex.calls.filter((c) => c.path.endsWith('/report'));
  expect(reports).toHaveLength(12);
  // Each status change audited once: WAITING → IN_PROGRESS → SUCCESS.
  const updates = await db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit WHERE action = 'job.update' AND object_id = ANY($1::text[])`, [jobs]);
  expect(updates[0].n).toBe(24);
}, 60_000);

it('R37: a job still running on Cortex when every instance dies is picked up from the database by the next start and ends SUCCESS', async () => {
  const k = await createCaseAs(a, world.soc.analyst, { title: 'restart' });
  const observableId = await createObservableAs(a, world.soc.analyst, k.id);
  const job = (await a.ok(RUN, { id: observableId, a: 'hold-restart' }, world.soc.analyst)).runAnalyzer;
  await until('the job to run on Cortex', async () => (await statusOf(job.id)) === 'IN_PROGRESS');
  const [{ cortex_id: cortexId }] = await db.sql('SELECT cortex_id FROM cortex_job WHERE id = $1', [job.id]);
  for (const s of [sa, sb]) {
    s.proc.kill('SIGKILL');
    await s.exited();
  }
  cortex.release(cortexId);
  await new Promise((r) => setTimeout(r, 300));
  expect(await statusOf(job.id)).toBe('IN_PROGRESS');
  const restarted = await db.start(env);
  // Within the lease of a step the dead instance may have had under way (2 × 3 s + 5 s), plus a start.
  await until('the job to end after the restart', async () => (await statusOf(job.id)) === 'SUCCESS', 45_000);
  const seen = (
    await new GqlClient(restarted.url).ok('query($id: ID!) { observable(id: $id) { jobs { id status report } } }', { id: observableId }, world.soc['read-only'])
  ).observable.jobs;
  expect(seen).toEqual([{ id: job.id, status: 'SUCCESS', report: expect.objectContaining({ success: true }) }]);
  expect(cortex.runs('hold-restart')).toHaveLength(1);
}, 90_000);
