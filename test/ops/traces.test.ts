import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminUrl, withDatabase } from '../support/database-url';
import { GqlClient } from '../support/gql-client';
import { randomPort, ServerProcess, startServerProcess } from '../support/server-process';
import { ADMIN_PASSWORD } from '../support/test-server';

/** OTEL_EXPORTER_OTLP_ENDPOINT set: one trace per request, HTTP → GraphQL operation → SQL, sent as OTLP. */
const dbName = `hive_otel_${process.pid}_${randomBytes(4).toString('hex')}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-otel-'));
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}
const spans: Span[] = [];
let collector: http.Server;
let server: ServerProcess | undefined;

beforeAll(async () => {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName} TEMPLATE ${process.env.HIVE_TEMPLATE_DB}`);
  await admin.end();
  // A minimal OTLP/HTTP JSON receiver.
  collector = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const data = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Span[] }> }> };
        for (const rs of data.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  if (server && server.proc.exitCode === null) {
    server.proc.kill('SIGKILL');
    await server.exited();
  }
  collector?.close();
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('exports an HTTP span, the GraphQL operation under it and its SQL statements, in one trace; probes are not traced', async () => {
  const port = (collector.address() as { port: number }).port;
  server = await startServerProcess(
    {
      DATABASE_URL: withDatabase(adminUrl(), dbName),
      DATA_DIR: dataDir,
      INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
    randomPort(),
  );
  const token = await new GqlClient(server.url).login('admin@thehive.local', ADMIN_PASSWORD);
  await new GqlClient(server.url).ok('query OrgList { organisations { name } }', {}, { token });
  server.proc.kill('SIGTERM'); // flushes what is buffered
  expect(await server.exited()).toBe(0);

  const op = spans.find((s) => /OrgList/.test(s.name));
  expect(op).toBeDefined();
  const trace = spans.filter((s) => s.traceId === op!.traceId);
  const names = trace.map((s) => s.name);
  // eslint-disable-next-line no-console
  if (process.env.SHOW_SPANS) console.log(JSON.stringify(trace.map((s) => [s.name, s.spanId, s.parentSpanId])));
  expect(names.some((n) => /^POST/.test(n))).toBe(true);
  // SQL under the operation's resolver: POST /graphql → query OrgList → graphql.resolve organisations → pg.query.
  const resolvers = new Set(trace.filter((s) => s.parentSpanId === op!.spanId).map((s) => s.spanId));
  expect(trace.some((s) => /^pg\.query/.test(s.name) && resolvers.has(s.parentSpanId!))).toBe(true);
  expect(spans.some((s) => /healthz|readyz/.test(s.name))).toBe(false);
});
