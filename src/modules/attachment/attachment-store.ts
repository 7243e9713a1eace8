import { createFileStore, FileStore } from './file-store';

// Apart from file-store.ts, which the S3 store builds on (meterAndHash): no import cycle.
/** The store ATTACHMENT_STORE names: `file` (under DATA_DIR) or `s3://bucket[/prefix]` (file-store-s3.ts). */
export function createAttachmentStore(config: { attachmentStore: string; dataDir: string; s3Endpoint?: string }): FileStore {
  if (config.attachmentStore === 'file') return createFileStore(config.dataDir);
  // Loaded only when configured: the AWS SDK is large.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createS3FileStore } = require('./file-store-s3') as typeof import('./file-store-s3');
  return createS3FileStore(config.attachmentStore, { endpoint: config.s3Endpoint });
}
