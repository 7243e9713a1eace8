import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { ADD_ATTACHMENT, attach, createCase, download, shareCase, storedFiles, uploadRequest } from '../../fixtures/portal';
import { sanitizeFileName, normaliseContentType } from '../../../src/modules/attachment/attachment.shared';
import { contentDisposition } from '../../../src/modules/attachment/attachment.download';
import { useWorld } from '../../support/use-world';

const MAX = 64 * 1024;
const { server, world } = useWorld({ maxUploadBytes: MAX });
/** Owned by soc, shared with partner read-only. */
let caseId: string;

const SET_EXTERNAL = 'mutation($id: ID!, $e: Boolean!) { setAttachmentExternal(id: $id, external: $e) { id external } }';
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  caseId = await createCase(server, world.soc['incident-handler'], 'attachments');
  await shareCase(server, world.soc['incident-handler'], caseId, 'partner', 'read-only');
});

describe('addAttachment', () => {
  it('R19: stores the content by SHA-256 and the metadata; a member with manageCase attaches', async () => {
    const content = 'evidence line 1\nevidence line 2\n';
    const res = await uploadRequest(server, ADD_ATTACHMENT, { caseId }, { name: 'evidence.txt', content, type: 'text/plain' }, world.soc.analyst);
    expect(res.errors).toBeUndefined();
    expect(res.data.addAttachment).toMatchObject({
      name: 'evidence.txt',
      size: Buffer.byteLength(content),
      contentType: 'text/plain',
      sha256: sha256(content),
      external: false,
      viaPortal: false,
    });
    const stored = path.join(server.dataDir, 'files', sha256(content).slice(0, 2), sha256(content));
    expect(fs.readFileSync(stored, 'utf8')).toBe(content);
    const entries = await server.sql('SELECT action, case_id FROM audit WHERE object_id = $1', [res.data.addAttachment.id]);
    expect(entries).toEqual([{ action: 'attachment.create', case_id: caseId }]);
  });

  it('R19: without manageCase → FORBIDDEN, checked before the upload is stored; R15: the share profile must hold it too', async () => {
    const before = storedFiles(server);
    for (const actor of [world.soc['read-only'], world.partner.analyst]) {
      const res = await uploadRequest(server, ADD_ATTACHMENT, { caseId }, { name: 'denied.txt', content: `denied by ${actor.login}` }, actor);
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(storedFiles(server)).toEqual(before);
    expect(await server.sql("SELECT 1 FROM attachment WHERE name = 'denied.txt'")).toHaveLength(0);
  });

  it('R13: an invisible case is absent (NOT_FOUND) and nothing is stored', async () => {
    const before = storedFiles(server);
    const res = await uploadRequest(server, ADD_ATTACHMENT, { caseId }, { name: 'stranger.txt', content: 'from a stranger' }, world.stranger['org-admin']);
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const malformed = await uploadRequest(server, ADD_ATTACHMENT, { caseId: 'nope' }, { name: 'x.txt', content: 'x' }, world.soc.analyst);
    expect(malformed.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(storedFiles(server)).toEqual(before);
  });

  it('R24: external: true needs manageExternalShare (analyst → FORBIDDEN, incident-handler → allowed)', async () => {
    const denied = await uploadRequest(server, ADD_ATTACHMENT, { caseId, external: true }, { name: 'ext.txt', content: 'ext by analyst' }, world.soc.analyst);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const ok = await uploadRequest(
      server,
      ADD_ATTACHMENT,
      { caseId, external: true },
      { name: 'ext.txt', content: 'ext by handler' },
      world.soc['incident-handler'],
    );
    expect(ok.data.addAttachment.external).toBe(true);
  });

  it('a file over MAX_UPLOAD_BYTES → BAD_USER_INPUT, with no row and no file left; exactly the limit is accepted', async () => {
    const before = storedFiles(server);
    const big = Buffer.alloc(MAX + 1, 7);
    const res = await uploadRequest(server, ADD_ATTACHMENT, { caseId }, { name: 'big.bin', content: big }, world.soc.analyst);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(String(MAX));
    const huge = await uploadRequest(server, ADD_ATTACHMENT, { caseId }, { name: 'big.bin', content: Buffer.alloc(3 * MAX, 9) }, world.soc.analyst);
    expect(huge.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // The permission is decided before the size: a refused caller learns nothing about the limit.
    const refused = await uploadRequest(server, ADD_ATTACHMENT, { caseId }, { name: 'big.bin', content: big }, world.soc['read-only']);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await server.sql("SELECT 1 FROM attachment WHERE name = 'big.bin'")).toHaveLength(0);
    expect(storedFiles(server)).toEqual(before);
    const exact = await uploadRequest(server, ADD_ATTACHMENT, { caseId }, { name: 'exact.bin', content: Buffer.alloc(MAX, 8) }, world.soc.analyst);
    expect(exact.errors).toBeUndefined();
    expect(exact.data.addAttachment.size).toBe(MAX);
  });

  it('a multipart request without the preflight header is refused before anything is read', async () => {
    const res = await uploadRequest(server, ADD_ATTACHMENT, { caseId }, { name: 'csrf.txt', content: 'csrf' }, world.soc.analyst, 'internal', {
      preflight: false,
    });
    expect(res.status).toBe(400);
    expect(await server.sql("SELECT 1 FROM attachment WHERE name = 'csrf.txt'")).toHaveLength(0);
  });

  it('sanitizes the file name (no path, no control or bidi characters, at most 255 bytes) and defaults the content type', async () => {
    const res = await uploadRequest(server, ADD_ATTACHMENT, { caseId }, { name: '../../etc/re\u202Eport.txt', content: 'name check' }, world.soc.analyst);
    expect(res.data.addAttachment).toMatchObject({ name: 'report.txt', contentType: 'application/octet-stream' });
    expect(sanitizeFileName('a/b\\c\u0000d\u0007e.txt')).toBe('cde.txt');
    expect(sanitizeFileName('..')).toBe('file');
    expect(sanitizeFileName('')).toBe('file');
    expect(Buffer.byteLength(sanitizeFileName('é'.repeat(300)))).toBeLessThanOrEqual(255);
    expect(normaliseContentType('Text/HTML; charset=utf-8')).toBe('text/html');
    expect(normaliseContentType('nonsense')).toBe('application/octet-stream');
    // Quotes, backslashes and percent signs never reach the quoted fallback; filename* carries the exact name.
    expect(contentDisposition('a "b"\\c%.txt')).toBe(`attachment; filename="a _b__c_.txt"; filename*=UTF-8''a%20%22b%22%5Cc%25.txt`);
  });
});

describe('GET /attachments/:id', () => {
  it('R13/R17: streams to every organisation that sees the case, with safe headers', async () => {
    const content = 'réponse: 42\n';
    const id = await attach(server, world.soc.analyst, caseId, { name: 'résumé final.txt', content, type: 'text/plain' });
    for (const actor of [world.soc['read-only'], world.partner['read-only']]) {
      const res = await download(server, id, actor);
      expect(res.status).toBe(200);
      expect(res.body.toString('utf8')).toBe(content);
      expect(res.headers.get('content-type')).toBe('text/plain');
      expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(content)));
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="r_sum_ final.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20final.txt`);
    }
  });

  it('serves active content (HTML, SVG, XHTML, JavaScript) as application/octet-stream', async () => {
    for (const type of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'application/javascript']) {
      const id = await attach(server, world.soc.analyst, caseId, { name: `active.${type.split('/')[1]}`, content: `<script>alert("${type}")</script>`, type });
      const res = await download(server, id, world.soc.analyst);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
    }
  });

  it('R13: an organisation that cannot see the case gets 404, exactly as for an unknown or malformed id', async () => {
    const id = await attach(server, world.soc.analyst, caseId, { name: 'secret.txt', content: 'not for strangers' });
    for (const [actor, target] of [
      [world.stranger['org-admin'], id],
      [world.soc.analyst, '00000000-0000-4000-8000-000000000000'],
      [world.soc.analyst, 'nope'],
    ] as const) {
      const res = await download(server, target, actor);
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body.toString()).errors[0].extensions.code).toBe('NOT_FOUND');
    }
  });

  it('401 without valid credentials; 403 for an organisation the caller is not a member of', async () => {
    const id = await attach(server, world.soc.analyst, caseId, { name: 'auth.txt', content: 'auth' });
    expect((await download(server, id, {})).status).toBe(401);
    expect((await download(server, id, { token: 'hs_forged' })).status).toBe(401);
    expect((await download(server, id, { token: world.soc.analyst.token, organisation: 'partner' })).status).toBe(403);
  });

  it('R13: content that is gone (removed with its case while the request ran) answers 404 in JSON, with no file headers', async () => {
    const id = await attach(server, world.soc.analyst, caseId, { name: 'vanishing.pdf', content: 'gone before it is read', type: 'application/pdf' });
    const [{ sha256 }] = await server.sql('SELECT sha256 FROM attachment WHERE id = $1', [id]);
    expect((await download(server, id, world.soc.analyst)).status).toBe(200);
    fs.rmSync(path.join(server.dataDir, 'files', sha256.slice(0, 2), sha256));
    const res = await download(server, id, world.soc.analyst);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBeNull();
    expect(JSON.parse(res.body.toString()).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('an empty id goes through the same order: 401 without credentials, then 404 (JSON, never an HTML page)', async () => {
    for (const path of ['/attachments/', '/attachments']) {
      const code = async (res: Response) => [res.status, ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code];
      expect(await code(await fetch(`${server.url}${path}`))).toEqual([401, 'UNAUTHENTICATED']);
      expect(await code(await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${world.soc.analyst.token}` } }))).toEqual([404, 'NOT_FOUND']);
    }
    const unknown = await fetch(`${server.url}/no-such-route`);
    expect([unknown.status, unknown.headers.get('content-type')]).toEqual([404, expect.stringContaining('application/json')]);
  });
});

describe('setAttachmentExternal', () => {
  it('R24: an incident-handler flags and unflags; analyst → FORBIDDEN; a stranger → NOT_FOUND; each change audited', async () => {
    const id = await attach(server, world.soc.analyst, caseId, { name: 'flag.txt', content: 'flag me' });
    expect(await server.client.code(SET_EXTERNAL, { id, e: true }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await server.client.code(SET_EXTERNAL, { id, e: true }, world.stranger['incident-handler'])).toBe('NOT_FOUND');
    expect(await server.client.code(SET_EXTERNAL, { id: 'nope', e: true }, world.soc['incident-handler'])).toBe('NOT_FOUND');
    expect((await server.client.ok(SET_EXTERNAL, { id, e: true }, world.soc['incident-handler'])).setAttachmentExternal.external).toBe(true);
    expect((await server.client.ok(SET_EXTERNAL, { id, e: false }, world.soc['incident-handler'])).setAttachmentExternal.external).toBe(false);
    const entries = await server.sql<{ action: string; details: any }>('SELECT action, details FROM audit WHERE object_id = $1 ORDER BY created_at, id', [id]);
    expect(entries.map((e) => e.action)).toEqual(['attachment.create', 'attachment.update', 'attachment.update']);
    expect(entries[2].details).toMatchObject({ external: { from: true, to: false } });
  });

  it('R17: Case.attachments lists them for every organisation that sees the case', async () => {
    const id = await attach(server, world.soc.analyst, caseId, { name: 'listed.txt', content: 'listed' });
    for (const actor of [world.soc.analyst, world.partner['read-only']]) {
      const data = await server.client.ok('query($id: ID!) { case(id: $id) { attachments { id name createdBy { login } } } }', { id: caseId }, actor);
      expect(data.case.attachments).toContainEqual({ id, name: 'listed.txt', createdBy: { login: world.soc.analyst.login } });
    }
    expect((await server.client.ok('query($id: ID!) { case(id: $id) { id } }', { id: caseId }, world.stranger.analyst)).case).toBeNull();
  });
});
