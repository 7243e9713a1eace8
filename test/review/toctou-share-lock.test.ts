import { Client } from 'pg';
import { createCaseAs, shareCaseAs } from '../fixtures/cases';
import type { GqlResponse } from '../support/gql-client';
import { useWorld } from '../support/use-world';

/**
 * Review (fixed by locking the case row in its own statement before the scoped read): case-level writes used to lock the CASE row (… FOR UPDATE/SHARE OF c) and
 * read the active organisation's share and its profile in the same statement. unshareCase and
 * updateShare also lock the case row, so they queue behind each other — but when the writer was
 * waiting on that lock, PostgreSQL (READ COMMITTED) hands it the case row from the statement's
 * original snapshot, because unshare/updateShare only LOCKED the case row, they did not update it:
 * no EvalPlanQual recheck happens, and the joined share/profile rows are the stale ones. The write
 * then goes through after the share was removed or downgraded.
 *
 * To make the interleaving deterministic, a side connection holds the audit table in SHARE mode,
 * which parks unshareCase/updateShare at their audit INSERT — after they locked the case and
 * changed the share, before they commit (the real window is every statement of those mutations).
 */
const { server, world } = useWorld();
const gql = () => server.client;

async function waitUntilBlocked(pattern: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const [r] = await server.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
      [pattern],
    );
    if (r.n > 0) return;
    if (Date.now() - started > timeoutMs) throw new Error(`nothing blocked on ${pattern}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/** Runs `change` (an unshare/updateShare) parked before commit, starts `write` behind it, then lets both finish. */
async function race(change: () => Promise<GqlResponse>, write: () => Promise<GqlResponse>, writeSqlPattern: string) {
  const side = new Client({ connectionString: server.databaseUrl });
  await side.connect();
  try {
    await side.query('BEGIN');
    await side.query('LOCK TABLE audit IN SHARE MODE');
    const changed = change();
    await waitUntilBlocked('%INSERT INTO audit%');
    const written = write();
    await waitUntilBlocked(writeSqlPattern);
    await side.query('COMMIT');
    return { changed: await changed, written: await written };
  } finally {
    await side.end();
  }
}

it('R16/R15: partner cannot update a case once its share is removed by a concurrent unshareCase', async () => {
  const k = await createCaseAs(gql(), world.soc.analyst, { title: 'toctou unshare' });
  await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'partner', 'analyst');
  const { changed, written } = await race(
    () => gql().request('mutation($c: ID!) { unshareCase(caseId: $c, organisation: "partner") }', { c: k.id }, world.soc['incident-handler']),
    () => gql().request('mutation($c: ID!) { updateCase(id: $c, input: { title: "written after unshare" }) { id } }', { c: k.id }, world.partner.analyst),
    '%FOR UPDATE%',
  );
  expect(changed.data?.unshareCase).toBe(true);
  // unshareCase committed first; partner no longer holds the case: its write must not land.
  const [row] = await server.sql(`SELECT title FROM "case" WHERE id = $1`, [k.id]);
  expect(row.title).toBe('toctou unshare');
  expect(await server.sql(`SELECT 1 FROM audit WHERE case_id = $1 AND action = 'case.update'`, [k.id])).toHaveLength(0);
  expect(written.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
});

it('R15/R16: partner cannot comment once its share is downgraded to read-only by a concurrent updateShare', async () => {
  const k = await createCaseAs(gql(), world.soc.analyst, { title: 'toctou downgrade' });
  await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'partner', 'analyst');
  const { changed, written } = await race(
    () =>
      gql().request(
        'mutation($c: ID!) { updateShare(caseId: $c, organisation: "partner", profile: "read-only") { id } }',
        { c: k.id },
        world.soc['incident-handler'],
      ),
    () => gql().request('mutation($c: ID!) { addComment(caseId: $c, message: "written after downgrade") { id } }', { c: k.id }, world.partner.analyst),
    '%FOR SHARE%',
  );
  expect(changed.errors).toBeUndefined();
  expect(await server.sql(`SELECT 1 FROM comment WHERE case_id = $1`, [k.id])).toHaveLength(0);
  expect(written.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});
