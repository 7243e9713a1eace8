/**
 * npm run soak -- --seconds 60 --clients 20 [--minutes 10] [--url http://127.0.0.1:4000 --password …]
 *
 * Drives a mixed workload (case pages, case reads, creates, comments, shares, logins) against a
 * server on loopback — the one at --url, or by default a compiled server it starts on a fresh
 * database of the PostgreSQL server at TEST_DATABASE_URL — bounded in time and in requests, and
 * reports throughput, errors, p50/p99 latency and the server's memory: RSS sampled every 10 s
 * (printed as it goes), and its slope after warm-up (the first fifth of the run, at least 60 s).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminUrl, withDatabase } from '../test/support/database-url';
import { randomPort } from '../test/support/server-process';

interface Args {
  seconds: number;
  clients: number;
  url?: string;
  password: string;
  maxRequests: number;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const minutes = get('minutes');
  const args = {
    seconds: minutes !== undefined ? Number(minutes) * 60 : Number(get('seconds') ?? 60),
    clients: Number(get('clients') ?? 20),
    url: get('url'),
    password: get('password') ?? 'soak-admin-password',
    maxRequests: Number(get('max-requests') ?? 1_000_000),
  };
  if (!(args.seconds > 0 && args.seconds <= 3600) || !(args.clients > 0 && args.clients <= 500))
    throw new Error('--seconds must be 1–3600 and --clients 1–500');
  if (args.url && !/^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(args.url)) throw new Error('--url must be a loopback address');
  return args;
}

async function gql(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: Array<{ message: string }> };
  if (res.status >= 500 || body.errors?.length) throw new Error(body.errors?.[0]?.message ?? `HTTP ${res.status}`);
  return body.data;
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function startOwnServer(password: string) {
  const name = `hive_soak_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl(), connectionTimeoutMillis: 3000 });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const port = randomPort();
  const dataDir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'hive-soak-'));
  const proc = spawn(process.execPath, [path.join(__dirname, '..', 'src', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: withDatabase(adminUrl(), name),
      DATA_DIR: dataDir,
      PORT: String(port),
      INITIAL_ADMIN_PASSWORD: password,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: proc.pid!,
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      const a = new Client({ connectionString: adminUrl() });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * RSS after warm-up (the first fifth of the run, at least 60 s): first and last sample and the
 * least-squares slope in MB per minute. Flat means the slope is small next to the heap's sawtooth.
 */
function warmupSlope(curve: Array<{ s: number; rssMb: number }>, seconds: number) {
  const from = Math.max(60, seconds / 5);
  const pts = curve.filter((p) => p.s >= from);
  if (pts.length < 3) return undefined;
  const mx = pts.reduce((a, p) => a + p.s, 0) / pts.length;
  const my = pts.reduce((a, p) => a + p.rssMb, 0) / pts.length;
  const slope = pts.reduce((a, p) => a + (p.s - mx) * (p.rssMb - my), 0) / pts.reduce((a, p) => a + (p.s - mx) ** 2, 0);
  return {
    fromSecond: pts[0]!.s,
    firstMb: pts[0]!.rssMb,
    lastMb: pts[pts.length - 1]!.rssMb,
    minMb: Math.min(...pts.map((p) => p.rssMb)),
    maxMb: Math.max(...pts.map((p) => p.rssMb)),
    slopeMbPerMinute: Math.round(slope * 60 * 100) / 100,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const own = args.url ? undefined : await startOwnServer(args.password);
  const url = args.url ?? own!.url;
  try {
    const adminToken = (await gql(url, 'mutation($p: String!) { login(login: "admin@thehive.local", password: $p) { token } }', { p: args.password })).login
      .token;
    const suffix = randomBytes(3).toString('hex');
    const soc = `soak-soc-${suffix}`;
    const partner = `soak-partner-${suffix}`;
    for (const n of [soc, partner]) await gql(url, 'mutation($n: String!) { createOrganisation(name: $n) { id } }', { n }, adminToken);
    await gql(url, 'mutation($a: String!, $b: String!) { linkOrganisations(from: $a, to: $b) { id } }', { a: soc, b: partner }, adminToken);
    await gql(
      url,
      'mutation($l: String!, $o: String!) { createUser(login: $l, name: "Soak", password: "soak-user-password", organisation: $o, profile: "incident-handler") { id } }',
      { l: `handler@${soc}.test`, o: soc },
      adminToken,
    );
    const login = () =>
      gql(url, 'mutation($l: String!) { login(login: $l, password: "soak-user-password") { token } }', { l: `handler@${soc}.test` }).then(
        (d) => d.login.token as string,
      );
    const token = await login();
    const caseIds: string[] = [];
    for (let i = 0; i < 20; i++)
      caseIds.push((await gql(url, 'mutation($t: String!) { createCase(input: { title: $t }) { id } }', { t: `seed ${i}` }, token)).createCase.id);

    const latencies: number[] = [];
    let errors = 0;
    let requests = 0;
    const errorSamples = new Map<string, number>();
    const rssStart = own ? rssKb(own.pid) : 0;
    let rssPeak = rssStart;
    const deadline = Date.now() + args.seconds * 1000;
    const ops: Array<() => Promise<unknown>> = [
      () =>
        gql(
          url,
          '{ cases(first: 25) { totalCount edges { node { id title myPermissions tasks { id } observables { id } shares { organisation { name } profile { name } } } } } }',
          {},
          token,
        ),
      () =>
        gql(url, 'query($id: ID!) { case(id: $id) { id title comments { id message } } }', { id: caseIds[Math.floor(Math.random() * caseIds.length)] }, token),
      () =>
        gql(url, 'mutation($t: String!) { createCase(input: { title: $t, severity: 2 }) { id } }', { t: `soak ${requests}` }, token).then((d) =>
          caseIds.push(d.createCase.id),
        ),
      () =>
        gql(
          url,
          'mutation($c: ID!) { addComment(caseId: $c, message: "soak comment") { id } }',
          { c: caseIds[Math.floor(Math.random() * caseIds.length)] },
          token,
        ),
      () =>
        gql(
          url,
          'mutation($c: ID!) { createTask(caseId: $c, input: { title: "soak task" }) { id } }',
          { c: caseIds[Math.floor(Math.random() * caseIds.length)] },
          token,
        ),
      () => gql(url, '{ me { login memberships { organisation { name } } } organisations { name } }', {}, token),
      () => login(),
    ];
    const weights = [30, 25, 10, 15, 10, 8, 2];
    const pick = () => {
      let r = Math.random() * 100;
      for (let i = 0; i < ops.length; i++) {
        if ((r -= weights[i]) < 0) return ops[i];
      }
      return ops[0];
    };
    const sampler = setInterval(() => {
      if (own) rssPeak = Math.max(rssPeak, rssKb(own.pid));
    }, 250);
    // The RSS curve: one sample every 10 s, so a 10-minute run shows whether memory is flat after warm-up.
    const started = Date.now();
    const curve: Array<{ s: number; rssMb: number; requests: number }> = [];
    const sample = () => {
      if (!own) return;
      const point = { s: Math.round((Date.now() - started) / 1000), rssMb: Math.round(rssKb(own.pid) / 102.4) / 10, requests };
      curve.push(point);
      console.error(`soak: ${point.s}s rss ${point.rssMb} MB, ${requests} requests, ${errors} errors`);
    };
    sample();
    const curveTimer = setInterval(sample, 10_000);
    await Promise.all(
      Array.from({ length: args.clients }, async () => {
        while (Date.now() < deadline && requests < args.maxRequests) {
          requests++;
          const t0 = performance.now();
          try {
            await pick()();
          } catch (e) {
            errors++;
            const key = (e as Error).message.slice(0, 80);
            errorSamples.set(key, (errorSamples.get(key) ?? 0) + 1);
          }
          latencies.push(performance.now() - t0);
        }
      }),
    );
    clearInterval(sampler);
    clearInterval(curveTimer);
    sample();
    const rssEnd = own ? rssKb(own.pid) : 0;
    latencies.sort((a, b) => a - b);
    const report = {
      seconds: args.seconds,
      clients: args.clients,
      requests,
      errors,
      throughputPerSecond: Math.round((requests / args.seconds) * 10) / 10,
      p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
      p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
      serverRssStartMb: Math.round(rssStart / 102.4) / 10,
      serverRssEndMb: Math.round(rssEnd / 102.4) / 10,
      serverRssPeakMb: Math.round(rssPeak / 102.4) / 10,
      rssAfterWarmup: warmupSlope(curve, args.seconds),
      rssCurve: curve.map((p) => `${p.s}s:${p.rssMb}`).join(' '), // seconds:MB, one line
      errorSamples: Object.fromEntries(errorSamples),
    };
    console.log(JSON.stringify(report, null, 2));
    if (errors > 0) process.exitCode = 1;
  } finally {
    await own?.stop();
  }
}

main().catch((e) => {
  console.error(`soak failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
