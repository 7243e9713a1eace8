import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { adminUrl, withDatabase } from '../support/database-url';
import { GqlClient } from '../support/gql-client';
import { randomPort, ServerProcess, startServerProcess } from '../support/server-process';

/**
 * Crash safety (issue #5): a burst of writes against the compiled server, SIGKILL mid-burst,
 * restart, then every acknowledged write must be there with its audit entry, nothing may be
 * half-written, and attachment files must match their rows. CRASH_BURST_MS sets the burst
 * (npm run test:crash runs a longer one); CI runs a short one.
 */
const BURST_MS = Number(process.env.CRASH_BURST_MS || 1500);
const ADMIN_PASSWORD = 'crash-admin-password';
const dbName = `hive_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-crash-'));
let server: ServerProcess | undefined;
let db: Client;

jest.setTimeout(120_000 + BURST_MS * 2);

beforeAll(async () => {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName} TEMPLATE ${process.env.HIVE_TEMPLATE_DB}`);
  await admin.end();
  db = new Client({ connectionString: withDatabase(adminUrl(), dbName) });
  await db.connect();
});

afterAll(async () => {
  if (server && server.proc.exitCode === null) {
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

const env = () => ({ DATABASE_URL: withDatabase(adminUrl(), dbName), DATA_DIR: dataDir, INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'warn' });

type Ack = { kind: 'case' | 'comment' | 'attachment' | 'organisation'; id: string; sha256?: string; size?: number };

async function upload(url: string, token: string, caseId: string, content: Buffer): Promise<{ id: string }> {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({ query: 'mutation($c: ID!, $f: Upload!) { addAttachment(caseId: $c, file: $f) { id sha256 size } }', variables: { c: caseId, f: null } }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.f'] }));
  form.append('0', new Blob([content], { type: 'application/octet-stream' }), 'evidence.bin');
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' }, body: form });
  const body = (await res.json()) as { data?: { addAttachment: { id: string } }; errors?: unknown };
  if (!body.data?.addAttachment) throw new Error(JSON.stringify(body.errors));
  return body.data.addAttachment;
}

it('every acknowledged write survives SIGKILL with its audit entry; nothing is half-written', async () => {
  server = await startServerProcess(env(), randomPort());
  const client = new GqlClient(server.url);
  const adminToken = await client.login('admin@thehive.local', ADMIN_PASSWORD);
  await client.ok('mutation { createOrganisation(name: "soc") { id } }', {}, { token: adminToken });
  await client.ok(
    'mutation { createUser(login: "analyst@soc.test", name: "A", password: "crash-analyst-pw", organisation: "soc", profile: "analyst") { id } }',
    {},
    { token: adminToken },
  );
  const token = await client.login('analyst@soc.test', 'crash-analyst-pw');
  const firstCase = await client.ok('mutation { createCase(input: { title: "seed" }) { id } }', {}, { token });

  const acks: Ack[] = [{ kind: 'case', id: firstCase.createCase.id }];
  let stop = false;
  const worker = async (n: number) => {
    for (let i = 0; !stop; i++) {
      try {
        const choice = (n + i) % 4;
        if (choice === 0) {
          const r = await client.ok('mutation($t: String!) { createCase(input: { title: $t, severity: 3 }) { id } }', { t: `case ${n}-${i}` }, { token });
          acks.push({ kind: 'case', id: r.createCase.id });
        } else if (choice === 1) {
          const r = await client.ok(
            'mutation($c: ID!, $m: String!) { addComment(caseId: $c, message: $m) { id } }',
            { c: firstCase.createCase.id, m: `comment ${n}-${i}` },
            { token },
          );
          acks.push({ kind: 'comment', id: r.addComment.id });
        } else if (choice === 2) {
          const content = randomBytes(1024 + ((n * 7919 + i * 104729) % 200_000));
          const r = await upload(server!.url, token, firstCase.createCase.id, content);
          acks.push({ kind: 'attachment', id: r.id, sha256: createHash('sha256').update(content).digest('hex'), size: content.length });
        } else {
          const r = await client.ok('mutation($n: String!) { createOrganisation(name: $n) { id } }', { n: `org-${n}-${i}` }, { token: adminToken });
          acks.push({ kind: 'organisation', id: r.createOrganisation.id });
        }
      } catch {
        return; // the server died under this request: not acknowledged
      }
    }
  };
  const workers = Array.from({ length: 6 }, (_, n) => worker(n));
  await new Promise((r) => setTimeout(r, BURST_MS));
  server.proc.kill('SIGKILL');
  stop = true;
  await Promise.all(workers);
  await server.exited();
  expect(acks.length).toBeGreaterThan(10);
  const counts = Object.fromEntries((['case', 'comment', 'attachment', 'organisation'] as const).map((k) => [k, acks.filter((a) => a.kind === k).length]));
  // eslint-disable-next-line no-console
  console.info(`crash safety: ${acks.length} acknowledged writes before SIGKILL after ${BURST_MS} ms: ${JSON.stringify(counts)}`);

  server = await startServerProcess(env(), randomPort());
  const table: Record<Ack['kind'], string> = { case: '"case"', comment: 'comment', attachment: 'attachment', organisation: 'organisation' };
  const auditType: Record<Ack['kind'], string> = { case: 'Case', comment: 'Comment', attachment: 'Attachment', organisation: 'Organisation' };
  for (const kind of Object.keys(table) as Ack['kind'][]) {
    const ids = acks.filter((a) => a.kind === kind).map((a) => a.id);
    const present = await db.query(`SELECT id::text FROM ${table[kind]} WHERE id = ANY($1)`, [ids]);
    expect(present.rowCount).toBe(ids.length);
    const audited = await db.query(`SELECT DISTINCT object_id FROM audit WHERE object_type = $1 AND object_id = ANY($2)`, [auditType[kind], ids]);
    expect(audited.rowCount).toBe(ids.length);
  }
  // Nothing half-written: every case has its owner share, every create entry names an existing object.
  expect((await db.query(`SELECT c.id FROM "case" c WHERE NOT EXISTS (SELECT 1 FROM share s WHERE s.case_id = c.id AND s.owner)`)).rowCount).toBe(0);
  for (const kind of Object.keys(table) as Ack['kind'][]) {
    const orphans = await db.query(
      `SELECT a.object_id FROM audit a WHERE a.object_type = $1 AND a.action LIKE '%.create' AND NOT EXISTS (SELECT 1 FROM ${table[kind]} x WHERE x.id::text = a.object_id)`,
      [auditType[kind]],
    );
    expect(orphans.rows).toEqual([]);
  }
  // Attachment files match their rows (content hash and size), acknowledged ones match what was sent.
  const rows = (await db.query('SELECT id::text, sha256, size FROM attachment')).rows as Array<{ id: string; sha256: string; size: string }>;
  for (const row of rows) {
    const file = path.join(dataDir, 'files', row.sha256.slice(0, 2), row.sha256);
    const content = fs.readFileSync(file);
    expect(createHash('sha256').update(content).digest('hex')).toBe(row.sha256);
    expect(content.length).toBe(Number(row.size));
  }
  for (const a of acks.filter((x) => x.kind === 'attachment')) {
    expect(rows.find((r) => r.id === a.id)).toMatchObject({ sha256: a.sha256, size: String(a.size) });
  }
  // The restarted server serves the data.
  const again = await new GqlClient(server.url).ok('{ cases(first: 1) { totalCount } }', {}, { token });
  // Writes that committed just before the kill may not have been acknowledged: at least the acknowledged ones.
  expect(again.cases.totalCount).toBeGreaterThanOrEqual(acks.filter((a) => a.kind === 'case').length);
});
