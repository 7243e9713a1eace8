import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform, Readable } from 'node:stream';

export interface StoredFile {
  sha256: string;
  size: number;
}

/** Where attachment bytes live. Content-addressed by SHA-256, so an S3-compatible store can implement the same three calls. */
export interface FileStore {
  /** Streams to storage; throws (leaving nothing behind) when the stream fails or exceeds maxBytes. */
  put(stream: Readable, maxBytes: number): Promise<StoredFile>;
  get(sha256: string): Readable;
  exists(sha256: string): Promise<boolean>;
}

export class FileTooLargeError extends Error {}

export function createFileStore(dataDir: string): FileStore {
  const root = path.join(dataDir, 'files');
  const tmp = path.join(root, 'tmp');
  const pathOf = (sha: string) => path.join(root, sha.slice(0, 2), sha);
  return {
    async put(stream, maxBytes) {
      await fs.promises.mkdir(tmp, { recursive: true });
      const temp = path.join(tmp, randomUUID());
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
      try {
        await pipeline(stream, meter, fs.createWriteStream(temp, { flags: 'wx' }));
        const sha256 = hash.digest('hex');
        const final = pathOf(sha256);
        await fs.promises.mkdir(path.dirname(final), { recursive: true });
        // rename is atomic: a reader never sees a half-written file under its hash.
        await fs.promises.rename(temp, final);
        return { sha256, size };
      } catch (e) {
        await fs.promises.rm(temp, { force: true });
        throw e;
      }
    },
    get(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid sha256');
      return fs.createReadStream(pathOf(sha256));
    },
    async exists(sha256) {
      return fs.promises.access(pathOf(sha256)).then(() => true, () => false);
    },
  };
}
