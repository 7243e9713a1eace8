import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import {
  ADD_ATTACHMENT,
  attach,
  createCase,
  download,
  grant,
  inviteExternalUser,
  PORTAL_ADD_ATTACHMENT,
  shareCase,
  storedFiles,
  uploadRequest,
} from '../../fixtures/portal';
import type { Actor } from '../../support/gql-client';
import { startApp } from '../../../src/app';
import { createLogger } from '../../../src/logger';
import { useWorldWithSmtp } from '../../support/use-world';

/**
 * Attachment content is stored once per SHA-256 and shared by every row with those bytes (any
 * case, any organisation). Content no row names is removed: after deleteCase, after an upload
 * refused once its bytes were stored, and at start-up for what a crash left behind.
 */
const { server, world, smtp } = useWorldWithSmtp();
const handler = () => world.soc['incident-handler'];
const DELETE_CASE = 'mutation($id: ID!) { deleteCase(id: $id) }';
const UPDATE_SHARE = 'mutation($c: ID!, $o: String!, $p: String!) { updateShare(caseId: $c, organisation: $o, profile: $p) { id } }';
const REVOKE = 'mutation($c: ID!, $l: String!) { revokeExternalAccess(caseId: $c, login: $l) }';
const HOUR = 60 * 60 * 1000;

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const contentPath = (content: Buffer | string) => path.join(server.dataDir, 'files', sha256(content).slice(0, 2), sha256(content));
const tmpDir = () => path.join(server.dataDir, 'files', 'tmp');
const temps = () => (fs.existsSync(tmpDir()) ? fs.readdirSync(tmpDir()) : []);
/** Distinct bytes per call, longer than what a held upload keeps back. */
const unique = (label: string) => `${label} ${randomBytes(16).toString('hex')}\n`.repeat(8);

async function until(done: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (const start = Date.now(); !done(); await new Promise((r) => setTimeout(r, 10))) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
  }
}

async function expectDownload(id: string, actor: Actor, content: string): Promise<void> {
  const res = await download(server, id, actor);
  expect([res.status, res.body.toString('utf8')]).toEqual([200, content]);
}

/**
 * An upload whose access check passes, then `change` runs while its bytes are being stored (a
 * temporary copy exists), then the upload finishes: its row's transaction sees the change.
 */
async function uploadDuring(change: () => Promise<void>, caseId: string, content: string, actor: Actor, endpoint: 'internal' | 'portal' = 'internal') {
  expect(temps()).toEqual([]);
  let finish!: () => void;
  const hold = new Promise<void>((resolve) => (finish = resolve));
  let answered = false;
  const pending = uploadRequest(
    server,
    endpoint === 'internal' ? ADD_ATTACHMENT : PORTAL_ADD_ATTACHMENT,
    { caseId },
    { name: 'late.txt', content },
    actor,
    endpoint,
    { hold },
  ).finally(() => (answered = true));
  try {
    await until(() => temps().length > 0 || answered, 'the upload to be stored');
    if (answered) throw new Error(`refused before it was stored: ${JSON.stringify((await pending).errors)}`);
    await change();
  } finally {
    finish();
  }
  return pending;
}

describe('deleteCase', () => {
  it('R19: deleting a case removes its files, except content another case or organisation still attaches, which still downloads', async () => {
    const doomed = await createCase(server, handler(), 'doomed');
    const sibling = await createCase(server, handler(), 'sibling');
    const foreign = await createCase(server, world.stranger['incident-handler'], 'foreign');
    const [own, sameOrg, otherOrg] = [unique('only in the doomed case'), unique('also in a sibling case'), unique('also in another organisation')];
    for (const content of [own, own, sameOrg, otherOrg]) await attach(server, handler(), doomed, { name: 'x.txt', content });
    const inSibling = await attach(server, handler(), sibling, { name: 'sibling.txt', content: sameOrg });
    const inForeign = await attach(server, world.stranger['incident-handler'], foreign, { name: 'foreign.txt', content: otherOrg });

    // A refused deletion removes nothing.
    expect(await server.client.code(DELETE_CASE, { id: doomed }, world.soc['read-only'])).toBe('FORBIDDEN');
    expect(fs.existsSync(contentPath(own))).toBe(true);

    expect((await server.client.ok(DELETE_CASE, { id: doomed }, handler())).deleteCase).toBe(true);
    expect(fs.existsSync(contentPath(own))).toBe(false);
    await expectDownload(inSibling, handler(), sameOrg);
    await expectDownload(inForeign, world.stranger.analyst, otherOrg);
    expect(temps()).toEqual([]);
  });

  it('R19: a file that cannot be removed does not fail the deletion (it is left for the start-up sweep)', async () => {
    const doomed = await createCase(server, handler(), 'doomed, file stuck');
    const content = unique('stuck');
    await attach(server, handler(), doomed, { name: 'stuck.txt', content });
    const remove = jest.spyOn(server.app.services.files, 'remove').mockRejectedValueOnce(new Error('disk unavailable'));
    try {
      expect((await server.client.ok(DELETE_CASE, { id: doomed }, handler())).deleteCase).toBe(true);
      expect(remove).toHaveBeenCalledWith(sha256(content));
    } finally {
      remove.mockRestore();
    }
    expect(await server.sql('SELECT 1 FROM "case" WHERE id = $1', [doomed])).toHaveLength(0);
    expect(fs.existsSync(contentPath(content))).toBe(true);
    fs.rmSync(contentPath(content));
  });
});

describe('an upload refused after its bytes were stored', () => {
  it('R13: the case deleted meanwhile → NOT_FOUND, and neither its file nor a temporary copy is left', async () => {
    const caseId = await createCase(server, handler(), 'deleted during an upload');
    const before = storedFiles(server);
    const content = unique('late for a deleted case');
    const res = await uploadDuring(() => server.client.ok(DELETE_CASE, { id: caseId }, handler()), caseId, content, world.soc.analyst);
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(storedFiles(server)).toEqual(before);
  });

  it('R15: the share lost manageCase meanwhile → FORBIDDEN, nothing left; content another row uses stays and downloads', async () => {
    const caseId = await createCase(server, handler(), 'share downgraded during an upload');
    await shareCase(server, handler(), caseId, 'partner', 'analyst');
    const shared = unique('already attached elsewhere');
    const elsewhere = await attach(server, handler(), await createCase(server, handler(), 'holds the shared content'), { name: 'kept.txt', content: shared });
    const before = storedFiles(server);
    for (const [content, profile] of [
      [unique('late for a downgraded share'), 'read-only'],
      [shared, 'read-only'],
    ] as const) {
      await server.client.ok(UPDATE_SHARE, { c: caseId, o: 'partner', p: 'analyst' }, handler());
      const res = await uploadDuring(
        () => server.client.ok(UPDATE_SHARE, { c: caseId, o: 'partner', p: profile }, handler()),
        caseId,
        content,
        world.partner.analyst,
      );
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(storedFiles(server)).toEqual(before);
    }
    await expectDownload(elsewhere, handler(), shared);
    // The same upload with the right kept succeeds (the refusal above came from the change).
    await server.client.ok(UPDATE_SHARE, { c: caseId, o: 'partner', p: 'analyst' }, handler());
    const ok = await uploadDuring(async () => {}, caseId, unique('partner analyst may attach'), world.partner.analyst);
    expect(ok.errors).toBeUndefined();
    expect(await server.sql("SELECT 1 FROM attachment WHERE case_id = $1 AND name = 'late.txt'", [caseId])).toHaveLength(1);
  });

  it('a row insert rolled back after the content was published leaves no file, unless another row uses the content', async () => {
    const caseId = await createCase(server, handler(), 'insert fails');
    const shared = unique('attached before the failures');
    const elsewhere = await attach(server, handler(), caseId, { name: 'kept.txt', content: shared });
    const before = storedFiles(server);
    await server.sql(`CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'insert refused by the test'; END $$;
      CREATE TRIGGER fail_insert BEFORE INSERT ON attachment FOR EACH ROW WHEN (NEW.name = 'fails.txt') EXECUTE FUNCTION fail_insert()`);
    try {
      for (const content of [unique('never attached'), shared]) {
        const res = await uploadRequest(server, ADD_ATTACHMENT, { caseId }, { name: 'fails.txt', content }, handler());
        expect(res.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
        expect(storedFiles(server)).toEqual(before);
      }
    } finally {
      await server.sql('DROP TRIGGER fail_insert ON attachment; DROP FUNCTION fail_insert()');
    }
    await expectDownload(elsewhere, handler(), shared);
  });

  it('R23: portal: access revoked meanwhile → NOT_FOUND, and nothing is left', async () => {
    const client = await inviteExternalUser(server, smtp, world.soc['org-admin'], 'uploader@client.test');
    const caseId = await createCase(server, handler(), 'revoked during a portal upload');
    await grant(server, handler(), caseId, client.login);
    const before = storedFiles(server);
    const res = await uploadDuring(
      () => server.client.ok(REVOKE, { c: caseId, l: client.login }, handler()),
      caseId,
      unique('late portal upload'),
      client,
      'portal',
    );
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(storedFiles(server)).toEqual(before);
    expect(await server.sql('SELECT 1 FROM attachment WHERE case_id = $1', [caseId])).toHaveLength(0);
  });
});

it("R19: deleting a case while its content is uploaded again never loses an attachment's file, and leaves no unused one", async () => {
  const rounds = Array.from({ length: 20 }, (_, round) => ({ content: unique(`race ${round}`), elsewhere: round % 2 === 0 }));
  for (const [round, { content, elsewhere }] of rounds.entries()) {
    const doomed = await createCase(server, handler(), `race ${round}: deleted`);
    const target = await createCase(server, handler(), `race ${round}: target`);
    await attach(server, handler(), doomed, { name: 'x.txt', content });
    const file = { name: 'x.txt', content };
    const [deleted, toDoomed, toTarget] = await Promise.all([
      server.client.request(DELETE_CASE, { id: doomed }, handler()),
      uploadRequest(server, ADD_ATTACHMENT, { caseId: doomed }, file, handler()),
      elsewhere ? uploadRequest(server, ADD_ATTACHMENT, { caseId: target }, file, handler()) : undefined,
    ]);
    expect(deleted.data?.deleteCase).toBe(true);
    // Before the deletion (then deleted with the case) or after it (NOT_FOUND).
    expect([undefined, 'NOT_FOUND']).toContain(toDoomed.errors?.[0].extensions?.code);
    expect(toTarget?.errors).toBeUndefined();
  }
  const attached = await server.sql<{ id: string; sha256: string }>('SELECT id::text, sha256 FROM attachment');
  for (const { content, elsewhere } of rounds) {
    const rows = attached.filter((a) => a.sha256 === sha256(content));
    expect([rows.length, fs.existsSync(contentPath(content))]).toEqual(elsewhere ? [1, true] : [0, false]);
    if (elsewhere) await expectDownload(rows[0].id, handler(), content);
  }
  expect(temps()).toEqual([]);
});

it('at start-up, temporary copies and unused content older than an hour are removed; fresh ones and every referenced file stay', async () => {
  const kept = unique('referenced, last written long ago');
  const id = await attach(server, handler(), await createCase(server, handler(), 'start-up sweep'), { name: 'kept.txt', content: kept });
  const old = new Date(Date.now() - 2 * HOUR);
  const write = (file: string, content: string, mtime?: Date) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    if (mtime) fs.utimesSync(file, mtime, mtime);
    return file;
  };
  const orphan = unique('published before a crash, row never committed');
  const fresh = unique('published a moment ago, row not committed yet');
  const gone = [write(path.join(tmpDir(), 'crashed-upload'), 'partial', old), write(contentPath(orphan), orphan, old)];
  const stay = [write(path.join(tmpDir(), 'upload-in-flight'), 'streaming'), write(contentPath(fresh), fresh)];
  fs.utimesSync(contentPath(kept), old, old);

  const again = await startApp(server.config, { logger: createLogger('silent') });
  try {
    await again.fileSweep;
  } finally {
    await again.stop();
  }
  expect(gone.filter((f) => fs.existsSync(f))).toEqual([]);
  expect(stay.filter((f) => !fs.existsSync(f))).toEqual([]);
  const attached = await server.sql<{ sha256: string }>('SELECT DISTINCT sha256 FROM attachment');
  expect(attached.length).toBeGreaterThan(0);
  for (const row of attached) expect(fs.existsSync(path.join(server.dataDir, 'files', row.sha256.slice(0, 2), row.sha256))).toBe(true);
  await expectDownload(id, handler(), kept);
  for (const f of stay) fs.rmSync(f);
});
