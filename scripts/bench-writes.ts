/**
 * The write workload of `npm run bench` (R41): what the hash chain costs a write. Several clients
 * of ONE organisation (the worst case: every append queues on that organisation's chain head)
 * update their own case in a loop; each write is one transaction with one audit entry. The same
 * server build, run as deployed, on two fresh databases, measured in alternating rounds:
 *   chained   — as migrated: each entry is linked into its chain at COMMIT (trigger audit_seal,
 *               which locks the organisation's chain head);
 *   unchained — the same schema with that trigger dropped: entries are inserted as before R41
 *               (they still carry their content hash, a few microseconds of the server's CPU).
 * Reports writes/s of each and the ratio; the target is within 1.2×.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn, ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { adminUrl, withDatabase } from '../test/support/database-url';
import { twoPorts } from './bench-support';

export interface WriteBenchOptions {
  password: string;
  seconds: number;
  clients: number;
  rounds: number;
}

export async function startServer(opts: { password: string }, databaseUrl: string, dataDir: string, port: number): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [path.join(__dirname, '..', 'src', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      PORT: String(port),
      INITIAL_ADMIN_PASSWORD: opts.password,
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: '8',
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
  proc.kill('SIGKILL');
  throw new Error('API server did not start');
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const r = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const b = (await r.json()) as { data: any; errors?: unknown };
  if (b.errors) throw new Error(JSON.stringify(b.errors));
  return b.data;
}

const UPDATE = 'mutation($id: ID!, $t: String!) { updateCase(id: $id, input: { title: $t }) { id } }';

async function writeLoad(url: string, token: string, cases: string[], seconds: number): Promise<{ wps: number; errors: number }> {
  let done = 0;
  let errors = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    cases.map(async (id, c) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const res = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: UPDATE, variables: { id, t: `write ${c}-${i}-${Date.now()}` } }),
        });
        const text = await res.text();
        if (res.status !== 200 || text.includes('"errors"')) errors++;
        else done++;
      }
    }),
  );
  return { wps: done / seconds, errors };
}

/** Users, and one case per client, through the API of a fresh server. */
async function prepare(url: string, opts: WriteBenchOptions): Promise<{ token: string; cases: string[] }> {
  const admin = (await gql(url, 'mutation($p: String!) { login(login: "admin@thehive.local", password: $p) { token } }', { p: opts.password })).login.token;
  await gql(url, 'mutation { createOrganisation(name: "bench-writes") { id } }', {}, admin);
  await gql(
    url,
    'mutation($p: String!) { createUser(login: "writer@bench.test", name: "Writer", password: $p, organisation: "bench-writes", profile: "analyst") { id } }',
    { p: opts.password },
    admin,
  );
  const token = (await gql(url, 'mutation($p: String!) { login(login: "writer@bench.test", password: $p) { token } }', { p: opts.password })).login.token;
  const cases: string[] = [];
  for (let c = 0; c < opts.clients; c++)
    cases.push((await gql(url, 'mutation($t: String!) { createCase(input: { title: $t }) { id } }', { t: `bench case ${c}` }, token)).createCase.id);
  return { token, cases };
}

export async function benchWrites(opts: WriteBenchOptions): Promise<{ chainedWps: number; unchainedWps: number; ratio: number; errors: number }> {
  const [port, port2] = twoPorts();
  const names = ['chained', 'unchained'].map((v) => `hive_bench_writes_${v}_${randomBytes(3).toString('hex')}`);
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  const servers: ChildProcess[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-writes-'));
  try {
    for (const n of names) await admin.query(`CREATE DATABASE ${n}`);
    const [chainedDb, unchainedDb] = names.map((n) => withDatabase(adminUrl(), n));
    const chained = `http://127.0.0.1:${port}`;
    const unchained = `http://127.0.0.1:${port2}`;
    servers.push(await startServer(opts, chainedDb, dataDir, port));
    servers.push(await startServer(opts, unchainedDb, dataDir, port2));
    const db = new Client({ connectionString: unchainedDb });
    await db.connect();
    await db.query('DROP TRIGGER audit_seal ON audit');
    await db.end();
    const a = await prepare(chained, opts);
    const u = await prepare(unchained, opts);

    await writeLoad(chained, a.token, a.cases, 1); // warm-up
    await writeLoad(unchained, u.token, u.cases, 1);
    const cw: number[] = [];
    const uw: number[] = [];
    let errors = 0;
    for (let r = 0; r < opts.rounds; r++) {
      const x = await writeLoad(unchained, u.token, u.cases, opts.seconds);
      const y = await writeLoad(chained, a.token, a.cases, opts.seconds);
      uw.push(x.wps);
      cw.push(y.wps);
      errors += x.errors + y.errors;
    }
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    const result = { chainedWps: +mean(cw).toFixed(1), unchainedWps: +mean(uw).toFixed(1), ratio: +(mean(uw) / mean(cw)).toFixed(2), errors };
    console.log(
      `writes (${opts.clients} clients, one organisation): unchained ${result.unchainedWps} writes/s, chained ${result.chainedWps} writes/s → ` +
        `the chain costs ${result.ratio}× (target ≤ 1.2×; ${errors} errors)`,
    );
    return result;
  } finally {
    for (const s of servers) s.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
    for (const n of names) await admin.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
    await admin.end();
  }
}
