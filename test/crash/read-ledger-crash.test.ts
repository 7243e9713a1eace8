import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { adminUrl, withDatabase } from '../support/database-url';
import { GqlClient } from '../support/gql-client';
import { randomPort, ServerProcess, startServerProcess } from '../support/server-process';

/**
 * R40: what a crash can cost the read ledger. The compiled server buffers read records and writes
 * them every LEDGER_FLUSH_MS; after SIGKILL, every download answered more than one flush interval
 * (plus the time a flush takes) before the kill must be in the table, and the ones missing must
 * be the last ones. SIGTERM (graceful stop) loses nothing.
 */
const FLUSH_MS = 300;
/** A flush in progress when the process dies: its statement may not have committed. */
const FLUSH_SLACK_MS = 400;
const ADMIN_PASSWORD = 'ledger-crash-admin-pw';
const dbName = `hive_ledger_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-ledger-crash-'));
let server: ServerProcess | undefined;
let db: Client;

jest.setTimeout(120_000);

beforeAll(async () => {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName} TEMPLATE ${process.env.HIVE_TEMPLATE_DB}`);
  await admin.end();
  db = new Client({ connectionString: withDatabase(adminUrl(), dbName) });
  await db.connect();
});

afterAll(async () => {
  if (server && server.proc.exitCode === null && server.proc.signalCode === null) {
    server.proc.kill('SIGKILL');
    await server.exited();
  }
  await db?.end();
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const env = () => ({
  DATABASE_URL: withDatabase(adminUrl(), dbName),
  DATA_DIR: dataDir,
  INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
  LOG_LEVEL: 'warn',
  LEDGER_FLUSH_MS: String(FLUSH_MS),
});
const stored = async () => (await db.query(`SELECT count(*)::int AS n FROM read_record`)).rows[0].n as number;

/** soc owns a case with an attachment, shared with partner; partner's analyst downloads it (a recorded read). */
async function world(client: GqlClient, url: string): Promise<{ token: string; attachment: string }> {
  const admin = { token: await client.login('admin@thehive.local', ADMIN_PASSWORD) };
  for (const name of ['soc', 'partner']) await client.ok('mutation($n: String!) { createOrganisation(name: $n) { id } }', { n: name }, admin);
  await client.ok('mutation { linkOrganisations(from: "soc", to: "partner") { id } }', {}, admin);
  await client.ok(
    'mutation { createUser(login: "lead@soc.test", name: "L", password: "ledger-crash-pw-1", organisation: "soc", profile: "org-admin") { id } }',
    {},
    admin,
  );
  await client.ok(
    'mutation { createUser(login: "analyst@partner.test", name: "A", password: "ledger-crash-pw-2", organisation: "partner", profile: "analyst") { id } }',
    {},
    admin,
  );
  const lead = { token: await client.login('lead@soc.test', 'ledger-crash-pw-1') };
  const k = (await client.ok('mutation { createCase(input: { title: "disclosed" }) { id } }', {}, lead)).createCase.id;
  await client.ok('mutation($c: ID!) { shareCase(caseId: $c, organisation: "partner", profile: "read-only") { id } }', { c: k }, lead);
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({ query: 'mutation($c: ID!, $f: Upload!) { addAttachment(caseId: $c, file: $f) { id } }', variables: { c: k, f: null } }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.f'] }));
  form.append('0', new Blob([Buffer.from('evidence')], { type: 'text/plain' }), 'evidence.txt');
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${lead.token}`, 'apollo-require-preflight': 'true' },
    body: form,
  });
  const attachment = ((await res.json()) as any).data.addAttachment.id;
  return { token: await client.login('analyst@partner.test', 'ledger-crash-pw-2'), attachment };
}

async function downloadOnce(url: string, token: string, attachment: string): Promise<number> {
  const res = await fetch(`${url}/attachments/${attachment}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return Date.now();
}

it('R40: SIGKILL loses at most the reads of the last flush interval; SIGTERM loses none', async () => {
  server = await startServerProcess(env(), randomPort());
  const client = new GqlClient(server.url);
  const { token, attachment } = await world(client, server.url);

  // Reads for ~4 flush intervals, then SIGKILL right after the last answer.
  const answered: number[] = [];
  const started = Date.now();
  while (Date.now() - started < FLUSH_MS * 4) {
    answered.push(await downloadOnce(server.url, token, attachment));
    await new Promise((r) => setTimeout(r, 5));
  }
  const killedAt = Date.now();
  server.proc.kill('SIGKILL');
  await server.exited();

  const kept = await stored();
  const lost = answered.length - kept;
  expect(kept).toBeLessThanOrEqual(answered.length);
  // Records are written in order: the missing ones are the last ones answered, all within the bound.
  const oldestLost = answered[kept];
  if (lost > 0) expect(killedAt - oldestLost).toBeLessThanOrEqual(FLUSH_MS + FLUSH_SLACK_MS);
  expect(answered.filter((t) => killedAt - t > FLUSH_MS + FLUSH_SLACK_MS).length).toBeLessThanOrEqual(kept);
  // eslint-disable-next-line no-console
  console.log(`read ledger crash: ${answered.length} downloads answered, ${kept} kept, ${lost} lost (bound: the last ${FLUSH_MS} ms)`);

  // Graceful: SIGTERM drains HTTP, then the ledger writes its buffer before the database closes
  // (an interval of an hour: only the shutdown can write these).
  server = await startServerProcess({ ...env(), LEDGER_FLUSH_MS: '3600000' }, randomPort());
  const before = await stored();
  for (let i = 0; i < 10; i++) await downloadOnce(server.url, token, attachment);
  server.proc.kill('SIGTERM');
  expect(await server.exited()).toBe(0);
  expect(await stored()).toBe(before + 10);
});
