import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one } from '../../db/sql';
import { BadInputError } from '../../errors/app-error';
import { recordAudit } from '../audit-trail/audit-trail.shared';
import { FileTooLargeError, StoredFile } from './file-store';
import { collectFiles, lockContent } from './file-collector';
import type { FileUpload } from './upload';
import { AttachmentRow, ATTACHMENT_COLUMNS } from '../../db/records/attachment';

/** A stored upload, before its row exists. */
export interface StoredUpload extends StoredFile {
  name: string;
  contentType: string;
}

// Bidirectional overrides would let "evil\u202Efdp.exe" display as "evilexe.pdf".
// eslint-disable-next-line no-control-regex
const UNSAFE_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The last path segment, without control or bidi characters, at most 255 bytes of UTF-8; never empty. */
export function sanitizeFileName(raw: string | null | undefined): string {
  let name = (raw ?? '').normalize('NFC').split(/[/\\]/).pop() ?? '';
  name = name.replace(UNSAFE_NAME_CHARS, '').trim();
  if (name === '.' || name === '..') name = '';
  const chars = Array.from(name);
  while (Buffer.byteLength(chars.join(''), 'utf8') > 255) chars.pop();
  return chars.join('').trim() || 'file';
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** type/subtype from the upload (parameters dropped), else application/octet-stream. */
export function normaliseContentType(raw: string | null | undefined): string {
  const type = (raw ?? '').split(';')[0].trim().toLowerCase();
  return MEDIA_TYPE.test(type) ? type : 'application/octet-stream';
}

/** Streams an upload to the file store. Too large → BAD_USER_INPUT; nothing is left behind on failure. */
async function storeUpload(ctx: RequestContext, file: Promise<FileUpload>): Promise<StoredUpload> {
  const max = ctx.settings.maxUploadBytes;
  const tooLarge = () => new BadInputError(`The file is larger than the upload limit of ${max} bytes`, 'file');
  let upload: FileUpload;
  try {
    upload = await file;
  } catch (e) {
    if ((e as { status?: number }).status === 413) throw tooLarge();
    throw new BadInputError('The file could not be read from the request', 'file');
  }
  try {
    // graphql-upload stops at the same limit (413) before our meter sees one byte too many.
    const stored = await ctx.files.put(upload.createReadStream(), max);
    return { ...stored, name: sanitizeFileName(upload.filename), contentType: normaliseContentType(upload.mimetype) };
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (e instanceof FileTooLargeError || status === 413) throw tooLarge();
    if (status && status >= 400 && status < 500) throw new BadInputError('The upload did not complete', 'file');
    throw e;
  }
}

/**
 * Stores an upload, then runs `insert` (the transaction that inserts its row with insertAttachment).
 * The upload's temporary copy is kept until that transaction is over, since insertAttachment may
 * need it to put back content a concurrent removal deleted (file-collector.ts). When the insert
 * fails (refused, rolled back), the content is removed again unless another row uses it.
 */
export async function withStoredUpload<T>(ctx: RequestContext, file: Promise<FileUpload>, insert: (stored: StoredUpload) => Promise<T>): Promise<T> {
  const stored = await storeUpload(ctx, file);
  try {
    return await insert(stored);
  } catch (e) {
    await collectFiles(ctx, [stored.sha256]);
    throw e;
  } finally {
    await ctx.files.release(stored).catch((err) => ctx.logger.warn({ err }, 'could not delete the temporary copy of an upload; the start-up sweep will'));
  }
}

/**
 * Inserts and audits the row of a stored upload on a case the caller may attach to (checked by the
 * caller), inside withStoredUpload. Shared with the portal.
 */
export async function insertAttachment(
  ctx: RequestContext,
  tx: EntityManager,
  caseId: string,
  file: StoredUpload,
  flags: { external: boolean; viaPortal: boolean },
): Promise<AttachmentRow> {
  // Held until commit: a removal of this content waits for the row, or has finished and publish puts the content back.
  await lockContent(tx, file.sha256, 'shared');
  await ctx.files.publish(file);
  const row = await one<AttachmentRow>(
    tx,
    `INSERT INTO attachment AS a (case_id, name, size, content_type, sha256, external, via_portal, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${ATTACHMENT_COLUMNS}`,
    [caseId, file.name, file.size, file.contentType, file.sha256, flags.external, flags.viaPortal, principalOf(ctx).userId],
  );
  await recordAudit(ctx, tx, {
    action: 'attachment.create',
    objectType: 'Attachment',
    objectId: row!.id,
    caseId,
    details: { name: file.name, size: file.size, contentType: file.contentType, sha256: file.sha256, external: flags.external, viaPortal: flags.viaPortal },
  });
  return row!;
}
