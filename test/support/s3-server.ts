import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';

/** s3rver 3.7 has no type declarations: the part the tests use. */
interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (opts: Record<string, unknown>) => S3rverInstance;

export const S3_BUCKET = 'hive-attachments';

export interface S3Server {
  endpoint: string;
  /** A client as the app configures it (path-style, checksums only when required). */
  client: S3Client;
  stop(): Promise<void>;
}

/**
 * A local S3-compatible server (s3rver, an npm devDependency: nothing to install in CI) on a
 * loopback port with one bucket, storing under a temporary folder. It accepts the default
 * S3RVER/S3RVER credentials, which the caller puts in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.
 */
export async function startS3Server(): Promise<S3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-s3-'));
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: S3_BUCKET, configs: [] }] });
  const { port } = await s3.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      await s3.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
