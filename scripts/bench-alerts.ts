/**
 * The alert workloads of `npm run bench` (R34, R35), on a fresh database and a server run as deployed:
 *   ingestion — 8 clients push alerts with 20 observables each through createAlert (validation,
 *               R11b re-check, alert + observables + audit entry in one transaction), against a
 *               raw-SQL floor that inserts the same alert and observables in ONE statement per alert
 *               behind a bare node:http server (same HTTP + JSON + pg path, no GraphQL, no audit);
 *               alternating rounds, alerts/s of each and the ratio;
 *   page      — the 50 newest alerts with their observables and similarCases (each with its case),
 *               with `cases` cases of 3 observables in the organisation (each alert shares 2 with ~4 cases),
 *               against a raw-SQL floor that builds the same page's JSON in ONE statement (the
 *               organisation's alerts, similar cases among the observables its shares hold; no R39
 *               expiry, no GraphQL): alternating rounds, requests/s and p50 of each and the ratios,
 *               and SQL statements per request for pages of 5 and 50 (must be equal).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { adminUrl, withDatabase } from '../test/support/database-url';
import { startServer } from './bench-writes';
import { countStatements, load, startFloorProcess, twoPorts } from './bench-support';

export interface AlertBenchOptions {
  password: string;
  seconds: number;
  rounds: number;
  /** Cases in the organisation, each with 3 observables, for similarCases to search. */
  cases: number;
  /** Keep the database (its URL is printed). */
  keep?: boolean;
}

const CLIENTS = 8;
const OBSERVABLES = 20;

const CREATE = 'mutation Push($input: CreateAlertInput!) { createAlert(input: $input) { id } }';

export const ALERT_PAGE_QUERY = `query Alerts($first: Int!) { alerts(first: $first) { totalCount edges { cursor node {
  id type source sourceRef title severity date status read tags
  observables { dataType data }
  similarCases { sharedObservables case { id number title } } } } } }`;

/**
 * The address pool cases and alerts draw from: `pool` addresses, each held by about 4 cases
 * (case number mod pool), so an alert shares its 2 pool addresses with a few cases, as a recurring
 * indicator would — not with every case.
 */
const poolOf = (cases: number) => Math.max(1, Math.floor(cases / 4));
const poolAddress = (id: number, k: number) => `10.${Math.floor(id / 250) % 250}.${id % 250}.${k}`;

/** Alert `i` of client `c` in a run: 2 observables that cases of the organisation hold, 18 of its own. */
function alertInput(run: string, c: number, i: number, pool: number) {
  const n = c * 1_000_003 + i;
  return {
    input: {
      type: 'siem',
      source: `bench-${run}`,
      sourceRef: `${c}-${i}`,
      title: `Alert ${c}-${i}`,
      description: 'pushed by the bench',
      severity: 1 + (n % 4),
      tags: ['bench'],
      observables: Array.from({ length: OBSERVABLES }, (_, k) =>
        k < 2 ? { dataType: 'ip', data: poolAddress(n % pool, k + 1) } : { dataType: 'domain', data: `host-${run}-${c}-${i}-${k}.example` },
      ),
    },
  };
}

/** The floor: the same alert and observables in one INSERT … RETURNING + INSERT … SELECT statement. */
const FLOOR_SQL = `WITH a AS (
  INSERT INTO alert (organisation_id, type, source, source_ref, title, description, severity, tags, created_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
), o AS (
  INSERT INTO alert_observable (alert_id, data_type, data, position)
  SELECT a.id, x."dataType", x.data, x.n FROM a, ROWS FROM (json_to_recordset($10::json) AS ("dataType" text, data text)) WITH ORDINALITY AS x("dataType", data, n)
)
SELECT id FROM a`;

/**
 * The page's floor: ALERT_PAGE_QUERY's answer built by PostgreSQL in one statement, sent as is. The
 * same rows as the API's (newest 50 of the organisation, observables in push order, at most 50
 * similar cases per alert ranked by shared observables among those the organisation's shares hold).
 */
const FLOOR_PAGE_SQL = `SELECT json_build_object('data', json_build_object('alerts', json_build_object(
  'totalCount', (SELECT count(*) FROM alert WHERE organisation_id = $1),
  'edges', COALESCE((SELECT json_agg(json_build_object('cursor', p.id, 'node', json_build_object(
    'id', p.id, 'type', p.type, 'source', p.source, 'sourceRef', p.source_ref, 'title', p.title, 'severity', p.severity,
    'date', p.date, 'status', p.status, 'read', p.read, 'tags', p.tags,
    'observables', (SELECT COALESCE(json_agg(json_build_object('dataType', ao.data_type, 'data', ao.data) ORDER BY ao.position), '[]')
                      FROM alert_observable ao WHERE ao.alert_id = p.id),
    'similarCases', (SELECT COALESCE(json_agg(json_build_object('sharedObservables', m.n, 'case', json_build_object('id', c.id, 'number', c.number, 'title', c.title))
                      ORDER BY m.n DESC, m.case_id), '[]')
      FROM (SELECT hit.case_id, count(DISTINCT ao.id)::int AS n FROM alert_observable ao
              CROSS JOIN LATERAL (SELECT ob.case_id FROM observable ob
                JOIN observable_share os ON os.observable_id = ob.id JOIN share s ON s.id = os.share_id AND s.organisation_id = $1
               WHERE ob.data_type = ao.data_type AND md5(ob.data) = md5(ao.data) AND ob.data = ao.data OFFSET 0) hit
             WHERE ao.alert_id = p.id GROUP BY hit.case_id ORDER BY n DESC, hit.case_id LIMIT 50) m
      JOIN "case" c ON c.id = m.case_id)))
    ORDER BY p.date DESC, p.id DESC)
    FROM (SELECT * FROM alert WHERE organisation_id = $1 ORDER BY date DESC, id DESC LIMIT $2) p), '[]'))))::text AS body`;

function startFloor(databaseUrl: string, port: number, orgId: string, userId: string): Promise<ChildProcess> {
  const code = `
    const http = require('node:http'); const { Pool } = require(${JSON.stringify(require.resolve('pg'))});
    const pool = new Pool({ connectionString: ${JSON.stringify(databaseUrl)}, max: 8 });
    const text = ${JSON.stringify(FLOOR_SQL)};
    const page = ${JSON.stringify(FLOOR_PAGE_SQL)};
    http.createServer((req, res) => {
      let body = ''; req.on('data', (d) => body += d); req.on('end', async () => {
        const v = JSON.parse(body).variables;
        res.setHeader('content-type', 'application/json');
        if (req.url === '/page') {
          const r = await pool.query({ name: 'floor-page', text: page, values: [${JSON.stringify(orgId)}, v.first] });
          return res.end(r.rows[0].body);
        }
        const i = v.input;
        const r = await pool.query({ name: 'floor-alert', text, values: [${JSON.stringify(orgId)}, i.type, i.source, i.sourceRef, i.title, i.description, i.severity, i.tags,
          ${JSON.stringify(userId)}, JSON.stringify(i.observables)] });
        res.end(JSON.stringify({ data: { createAlert: { id: r.rows[0].id } } }));
      });
    }).listen(${port}, '127.0.0.1', () => console.log('ready'));`;
  return startFloorProcess(code);
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const b = (await r.json()) as { data: any; errors?: unknown };
  if (b.errors) throw new Error(JSON.stringify(b.errors));
  return b.data;
}

/** `n` cases of the organisation with owner shares and 3 observables each (pool addresses .1–.3, as poolAddress), set-based. */
async function seedCases(db: Client, orgId: string, userId: string, n: number): Promise<void> {
  await db.query(`INSERT INTO "case" (organisation_id, number, title, created_by) SELECT $1, g, 'Case ' || g, $2 FROM generate_series(1, $3::int) g`, [
    orgId,
    userId,
    n,
  ]);
  await db.query(
    `INSERT INTO share (case_id, organisation_id, profile_id, owner, task_rule, observable_rule)
    SELECT c.id, c.organisation_id, (SELECT id FROM profile WHERE name = 'all'), true, 'ALL', 'ALL' FROM "case" c WHERE c.organisation_id = $1`,
    [orgId],
  );
  await db.query(
    `INSERT INTO observable (case_id, data_type, data, created_by)
    SELECT c.id, 'ip', '10.' || ((c.number % $3) / 250 % 250) || '.' || (c.number % $3 % 250) || '.' || k, $2
      FROM "case" c, generate_series(1, 3) k WHERE c.organisation_id = $1`,
    [orgId, userId, poolOf(n)],
  );
  await db.query(
    `INSERT INTO observable_share (share_id, observable_id) SELECT s.id, o.id FROM observable o JOIN share s ON s.case_id = o.case_id WHERE s.organisation_id = $1`,
    [orgId],
  );
  await db.query('UPDATE organisation SET case_counter = $2 WHERE id = $1', [orgId, n]);
  await db.query('VACUUM ANALYZE');
}

export async function benchAlerts(opts: AlertBenchOptions) {
  const [port, floorPort] = twoPorts();
  const name = `hive_bench_alerts_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-alerts-'));
  const procs: ChildProcess[] = [];
  const db = new Client({ connectionString: withDatabase(adminUrl(), name) });
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const databaseUrl = withDatabase(adminUrl(), name);
    procs.push(await startServer(opts, databaseUrl, dataDir, port));
    const api = `http://127.0.0.1:${port}/graphql`;
    const adminToken = (await gql(api, 'mutation($p: String!) { login(login: "admin@thehive.local", password: $p) { token } }', { p: opts.password })).login
      .token;
    await gql(api, 'mutation { createOrganisation(name: "bench-alerts") { id } }', {}, adminToken);
    await gql(api, 'mutation { createUser(login: "siem@bench.test", name: "SIEM", organisation: "bench-alerts", profile: "analyst") { id } }', {}, adminToken);
    // The integration's credential: an API key, as the README's curl example.
    const token = (await gql(api, 'mutation { createApiKey(login: "siem@bench.test") }', {}, adminToken)).createApiKey;
    await db.connect();
    const [{ orgId, userId }] = (
      await db.query(`SELECT o.id AS "orgId", u.id AS "userId" FROM organisation o, app_user u
      WHERE o.name = 'bench-alerts' AND u.login = 'siem@bench.test'`)
    ).rows;
    await seedCases(db, orgId, userId, opts.cases);
    procs.push(await startFloor(databaseUrl, floorPort, orgId, userId));
    const floor = `http://127.0.0.1:${floorPort}/`;

    let run = 0;
    const push = (url: string, seconds: number) => {
      const tag = `${++run}`;
      return load(url, token, seconds, CLIENTS, CREATE, (c, i) => alertInput(tag, c, i, poolOf(opts.cases)));
    };
    /*
     * What autovacuum's autoanalyze does on a real server (after 50 rows + 10 % growth) and nothing
     * does on this one (autovacuum = off in the CI configuration, conf.d/90-ci.conf): re-analyse the
     * alert tables as the pushes grow them from empty, outside the timed windows. Without it, each
     * pooled connection keeps the plan it made for the foreign-key check of alert_observable → alert
     * (SELECT 1 FROM alert WHERE id = $1 FOR KEY SHARE, once per observable) while alert was empty,
     * a sequential scan, which nothing invalidates: createAlert then grows with the alerts pushed
     * (its observables' INSERT from ~1 ms to ~25 ms after 15k alerts), a drift of the bench, not of
     * the API. ANALYZE invalidates those plans; the next ones use the primary key.
     */
    const analyse = () => db.query('ANALYZE alert, alert_observable');
    await push(api, 1); // warm-up
    await push(floor, 1);
    await analyse();
    const a: number[] = [];
    const f: number[] = [];
    let errors = 0;
    for (let r = 0; r < opts.rounds; r++) {
      const x = await push(floor, opts.seconds);
      const y = await push(api, opts.seconds);
      f.push(x.rps);
      a.push(y.rps);
      errors += x.errors + y.errors;
      console.log(`  round ${r + 1}: floor ${x.rps.toFixed(1)} alerts/s, createAlert ${y.rps.toFixed(1)} alerts/s → ${(x.rps / y.rps).toFixed(2)}× slower`);
      await analyse();
    }
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    const ingestion = { apiAlertsPerSecond: +mean(a).toFixed(1), floorAlertsPerSecond: +mean(f).toFixed(1), ratio: +(mean(f) / mean(a)).toFixed(2), errors };
    console.log(
      `alerts: ingestion (${CLIENTS} clients, ${OBSERVABLES} observables each): floor ${ingestion.floorAlertsPerSecond} alerts/s, ` +
        `createAlert ${ingestion.apiAlertsPerSecond} alerts/s → ${ingestion.ratio}× slower (${errors} errors)`,
    );

    // As autovacuum soon would after the pushes: statistics of the grown alert tables.
    await db.query('VACUUM ANALYZE alert, alert_observable');
    const floorPage = `${floor}page`;
    await load(api, token, 1, CLIENTS, ALERT_PAGE_QUERY, { first: 50 }); // warm-up
    await load(floorPage, token, 1, CLIENTS, ALERT_PAGE_QUERY, { first: 50 });
    // A floor is only a floor if it answers the same page: same alerts, observables and similar cases.
    const [apiPage, floorAnswer] = await Promise.all([api, floorPage].map((u) => gql(u, ALERT_PAGE_QUERY, { first: 50 }, token)));
    const comparable = (d: any) =>
      JSON.stringify({ ...d.alerts, edges: d.alerts.edges.map((e: any) => ({ ...e.node, date: new Date(e.node.date).getTime() })) });
    const floorDiffers = comparable(apiPage) !== comparable(floorAnswer) ? 1 : 0;
    if (floorDiffers) console.log('alerts: the floor page differs from the API page (an error of the bench)');
    const pa: Array<{ rps: number; p50: number }> = [];
    const pf: Array<{ rps: number; p50: number }> = [];
    let pageErrors = 0;
    for (let r = 0; r < opts.rounds; r++) {
      const x = await load(floorPage, token, opts.seconds, CLIENTS, ALERT_PAGE_QUERY, { first: 50 });
      const y = await load(api, token, opts.seconds, CLIENTS, ALERT_PAGE_QUERY, { first: 50 });
      pf.push(x);
      pa.push(y);
      pageErrors += x.errors + y.errors;
      console.log(
        `  page round ${r + 1}: floor ${x.rps.toFixed(1)} req/s p50 ${x.p50.toFixed(1)} ms, API ${y.rps.toFixed(1)} req/s p50 ${y.p50.toFixed(1)} ms` +
          ` → ${(x.rps / y.rps).toFixed(2)}× throughput, ${(y.p50 / x.p50).toFixed(2)}× p50`,
      );
    }
    const page = { rps: mean(pa.map((x) => x.rps)), p50: mean(pa.map((x) => x.p50)), errors: pageErrors };
    const floorRps = mean(pf.map((x) => x.rps));
    const floorP50 = mean(pf.map((x) => x.p50));
    procs.shift()!.kill('SIGTERM');
    const s5 = await countStatements(databaseUrl, opts.password, token, { first: 5 }, ALERT_PAGE_QUERY);
    const s50 = await countStatements(databaseUrl, opts.password, token, { first: 50 }, ALERT_PAGE_QUERY);
    const [{ n: alerts }] = (await db.query('SELECT count(*)::int AS n FROM alert')).rows;
    const alertPage = {
      rps: +page.rps.toFixed(1),
      p50Ms: +page.p50.toFixed(1),
      errors: page.errors,
      floorRps: +floorRps.toFixed(1),
      floorP50Ms: +floorP50.toFixed(1),
      ratio: +(floorRps / page.rps).toFixed(2),
      p50Ratio: +(page.p50 / floorP50).toFixed(2),
      statements: { page5: s5, page50: s50 },
      alerts,
      cases: opts.cases,
    };
    console.log(
      `alerts: page of 50 with similarCases (${alerts} alerts, ${opts.cases} cases): floor ${alertPage.floorRps} req/s p50 ${alertPage.floorP50Ms} ms, ` +
        `API ${alertPage.rps} req/s p50 ${alertPage.p50Ms} ms → ${alertPage.ratio}× throughput, ${alertPage.p50Ratio}× p50; ` +
        `SQL statements page of 5 → ${s5}, of 50 → ${s50} (${page.errors} errors)`,
    );
    return { ingestion, alertPage, errors: errors + page.errors + floorDiffers + (s5 === s50 ? 0 : 1) };
  } finally {
    for (const p of procs) p.kill('SIGKILL');
    await db.end().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (opts.keep) console.log(`kept alert database: ${withDatabase(adminUrl(), name)}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
