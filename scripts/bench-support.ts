/** What the bench workloads share: a closed-loop load generator and an in-process statement counter. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, ChildProcess } from 'node:child_process';
import { randomPort } from '../test/support/server-process';

/** `clients` closed loops POSTing one GraphQL request for `seconds`; `variables` may differ per request. */
export async function load(
  url: string,
  token: string,
  seconds: number,
  clients: number,
  query: string,
  variables: Record<string, unknown> | ((client: number, i: number) => Record<string, unknown>) = { first: 50 },
) {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = Date.now() + seconds * 1000;
  const fixed = typeof variables === 'function' ? undefined : JSON.stringify({ query, variables });
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const body = fixed ?? JSON.stringify({ query, variables: (variables as (c: number, i: number) => Record<string, unknown>)(c, i) });
        const t0 = performance.now();
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
        const text = await res.text();
        if (res.status !== 200 || text.includes('"errors"')) errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p50: latencies[Math.floor(latencies.length / 2)], errors };
}

/** In-process server with pg's query counted: the number of statements one request costs. */
export async function countStatements(
  databaseUrl: string,
  password: string,
  token: string,
  variables: Record<string, unknown>,
  query: string,
  endpoint = '/graphql',
): Promise<number> {
  const pg = require('pg');
  const { startApp } = require('../src/app');
  const { loadConfig } = require('../src/config');
  const app = await startApp(
    loadConfig(
      {},
      { port: 0, databaseUrl, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-')), logLevel: 'silent', initialAdminPassword: password },
    ),
  );
  const original = pg.Client.prototype.query;
  let n = 0;
  pg.Client.prototype.query = function (...a: unknown[]) {
    n++;
    return original.apply(this, a);
  };
  try {
    const text = await fetch(`${app.url}${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    }).then((r) => r.text());
    if (text.includes('"errors"')) throw new Error(`${endpoint}: ${text.slice(0, 300)}`);
    return n;
  } finally {
    pg.Client.prototype.query = original;
    await app.stop();
  }
}

/**
 * A floor's server: `code` run by `node -e`, which prints a line once it listens. Rejects when the
 * process ends (or says nothing for 30 s) before that, e.g. on EADDRINUSE, so a bench fails instead
 * of waiting forever.
 */
export function startFloorProcess(code: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error('floor server did not start within 30 s'));
    }, 30_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`floor server did not start: ${why}`));
    };
    proc.once('exit', (code) => fail(`exit code ${code}`));
    proc.once('error', (e) => fail(e.message));
    proc.stdout!.once('data', () => {
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      resolve(proc);
    });
  });
}

/**
 * Two different ports for a workload's servers, below the kernel's ephemeral range (randomPort):
 * inside it, an outgoing connection's local port could take one first (EADDRINUSE, seen in CI).
 */
export function twoPorts(): [number, number] {
  const a = randomPort();
  let b = randomPort();
  while (b === a) b = randomPort();
  return [a, b];
}
