import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client, _Object } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { FileStore, meterAndHash, SHA256 } from './file-store';

/** Multipart part size and parts in flight: an upload holds at most PART_SIZE × QUEUE_SIZE bytes in memory. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

function status(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function isNotFound(e: unknown): boolean {
  const name = (e as { name?: string }).name;
  return name === 'NotFound' || name === 'NoSuchKey' || status(e) === 404;
}

/** `s3://bucket[/prefix]` → bucket and a key prefix ending in "/" (or empty). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new Error(`not an s3:// URL: ${url}`);
  const prefix = m[2].replace(/^\/+|\/+$/g, '');
  return { bucket: m[1], prefix: prefix ? `${prefix}/` : '' };
}

/**
 * The FileStore on an S3-compatible object store (AWS SDK v3), with the same keys as the file
 * store's paths: `<prefix>tmp/<uuid>` for an upload's own copy, `<prefix>sha256/<hash>` for the
 * content. Credentials and region come from the standard AWS_* variables (the SDK's default chain).
 *
 * - put streams through the meter into a multipart upload (lib-storage): memory is bounded by
 *   PART_SIZE × QUEUE_SIZE whatever the file size; a failure aborts the upload and deletes the key.
 * - publish copies the temporary object to the content key with `If-None-Match: *`, after a HEAD
 *   that skips the copy when the content exists. Correctness does not depend on the condition
 *   being enforced (s3rver ignores it): the key is the SHA-256 of the bytes, so an unconditional
 *   overwrite writes the same bytes, and the race that matters — removal of content a committing
 *   row is about to name — is excluded by the per-content PostgreSQL advisory lock
 *   (file-collector.ts) that publish and remove are called under, on every instance alike.
 * - Checksums are computed and validated only when an operation requires them
 *   (`WHEN_REQUIRED`): the SDK's default CRC trailers make s3rver store corrupt bytes (stack.md),
 *   and the content's integrity is its SHA-256 key, checked by the tests.
 */
export function createS3FileStore(url: string, opts: { endpoint?: string; client?: S3Client } = {}): FileStore {
  const { bucket, prefix } = parseS3Url(url);
  const client =
    opts.client ??
    new S3Client({
      endpoint: opts.endpoint,
      // S3-compatible servers (MinIO, s3rver, Ceph) are addressed by path; AWS itself by virtual host.
      forcePathStyle: !!opts.endpoint,
      region: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1',
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const tmpPrefix = `${prefix}tmp/`;
  const contentPrefix = `${prefix}sha256/`;
  const contentKey = (sha: string) => {
    if (!SHA256.test(sha)) throw new Error('invalid sha256');
    return `${contentPrefix}${sha}`;
  };
  const del = (Key: string) =>
    client.send(new DeleteObjectCommand({ Bucket: bucket, Key })).then(
      () => undefined,
      (e) => {
        if (!isNotFound(e)) throw e;
      },
    );
  async function* list(Prefix: string, before: Date): AsyncIterable<_Object & { Key: string }> {
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix, ContinuationToken }));
      for (const o of page.Contents ?? []) if (o.Key && o.LastModified && o.LastModified < before) yield o as _Object & { Key: string };
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  return {
    async put(stream, maxBytes) {
      const temp = `${tmpPrefix}${randomUUID()}`;
      const { meter, result } = meterAndHash(maxBytes);
      const body = new PassThrough();
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: temp, Body: body, ContentType: 'application/octet-stream' },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      const piping = pipeline(stream, meter, body);
      const done = upload.done();
      try {
        await Promise.all([piping, done]);
        return { ...result(), temp };
      } catch (e) {
        // The meter's refusal (FileTooLargeError) or the client's stream error is the cause to report.
        body.destroy();
        const cause = await piping.then(
          () => undefined,
          (err: unknown) => err,
        );
        await done.catch(() => undefined);
        await upload.abort().catch(() => undefined);
        await del(temp).catch(() => undefined);
        throw cause ?? e;
      }
    },
    async publish(file) {
      const Key = contentKey(file.sha256);
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key }));
        return;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      const CopySource = `${bucket}/${file.temp.split('/').map(encodeURIComponent).join('/')}`;
      for (let attempt = 0; ; attempt++) {
        try {
          await client.send(new CopyObjectCommand({ Bucket: bucket, Key, CopySource, IfNoneMatch: '*' }));
          return;
        } catch (e) {
          if (status(e) === 412) return; // already there: the same bytes
          // 409: a conditional write of the same key is in flight (another instance publishing the same bytes).
          if (status(e) !== 409 || attempt >= 3) throw e;
          await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
        }
      }
    },
    async release(file) {
      await del(file.temp);
    },
    async remove(sha256) {
      await del(contentKey(sha256));
    },
    async open(sha256, range) {
      if (!SHA256.test(sha256)) return null;
      try {
        const out = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: contentKey(sha256),
            Range: range ? `bytes=${range.start}-${range.end}` : undefined,
          }),
        );
        return out.Body as Readable;
      } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
      }
    },
    async removeTemps(before) {
      let removed = 0;
      for await (const o of list(tmpPrefix, before)) {
        await del(o.Key);
        removed++;
      }
      return removed;
    },
    async *listContent(before) {
      for await (const o of list(contentPrefix, before)) {
        const sha = o.Key.slice(contentPrefix.length);
        if (SHA256.test(sha)) yield sha;
      }
    },
  };
}
