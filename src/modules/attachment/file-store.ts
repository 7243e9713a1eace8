import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform, Readable } from 'node:stream';

/** Bytes received by put(): their hash and size, and the upload's own copy (`temp`, opaque to callers). */
export interface StoredFile {
  sha256: string;
  size: number;
  temp: string;
}

/**
 * Where attachment bytes live, content-addressed by SHA-256, so several rows (of any case or
 * organisation) may share one file. The calls are the ones an object store offers, for an
 * S3-compatible implementation: put = upload to a temporary key; publish = copy that object to the
 * content key with a conditional put (If-None-Match: *, an existing object is the same bytes);
 * release, remove and removeTemps = delete; listContent = list with LastModified.
 *
 * Removal of content no row uses (file-collector.ts) is safe against a concurrent upload of the
 * same bytes because an upload keeps its temporary copy until its row is committed and publishes
 * from it under the content's lock, right before inserting the row.
 */
export interface FileStore {
  /** Streams to a temporary copy; throws (leaving nothing behind) when the stream fails or exceeds maxBytes. */
  put(stream: Readable, maxBytes: number): Promise<StoredFile>;
  /** Makes the content readable under its hash (a no-op when it already is). */
  publish(file: StoredFile): Promise<void>;
  /** Drops the temporary copy; the published content stays. */
  release(file: StoredFile): Promise<void>;
  /** Deletes the content (absent content is not an error). Only file-collector.ts calls it, under the content's lock. */
  remove(sha256: string): Promise<void>;
  /**
   * The content, opened (null when absent). Opening first means a removal that comes after it
   * cannot cut the read short, and the caller knows before answering whether there is anything to send.
   */
  open(sha256: string, range?: ByteRange): Promise<Readable | null>;
  /** Deletes the temporary copies last written before `before` (left by a crash); returns how many. */
  removeTemps(before: Date): Promise<number>;
  /** The hashes of the content last written before `before`. */
  listContent(before: Date): AsyncIterable<string>;
}

/** Bytes start..end of a content, both included (an HTTP Range, already checked against the size). */
export interface ByteRange {
  start: number;
  end: number;
}

export class FileTooLargeError extends Error {}

export const SHA256 = /^[0-9a-f]{64}$/;

function ignoreMissing(e: unknown): void {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
}

/**
 * Counts and hashes the bytes going through it; fails with FileTooLargeError at the byte after
 * maxBytes. Shared by the stores, so both refuse and name the content the same way.
 */
export function meterAndHash(maxBytes: number) {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > maxBytes) return cb(new FileTooLargeError(`File is larger than ${maxBytes} bytes`));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  return { meter, result: () => ({ sha256: hash.digest('hex'), size }) };
}

export function createFileStore(dataDir: string): FileStore {
  const root = path.join(dataDir, 'files');
  const tmp = path.join(root, 'tmp');
  const pathOf = (sha: string) => {
    if (!SHA256.test(sha)) throw new Error('invalid sha256');
    return path.join(root, sha.slice(0, 2), sha);
  };
  const list = (dir: string) =>
    fs.promises.readdir(dir).catch((e) => {
      ignoreMissing(e);
      return [] as string[];
    });
  const olderThan = async (file: string, before: Date) => {
    const stat = await fs.promises.stat(file).catch((e) => {
      ignoreMissing(e);
      return undefined;
    });
    return !!stat?.isFile() && stat.mtime < before;
  };
  return {
    async put(stream, maxBytes) {
      await fs.promises.mkdir(tmp, { recursive: true });
      const temp = path.join(tmp, randomUUID());
      const { meter, result } = meterAndHash(maxBytes);
      try {
        // flush: the bytes are on disk before a row naming them can commit.
        await pipeline(stream, meter, fs.createWriteStream(temp, { flags: 'wx', flush: true }));
        return { ...result(), temp };
      } catch (e) {
        await fs.promises.rm(temp, { force: true });
        throw e;
      }
    },
    async publish(file) {
      const final = pathOf(file.sha256);
      await fs.promises.mkdir(path.dirname(final), { recursive: true });
      // A hard link appears whole or not at all, and keeps the temporary name valid for a second publish.
      await fs.promises.link(file.temp, final).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
    },
    async release(file) {
      await fs.promises.unlink(file.temp).catch(ignoreMissing);
    },
    async remove(sha256) {
      await fs.promises.unlink(pathOf(sha256)).catch(ignoreMissing);
    },
    async open(sha256, range) {
      if (!SHA256.test(sha256)) return null;
      const handle = await fs.promises.open(pathOf(sha256), 'r').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return null;
        throw e;
      });
      return handle ? handle.createReadStream(range ? { start: range.start, end: range.end } : {}) : null;
    },
    async removeTemps(before) {
      let removed = 0;
      for (const name of await list(tmp)) {
        const file = path.join(tmp, name);
        if (!(await olderThan(file, before))) continue;
        await fs.promises.unlink(file).catch(ignoreMissing);
        removed++;
      }
      return removed;
    },
    async *listContent(before) {
      for (const prefix of await list(root)) {
        if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
        for (const name of await list(path.join(root, prefix))) {
          if (SHA256.test(name) && name.startsWith(prefix) && (await olderThan(path.join(root, prefix, name), before))) yield name;
        }
      }
    },
  };
}
