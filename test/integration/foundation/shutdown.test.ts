import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminUrl, withDatabase } from '../../support/database-url';
import { GqlClient } from '../../support/gql-client';
import { randomPort, ServerProcess, startServerProcess } from '../../support/server-process';

/** SIGTERM lets a request that is still arriving finish, then closes the pool and exits 0. */
const dbName = `hive_shutdown_${process.pid}_${randomBytes(4).toString('hex')}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-shutdown-'));
let server: ServerProcess | undefined;

beforeAll(async () => {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName} TEMPLATE ${process.env.HIVE_TEMPLATE_DB}`);
  await admin.end();
});

afterAll(async () => {
  if (server && server.proc.exitCode === null) {
    server.proc.kill('SIGKILL');
    await server.exited();
  }
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('finishes an in-flight request after SIGTERM, refuses new connections, and exits 0', async () => {
  server = await startServerProcess(
    { DATABASE_URL: withDatabase(adminUrl(), dbName), DATA_DIR: dataDir, INITIAL_ADMIN_PASSWORD: 'shutdown-admin-pw' },
    randomPort(),
  );
  const client = new GqlClient(server.url);
  const token = await client.login('admin@thehive.local', 'shutdown-admin-pw');

  // A request whose body arrives slowly: half now, the rest after SIGTERM.
  const body = JSON.stringify({ query: 'mutation { createOrganisation(name: "late", description: "sent across a shutdown") { name } }' });
  const half = Math.floor(body.length / 2);
  let sendRest!: () => void;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(body.slice(0, half)));
      sendRest = () => {
        controller.enqueue(new TextEncoder().encode(body.slice(half)));
        controller.close();
      };
    },
  });
  const pending = fetch(`${server.url}/graphql`, {
    method: 'POST',
    body: stream,
    duplex: 'half',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': String(Buffer.byteLength(body)) },
  } as RequestInit);
  await new Promise((r) => setTimeout(r, 200));
  server.proc.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  sendRest();
  const res = await pending;
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ data: { createOrganisation: { name: 'late' } } });
  expect(await server.exited()).toBe(0);
  expect(server.output()).toContain('shutting down');
});
