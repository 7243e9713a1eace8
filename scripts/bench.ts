/**
 * npm run bench [-- --cases 1000000 --small 10000 --seconds 8 --rounds 3 --clients 8]
 * npm run bench -- --smoke     (CI smoke, under a minute: 2,000 and 1,000 cases, 1 s × 1 round)
 *
 * The reference page of performance.md: an analyst of an organisation that sees ~6 % of the
 * cases asks for the 50 newest visible cases with effective permissions, visible tasks and
 * observables, all shares, and totalCount. Compares, in one interleaved run on loopback:
 *   floor — one prepared statement through `pg`, JSON assembled by PostgreSQL, behind a bare
 *           node:http server (the same HTTP + JSON + pg path, no GraphQL);
 *   api   — the compiled server's POST /graphql, run as deployed (NODE_ENV=production).
 * Reports throughput and p50 as ratios to the floor, SQL statements per API request (pages of 5
 * and 50), and the API's p50 at the small size vs the full size (1M ÷ 10k by default); then, at the
 * full size, the single-case page with everything nested and the portal's case list (API only, with
 * their statements per request). Seeding goes in chunks of 20,000 cases (set-based INSERT … SELECT)
 * with a progress bar, and its time is reported. Ratios only: absolute times on
 * these machines drift by ±30 % between runs. --profile writes a CPU profile of the API server; --keep keeps the database.
 * Then the write workload (bench-writes.ts: the audit hash chain's cost, R41); --writes-only runs just that.
 * Then alerts (bench-alerts.ts: ingestion vs a raw-SQL floor, the alert page with similarCases); --alerts-only runs just that.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn, ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { adminUrl, withDatabase } from '../test/support/database-url';
import { benchWrites } from './bench-writes';
import { benchAlerts } from './bench-alerts';
import { countStatements as countIn, load as loadWith, startFloorProcess, twoPorts } from './bench-support';
import { CASE_QUERY, PAGE_QUERY, PORTAL_QUERY } from './bench-queries';

const args = (() => {
  const get = (n: string, d: number) => {
    const i = process.argv.indexOf(`--${n}`);
    return i >= 0 ? Number(process.argv[i + 1]) : d;
  };
  const profile = process.argv.includes('--profile') ? path.resolve('bench-profiles') : undefined;
  const keep = process.argv.includes('--keep');
  if (process.argv.includes('--smoke')) return { cases: 2_000, small: 1_000, seconds: 1, clients: 4, rounds: 1, alertCases: 500, profile, keep };
  return {
    cases: get('cases', 1_000_000),
    small: get('small', 10_000),
    seconds: get('seconds', 8),
    clients: get('clients', 8),
    rounds: get('rounds', 3),
    alertCases: get('alert-cases', 100_000),
    profile,
    keep,
  };
})();
const ORGS = 32;
const PASSWORD = 'bench-password-1';

/** The floor: the same page as one statement, visibility by the share(organisation_id, case_id) index. */
const FLOOR_SQL = `
WITH page AS (
  SELECT c.id, c.number, c.title, c.severity, c.status, c.created_at, s.id AS share_id, sp.permissions AS sperm
    FROM "case" c JOIN share s ON s.case_id = c.id AND s.organisation_id = $1 JOIN profile sp ON sp.id = s.profile_id
   ORDER BY c.created_at DESC, c.id DESC LIMIT $3)
SELECT json_build_object('data', json_build_object('cases', json_build_object(
  'totalCount', (SELECT count(*) FROM share WHERE organisation_id = $1),
  'edges', COALESCE((SELECT json_agg(json_build_object('cursor', p.id, 'node', json_build_object(
     'id', p.id, 'number', p.number, 'title', p.title, 'severity', p.severity, 'status', p.status, 'createdAt', p.created_at,
     'myPermissions', ARRAY(SELECT x FROM unnest(p.sperm) x WHERE x = ANY($2)),
     'tasks', COALESCE((SELECT json_agg(json_build_object('id', t.id, 'title', t.title, 'status', t.status))
                 FROM task_share ts JOIN task t ON t.id = ts.task_id WHERE ts.share_id = p.share_id), '[]'),
     'observables', COALESCE((SELECT json_agg(json_build_object('id', o.id, 'dataType', o.data_type, 'data', o.data))
                 FROM observable_share os JOIN observable o ON o.id = os.observable_id WHERE os.share_id = p.share_id), '[]'),
     'shares', (SELECT json_agg(json_build_object('id', sh.id, 'owner', sh.owner, 'organisation', json_build_object('name', og.name),
                 'profile', json_build_object('name', pr.name)))
                 FROM share sh JOIN organisation og ON og.id = sh.organisation_id JOIN profile pr ON pr.id = sh.profile_id WHERE sh.case_id = p.id)
   )) ORDER BY p.created_at DESC, p.id DESC) FROM page p), '[]')))) AS body`;

async function sql(db: Client, text: string, params: unknown[] = []) {
  return (await db.query(text, params)).rows;
}

/** Cases g = from..to: owner org g % ORGS; org 0 (bench) owns 1/32 and receives shares on another 1/32. */
async function generateChunk(db: Client, from: number, to: number, adminId: string) {
  await sql(
    db,
    `
    INSERT INTO "case" (organisation_id, number, title, description, severity, status, created_by, created_at, updated_at)
    SELECT o.id, g, 'Case ' || g, 'Generated case ' || g, 1 + g % 4, (ARRAY['NEW','IN_PROGRESS','RESOLVED'])[1 + g % 3], $3,
           timestamptz '2026-01-01' + g * interval '1 minute', timestamptz '2026-01-01' + g * interval '1 minute'
      FROM generate_series($1::int, $2::int) g JOIN organisation o ON o.name = 'bench-org-' || (g % ${ORGS})`,
    [from, to, adminId],
  );
  // By created_at (case g was created at minute g): the index keeps each chunk's scans to its own
  // rows, where c.number (not indexed alone) would scan the whole, growing table every chunk.
  const range = `c.created_at BETWEEN timestamptz '2026-01-01' + ${from} * interval '1 minute' AND timestamptz '2026-01-01' + ${to} * interval '1 minute'`;
  await sql(
    db,
    `INSERT INTO share (case_id, organisation_id, profile_id, owner, task_rule, observable_rule)
    SELECT c.id, c.organisation_id, (SELECT id FROM profile WHERE name = 'all'), true, 'ALL', 'ALL' FROM "case" c WHERE ${range}`,
  );
  // Extra shares: every case with the next organisation; 1/32 of them (owner org 1) with the bench org.
  await sql(
    db,
    `INSERT INTO share (case_id, organisation_id, profile_id, task_rule, observable_rule)
    SELECT c.id, o2.id, (SELECT id FROM profile WHERE name = CASE WHEN c.number % 2 = 0 THEN 'analyst' ELSE 'read-only' END), 'MANUAL', 'MANUAL'
      FROM "case" c JOIN organisation o2 ON o2.name = 'bench-org-' || ((c.number + 1) % ${ORGS})
     WHERE ${range} AND c.number % ${ORGS} <> ${ORGS - 1}`,
  );
  await sql(
    db,
    `INSERT INTO share (case_id, organisation_id, profile_id, task_rule, observable_rule)
    SELECT c.id, o2.id, (SELECT id FROM profile WHERE name = 'read-only'), 'MANUAL', 'MANUAL'
      FROM "case" c JOIN organisation o2 ON o2.name = 'bench-org-' || ((c.number + 7) % ${ORGS})
     WHERE ${range} AND c.number % 3 = 0`,
  );
  await sql(
    db,
    `INSERT INTO share (case_id, organisation_id, profile_id, task_rule, observable_rule)
    SELECT c.id, (SELECT id FROM organisation WHERE name = 'bench-org-0'), (SELECT id FROM profile WHERE name = 'analyst'), 'ALL', 'ALL'
      FROM "case" c WHERE ${range} AND c.number % ${ORGS} = 1 ON CONFLICT DO NOTHING`,
  );
  // Tasks (2 per case) and observables (3–4 per case), held by the owner share and by half of the others.
  await sql(
    db,
    `INSERT INTO task (case_id, title, status, created_by) SELECT c.id, 'Task ' || k || ' of ' || c.number, 'WAITING', $1
    FROM "case" c, generate_series(1, 2) k WHERE ${range}`,
    [adminId],
  );
  await sql(
    db,
    `INSERT INTO observable (case_id, data_type, data, created_by) SELECT c.id, 'ip', '10.' || (c.number % 250) || '.' || k || '.1', $1
    FROM "case" c, generate_series(1, 3 + c.number % 2) k WHERE ${range}`,
    [adminId],
  );
  await sql(
    db,
    `INSERT INTO task_share (share_id, task_id) SELECT s.id, t.id FROM task t JOIN "case" c ON c.id = t.case_id
    JOIN share s ON s.case_id = c.id WHERE ${range} AND (s.owner OR (hashtext(t.id::text || s.id::text) & 1) = 0)`,
  );
  await sql(
    db,
    `INSERT INTO observable_share (share_id, observable_id) SELECT s.id, o.id FROM observable o JOIN "case" c ON c.id = o.case_id
    JOIN share s ON s.case_id = c.id WHERE ${range} AND (s.owner OR (hashtext(o.id::text || s.id::text) & 1) = 0)`,
  );
}

const CHUNK = 20_000;

/** Cases from..to in chunks, with a progress bar on stderr; returns the seconds it took. */
async function generate(db: Client, from: number, to: number, adminId: string): Promise<number> {
  const t0 = performance.now();
  const bar = (done: number) => {
    const f = (done - from + 1) / (to - from + 1);
    process.stderr.write(
      `\r  seeding [${'#'.repeat(Math.round(f * 30)).padEnd(30, '.')}] ${(f * 100).toFixed(0).padStart(3)}% ${done}/${to} cases, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
  };
  for (let a = from; a <= to; a += CHUNK) {
    const b = Math.min(to, a + CHUNK - 1);
    await generateChunk(db, a, b, adminId);
    bar(b);
  }
  process.stderr.write('\n');
  await sql(
    db,
    `UPDATE organisation o SET case_counter = GREATEST(case_counter, (SELECT COALESCE(max(number), 0) FROM "case" c WHERE c.organisation_id = o.id))`,
  );
  // As autovacuum would soon after a bulk insert: sets the visibility map, so counts can be index-only scans.
  await sql(db, 'VACUUM ANALYZE');
  return (performance.now() - t0) / 1000;
}

/**
 * An external user of the bench organisation with portal access to 50 of its cases; returns a
 * portal token. Made in SQL (no invitation e-mail): its password hash is the bench analyst's.
 */
async function portalUser(db: Client, portalUrl: string, orgId: string, adminId: string): Promise<string> {
  await sql(
    db,
    `INSERT INTO app_user (login, name, email, type, password_hash)
    SELECT 'portal@bench.test', 'Portal', 'portal@bench.test', 'EXTERNAL', password_hash FROM app_user WHERE login = 'analyst@bench.test'`,
  );
  const [{ id: userId }] = await sql(db, "SELECT id FROM app_user WHERE login = 'portal@bench.test'");
  await sql(db, "INSERT INTO membership (user_id, organisation_id, profile_id) SELECT $1, $2, id FROM profile WHERE name = 'external-actor'", [userId, orgId]);
  // A grant belongs to the share that made it (R23): here the owner share.
  await sql(
    db,
    `INSERT INTO external_grant (case_id, user_id, granted_by, share_id)
    SELECT c.id, $1, $3, s.id FROM "case" c JOIN share s ON s.case_id = c.id AND s.owner
     WHERE c.organisation_id = $2 ORDER BY c.created_at DESC LIMIT 50`,
    [userId, orgId, adminId],
  );
  const r = await fetch(portalUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation($p: String!) { login(login: "portal@bench.test", password: $p) { token } }', variables: { p: PASSWORD } }),
  });
  const b = (await r.json()) as { data?: { login: { token: string } }; errors?: unknown };
  if (!b.data) throw new Error(`portal login: ${JSON.stringify(b.errors)}`);
  return b.data.login.token;
}

async function startApi(databaseUrl: string, dataDir: string, port: number): Promise<ChildProcess> {
  // --profile: a V8 CPU profile of the API server (written on exit) into ./bench-profiles.
  const nodeArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
  const proc = spawn(process.execPath, [...nodeArgs, path.join(__dirname, '..', 'src', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      PORT: String(port),
      INITIAL_ADMIN_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: '8',
      // As deployed: graphql-js (among others) skips its development-mode checks, ~20 % of the API's CPU on this page.
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return proc;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('API server did not start');
}

/** The floor's server, in a child process like the API's, so the load generator measures both alike. */
function startFloor(databaseUrl: string, port: number, orgId: string, perms: string[]): Promise<ChildProcess> {
  const code = `
    const http = require('node:http'); const { Pool } = require(${JSON.stringify(require.resolve('pg'))});
    const pool = new Pool({ connectionString: ${JSON.stringify(databaseUrl)}, max: 8 });
    const q = { name: 'floor-page', text: ${JSON.stringify(FLOOR_SQL)} };
    http.createServer((req, res) => {
      let body = ''; req.on('data', (d) => body += d); req.on('end', async () => {
        const first = JSON.parse(body).variables.first;
        const r = await pool.query({ ...q, values: [${JSON.stringify(orgId)}, ${JSON.stringify(perms)}, first] });
        res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(r.rows[0].body));
      });
    }).listen(${port}, '127.0.0.1', () => console.log('ready'));`;
  return startFloorProcess(code);
}

const load = (url: string, token: string, seconds: number, clients: number, query = PAGE_QUERY, variables: Record<string, unknown> = { first: 50 }) =>
  loadWith(url, token, seconds, clients, query, variables);
const countStatements = (databaseUrl: string, token: string, variables: Record<string, unknown>, query = PAGE_QUERY, endpoint = '/graphql') =>
  countIn(databaseUrl, PASSWORD, token, variables, query, endpoint);

async function main() {
  const name = `hive_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl(), connectionTimeoutMillis: 3000 });
  await admin.connect();
  // The reference page's database only when that workload runs: --alerts-only and --writes-only
  // make their own, and with --keep left an empty one behind.
  const only = process.argv.includes('--writes-only') || process.argv.includes('--alerts-only');
  if (!only) await admin.query(`CREATE DATABASE ${name}`);
  const databaseUrl = withDatabase(adminUrl(), name);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-'));
  const [apiPort, floorPort] = twoPorts();
  let api: ChildProcess | undefined;
  let floor: ChildProcess | undefined;
  const db = new Client({ connectionString: databaseUrl });
  const writes = () => benchWrites({ password: PASSWORD, seconds: args.seconds, clients: args.clients, rounds: args.rounds });
  const alerts = () => benchAlerts({ password: PASSWORD, seconds: args.seconds, rounds: args.rounds, cases: args.alertCases, keep: args.keep });
  try {
    if (process.argv.includes('--writes-only')) {
      await writes();
      return;
    }
    if (process.argv.includes('--alerts-only')) {
      if ((await alerts()).errors) process.exitCode = 1;
      return;
    }
    api = await startApi(databaseUrl, dataDir, apiPort);
    await db.connect();
    const apiUrl = `http://127.0.0.1:${apiPort}/graphql`;
    const gql = async (query: string, token?: string) => {
      const r = await fetch(apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query }),
      });
      const b = (await r.json()) as { data: any; errors?: unknown };
      if (b.errors) throw new Error(JSON.stringify(b.errors));
      return b.data;
    };
    const adminToken = (await gql(`mutation { login(login: "admin@thehive.local", password: "${PASSWORD}") { token } }`)).login.token;
    for (let i = 0; i < ORGS; i++) await gql(`mutation { createOrganisation(name: "bench-org-${i}") { id } }`, adminToken);
    await gql(
      `mutation { createUser(login: "analyst@bench.test", name: "Bench", password: "${PASSWORD}", organisation: "bench-org-0", profile: "analyst") { id } }`,
      adminToken,
    );
    const token = (await gql(`mutation { login(login: "analyst@bench.test", password: "${PASSWORD}") { token } }`)).login.token;
    const [{ id: adminId }] = await sql(db, "SELECT id FROM app_user WHERE login = 'admin@thehive.local'");
    const [{ id: orgId }] = await sql(db, "SELECT id FROM organisation WHERE name = 'bench-org-0'");
    const perms = ['manageCase', 'manageObservable', 'manageAlert', 'manageTask', 'manageAnalyse', 'manageAction']; // analyst (R9), Cortex on (R7 default)
    floor = await startFloor(databaseUrl, floorPort, orgId, perms);
    const floorUrl = `http://127.0.0.1:${floorPort}/`;

    const measure = async (label: string) => {
      const [{ n: visible }] = await sql(db, 'SELECT count(*)::int AS n FROM share WHERE organisation_id = $1', [orgId]);
      const [{ n: total }] = await sql(db, 'SELECT count(*)::int AS n FROM "case"');
      await load(apiUrl, token, 1, args.clients); // warm-up
      await load(floorUrl, token, 1, args.clients);
      const f: Array<{ rps: number; p50: number; errors: number }> = [];
      const a: typeof f = [];
      for (let r = 0; r < args.rounds; r++) {
        f.push(await load(floorUrl, token, args.seconds, args.clients));
        a.push(await load(apiUrl, token, args.seconds, args.clients));
        console.log(`  round ${r + 1}: throughput ${(f[r]!.rps / a[r]!.rps).toFixed(2)}× slower, p50 ${(a[r]!.p50 / f[r]!.p50).toFixed(2)}× the floor`);
      }
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      const res = {
        label,
        totalCases: total,
        visibleCases: visible,
        floor: { rps: mean(f.map((x) => x.rps)), p50Ms: mean(f.map((x) => x.p50)) },
        api: { rps: mean(a.map((x) => x.rps)), p50Ms: mean(a.map((x) => x.p50)), errors: a.reduce((s, x) => s + x.errors, 0) },
      };
      console.log(
        `${label}: ${total} cases, ${visible} visible — floor ${res.floor.rps.toFixed(1)} req/s p50 ${res.floor.p50Ms.toFixed(1)} ms; ` +
          `api ${res.api.rps.toFixed(1)} req/s p50 ${res.api.p50Ms.toFixed(1)} ms (${res.api.errors} errors) → ` +
          `throughput ${(res.floor.rps / res.api.rps).toFixed(2)}× slower, p50 ${(res.api.p50Ms / res.floor.p50Ms).toFixed(2)}× the floor`,
      );
      return res;
    };

    console.log(`generating ${args.small} cases…`);
    const seedSmall = await generate(db, 1, args.small, adminId);
    const small = await measure('small');
    console.log(`generating up to ${args.cases} cases…`);
    const seedFull = await generate(db, args.small + 1, args.cases, adminId);
    const full = await measure('full');

    // The single-case page (the newest visible case) and the portal's case list, at the full size.
    const [{ id: caseId }] = await sql(
      db,
      `SELECT c.id FROM "case" c JOIN share s ON s.case_id = c.id AND s.organisation_id = $1
      ORDER BY c.created_at DESC LIMIT 1`,
      [orgId],
    );
    const portalUrl = `http://127.0.0.1:${apiPort}/portal/graphql`;
    const portalToken = await portalUser(db, portalUrl, orgId, adminId);
    await load(apiUrl, token, 1, args.clients, CASE_QUERY, { id: caseId });
    await load(portalUrl, portalToken, 1, args.clients, PORTAL_QUERY, {});
    const casePage = await load(apiUrl, token, args.seconds, args.clients, CASE_QUERY, { id: caseId });
    const portalList = await load(portalUrl, portalToken, args.seconds, args.clients, PORTAL_QUERY, {});
    api.kill('SIGTERM');
    await new Promise((r) => api!.once('exit', r));
    api = undefined;
    const s5 = await countStatements(databaseUrl, token, { first: 5 });
    const s50 = await countStatements(databaseUrl, token, { first: 50 });
    const sCase = await countStatements(databaseUrl, token, { id: caseId }, CASE_QUERY);
    const sPortal = await countStatements(databaseUrl, portalToken, {}, PORTAL_QUERY, '/portal/graphql');
    const api1 = (x: { rps: number; p50: number; errors: number }, statements: number) => ({
      rps: +x.rps.toFixed(1),
      p50Ms: +x.p50.toFixed(1),
      errors: x.errors,
      statements,
    });
    const w = await writes();
    const al = await alerts();
    console.log(
      JSON.stringify(
        {
          writesChainedVsUnchained: w.ratio,
          alerts: al,
          throughputVsFloor: +(full.floor.rps / full.api.rps).toFixed(2),
          p50VsFloor: +(full.api.p50Ms / full.floor.p50Ms).toFixed(2),
          statementsPerRequest: { page5: s5, page50: s50 },
          apiP50FullVsSmall: +(full.api.p50Ms / small.api.p50Ms).toFixed(2),
          sizes: { small: small.totalCases, full: full.totalCases, visibleFull: full.visibleCases },
          seedingSeconds: { small: Math.round(seedSmall), full: Math.round(seedFull) },
          casePage: api1(casePage, sCase),
          portalCaseList: api1(portalList, sPortal),
        },
        null,
        2,
      ),
    );
    if (full.api.errors + casePage.errors + portalList.errors + al.errors > 0) process.exitCode = 1;
  } finally {
    api?.kill('SIGKILL');
    floor?.kill('SIGKILL');
    await db.end().catch(() => undefined);
    if (only) {
      /* no database of its own */
    } else if (args.keep) console.log(`kept database: ${databaseUrl}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
