import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, TestServer } from '../support/test-server';
import { documentHash, loadTrustedDocuments } from '../../src/ops/trusted-documents';

/** TRUSTED_DOCUMENTS: in production the portal runs only the listed operations; the internal endpoint is not affected. */
const LOGIN = 'mutation PortalLogin($l: String!, $p: String!) { login(login: $l, password: $p) { token } }';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-trusted-'));
const manifest = path.join(dir, 'manifest.json');
fs.writeFileSync(
  manifest,
  JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'x', name: 'PortalLogin', type: 'mutation', body: LOGIN }] }),
);
const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('production: a listed portal operation runs; any other is PERSISTED_QUERY_NOT_FOUND before it executes; internal unaffected', async () => {
  const server = await startTestServer({ production: true, trustedDocuments: manifest });
  servers.push(server);
  const listed = await server.client.request(LOGIN, { l: 'nobody@example.org', p: 'x' }, {}, 'portal');
  expect(listed.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED'); // ran: the login itself refused
  const other = await server.client.request('mutation { login(login: "nobody@example.org", password: "x") { token } }', {}, {}, 'portal');
  expect(other.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  expect(other.status).toBe(400);
  // Not executed: no failed-login audit entry for the refused document.
  expect(await server.sql("SELECT count(*)::int AS n FROM audit WHERE action = 'login.failure'")).toEqual([{ n: 1 }]);
  expect(await server.client.code('mutation { login(login: "nobody@example.org", password: "x") { token } }')).toBe('UNAUTHENTICATED');
});

it('outside production the manifest only reports: unlisted portal operations run', async () => {
  const server = await startTestServer({ trustedDocuments: manifest });
  servers.push(server);
  expect(await server.client.code('mutation { login(login: "nobody@example.org", password: "x") { token } }', {}, {}, 'portal')).toBe('UNAUTHENTICATED');
});

it('reads the three manifest forms and refuses a malformed one', () => {
  const h = documentHash(LOGIN);
  const write = (v: unknown) => {
    fs.writeFileSync(path.join(dir, 'm.json'), JSON.stringify(v));
    return path.join(dir, 'm.json');
  };
  expect([...loadTrustedDocuments(manifest)]).toEqual([h]);
  expect([...loadTrustedDocuments(write([h]))]).toEqual([h]);
  expect([...loadTrustedDocuments(write({ [h]: LOGIN }))]).toEqual([h]);
  expect(() => loadTrustedDocuments(write(['not-a-hash']))).toThrow(/SHA-256/);
});
