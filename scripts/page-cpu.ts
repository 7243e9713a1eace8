/**
 * NODE_ENV=production node dist/scripts/page-cpu.js --db <database url> [--n 300] [--login analyst@bench.test]
 *
 * CPU per request of the reference page (bench.ts's PAGE_QUERY), in-process, sequentially, on a
 * database the bench kept (`npm run bench -- --keep …`):
 *   execute — graphql-js `execute` over the built schema with a fresh context (SQL included, no Apollo, no HTTP);
 *   http    — the whole server (express, Apollo, plugins, armor) through loopback, one request at a time
 *             (the client's own CPU is included; it is the same for every variant).
 * Reports ms of process CPU (user+sys) per request: the step-by-step log of issue #14.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execute, parse } from 'graphql';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createContext } from '../src/create-context';
import { buildInternalSchema } from '../src/schema';
import { PAGE_QUERY } from './bench-queries';

const get = (n: string, d?: string) => {
  const i = process.argv.indexOf(`--${n}`);
  return i >= 0 ? process.argv[i + 1]! : d;
};
const databaseUrl = get('db') ?? process.env.DATABASE_URL;
const n = Number(get('n', '300'));
const login = get('login', 'analyst@bench.test')!;
const password = get('password', 'bench-password-1')!;

async function cpuPerCall(n: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(50, n); i++) await fn(); // warm-up (JIT, caches, prepared statements)
  const t = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000 / n;
}

async function main() {
  if (!databaseUrl) throw new Error('--db <database url> (a database kept by npm run bench -- --keep)');
  const app = await startApp(
    loadConfig(
      { NODE_ENV: process.env.NODE_ENV },
      {
        port: 0,
        databaseUrl,
        dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'hive-cpu-')),
        logLevel: 'silent',
        initialAdminPassword: password,
      },
    ),
  );
  try {
    const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const r = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return r.text();
    };
    const token = JSON.parse(await post('mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }', { l: login, p: password })).data
      .login.token;
    const body = await post(PAGE_QUERY, { first: 50 }, token);
    if (body.includes('"errors"')) throw new Error(body.slice(0, 500));
    const schema = buildInternalSchema().schema;
    const document = parse(PAGE_QUERY);
    const exec = async () => {
      const ctx = await createContext(app.services, 'internal', { authorization: `Bearer ${token}` });
      const r = await execute({ schema, document, contextValue: ctx, variableValues: { first: 50 } });
      if (r.errors) throw r.errors[0];
      return JSON.stringify(r);
    };
    const http = () => post(PAGE_QUERY, { first: 50 }, token);
    const result = { nodeEnv: process.env.NODE_ENV ?? 'development', bytes: body.length, executeMs: 0, httpMs: 0 };
    // Interleaved halves, so a burst of load from elsewhere hits both alike.
    const e1 = await cpuPerCall(n / 2, exec);
    const h1 = await cpuPerCall(n / 2, http);
    const e2 = await cpuPerCall(n / 2, exec);
    const h2 = await cpuPerCall(n / 2, http);
    result.executeMs = +((e1 + e2) / 2).toFixed(2);
    result.httpMs = +((h1 + h2) / 2).toFixed(2);
    console.log(JSON.stringify(result));
  } finally {
    await app.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
