import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { ADD_ATTACHMENT, createCase, shareCase, uploadRequest } from '../fixtures/portal';
import { startApp, RunningApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { sweepFileStore, LEFTOVER_AGE_MS } from '../../src/modules/attachment/file-collector';
import { useWorld } from '../support/use-world';
import { S3_BUCKET, S3Server, startS3Server } from '../support/s3-server';
import type { Actor } from '../support/gql-client';

/**
 * ATTACHMENT_STORE=s3://bucket/prefix against a real local S3-compatible server (s3rver), with two
 * API instances on one database: what one stores, the other serves; content is addressed by
 * SHA-256, streamed, and collected as with the file store.
 */
const PREFIX = 'tenant-a';
const MAX = 7 * 1024 * 1024;
let s3!: S3Server;
let endpoint = '';
// The SDK's default credential chain reads these when the app's client first signs a request.
process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
beforeAll(async () => {
  s3 = await startS3Server();
  endpoint = s3.endpoint;
});
const overrides = { attachmentStore: `s3://${S3_BUCKET}/${PREFIX}`, maxUploadBytes: MAX };
// useWorld reads its overrides when its beforeAll runs, after the one above has set the endpoint.
const { server, world } = useWorld(Object.defineProperty(overrides, 's3Endpoint', { enumerable: true, get: () => endpoint }));
let second: RunningApp;
let secondDir: string;
let caseId: string;

beforeAll(async () => {
  secondDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-s3-second-'));
  second = await startApp({ ...server.config, port: 0, dataDir: secondDir }, { logger: createLogger('silent') });
  caseId = await createCase(server, world.soc['incident-handler'], 's3');
  await shareCase(server, world.soc['incident-handler'], caseId, 'partner', 'read-only');
});

afterAll(async () => {
  await second?.stop();
  if (secondDir) fs.rmSync(secondDir, { recursive: true, force: true });
  await s3?.stop();
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function keys(prefix = `${PREFIX}/`): Promise<string[]> {
  const out = await s3.client.send(new ListObjectsV2Command({ Bucket: S3_BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

async function objectBytes(key: string): Promise<Buffer> {
  const out = await s3.client.send(new GetObjectCommand({ Bucket: S3_BUCKET, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function upload(content: Buffer, actor: Actor = world.soc.analyst) {
  return uploadRequest(server, ADD_ATTACHMENT, { caseId }, { name: 'evidence.bin', content, type: 'application/octet-stream' }, actor);
}

async function downloadFrom(url: string, id: string, actor: Actor, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/attachments/${id}`, { headers: { authorization: `Bearer ${actor.token}`, ...headers } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

it('R19: an upload on one instance is stored in the bucket under its SHA-256, byte for byte, and nothing on local disk', async () => {
  const content = randomBytes(64 * 1024);
  const res = await upload(content);
  expect(res.errors).toBeUndefined();
  expect(res.data.addAttachment.sha256).toBe(sha256(content));
  expect(await keys()).toEqual([`${PREFIX}/sha256/${sha256(content)}`]);
  // The stored bytes are the uploaded bytes (default SDK checksums would have corrupted them on s3rver).
  expect(sha256(await objectBytes(`${PREFIX}/sha256/${sha256(content)}`))).toBe(sha256(content));
  expect(fs.existsSync(path.join(server.dataDir, 'files', 'sha256'))).toBe(false);
});

it('R13: another instance on the same database serves it, to the same readers only; Range goes to the object store', async () => {
  const content = randomBytes(10_000);
  const id = (await upload(content)).data.addAttachment.id;
  const got = await downloadFrom(second.url, id, world.partner['read-only']);
  expect(got.status).toBe(200);
  expect(got.body.equals(content)).toBe(true);
  const part = await downloadFrom(second.url, id, world.soc.analyst, { range: 'bytes=100-199' });
  expect(part.status).toBe(206);
  expect(part.body.equals(content.subarray(100, 200))).toBe(true);
  expect((await downloadFrom(second.url, id, world.stranger['org-admin'])).status).toBe(404);
});

it('a file larger than one part streams through a multipart upload, and over the limit nothing is left in the bucket', async () => {
  const before = await keys();
  const big = randomBytes(6 * 1024 * 1024 + 123);
  const res = await upload(big);
  expect(res.errors).toBeUndefined();
  const got = await downloadFrom(second.url, res.data.addAttachment.id, world.soc.analyst);
  expect(sha256(got.body)).toBe(sha256(big));
  const tooBig = await upload(randomBytes(MAX + 1));
  expect(tooBig.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(await keys()).toEqual([...before, `${PREFIX}/sha256/${sha256(big)}`].sort());
  expect(await keys(`${PREFIX}/tmp/`)).toEqual([]);
});

it('the same bytes uploaded twice, on two instances, are one object; deleting one case keeps it, deleting the last removes it', async () => {
  const content = randomBytes(2048);
  const other = await createCase(server, world.soc['incident-handler'], 's3 other');
  const a = await uploadRequest(server, ADD_ATTACHMENT, { caseId: other }, { name: 'a.bin', content }, world.soc.analyst);
  const b = await fetchUploadOnSecond(content);
  expect([a.errors, b.errors]).toEqual([undefined, undefined]);
  const key = `${PREFIX}/sha256/${sha256(content)}`;
  expect((await keys()).filter((k) => k === key)).toHaveLength(1);
  await server.client.ok('mutation($id: ID!) { deleteCase(id: $id) }', { id: other }, world.soc['incident-handler']);
  expect(await keys()).toContain(key);
  const third = await createCase(server, world.soc['incident-handler'], 's3 third');
  await uploadRequest(server, ADD_ATTACHMENT, { caseId: third }, { name: 'c.bin', content: randomBytes(100) }, world.soc.analyst);
  const lone = randomBytes(300);
  await uploadRequest(server, ADD_ATTACHMENT, { caseId: third }, { name: 'd.bin', content: lone }, world.soc.analyst);
  await server.client.ok('mutation($id: ID!) { deleteCase(id: $id) }', { id: third }, world.soc['incident-handler']);
  expect(await keys()).not.toContain(`${PREFIX}/sha256/${sha256(lone)}`);
  expect(await keys()).toContain(key);
});

it('the start-up sweep removes old temporary objects and content no row names, and keeps what rows name', async () => {
  const orphan = randomBytes(500);
  const orphanKey = `${PREFIX}/sha256/${sha256(orphan)}`;
  await s3.client.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: orphanKey, Body: orphan }));
  await s3.client.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: `${PREFIX}/tmp/left-by-a-crash`, Body: 'x' }));
  const named = (await server.sql<{ sha256: string }>('SELECT DISTINCT sha256 FROM attachment')).map((r) => `${PREFIX}/sha256/${r.sha256}`);
  // Not yet old enough: kept.
  await sweepFileStore(server.app.services, new AbortController().signal);
  expect(await keys()).toContain(orphanKey);
  await sweepFileStore(server.app.services, new AbortController().signal, new Date(Date.now() + LEFTOVER_AGE_MS + 60_000));
  expect(await keys()).toEqual(named.sort());
});

async function fetchUploadOnSecond(content: Buffer) {
  return uploadRequest({ ...server, url: second.url } as typeof server, ADD_ATTACHMENT, { caseId }, { name: 'b.bin', content }, world.soc.analyst);
}
