import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GqlClient } from '../../support/gql-client';
import { randomPort, ServerProcess, startServerProcess } from '../../support/server-process';

/**
 * `npm start` on a fresh machine: no DATABASE_URL, so the compiled server runs on embedded
 * PostgreSQL (PGlite) in DATA_DIR with the same migrations.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-embedded-'));
let server: ServerProcess | undefined;

afterAll(async () => {
  if (server && server.proc.exitCode === null) {
    server.proc.kill('SIGKILL');
    await server.exited();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('boots on PGlite with no DATABASE_URL, prints the generated admin password once, and the admin logs in', async () => {
  server = await startServerProcess({ DATA_DIR: dataDir }, randomPort());
  expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(true);
  const m = /admin@thehive\.local created with password: (\S+)"/.exec(server.output());
  expect(m).not.toBeNull();
  const client = new GqlClient(server.url);
  const token = await client.login('admin@thehive.local', m![1]);
  await client.ok('mutation { createOrganisation(name: "soc") { id } }', {}, { token });
  await client.ok('mutation { createOrganisation(name: "partner") { id } }', {}, { token });
  const linked = await client.ok('mutation { linkOrganisations(from: "soc", to: "partner") { links { name } } }', {}, { token });
  expect(linked.linkOrganisations.links).toEqual([{ name: 'partner' }]);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

  // SIGTERM: finishes, closes the database, exits 0.
  server.proc.kill('SIGTERM');
  expect(await server.exited()).toBe(0);
  expect(server.output()).toContain('shutting down');

  // Restart on the same folder: nothing duplicated, the password is not printed again, data kept.
  server = await startServerProcess({ DATA_DIR: dataDir }, randomPort());
  expect(server.output()).not.toContain('created with password');
  const restarted = new GqlClient(server.url);
  const again = await restarted.login('admin@thehive.local', m![1]);
  const orgs = await restarted.ok('{ organisations { name } profiles { name } }', {}, { token: again });
  expect(orgs.organisations.map((o: { name: string }) => o.name)).toEqual(['admin', 'partner', 'soc']);
  expect(orgs.profiles).toHaveLength(8);
  server.proc.kill('SIGTERM');
  expect(await server.exited()).toBe(0);
});
