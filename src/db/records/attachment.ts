import { columns, RowOf } from '../columns';
import { AttachmentEntity } from '../entities/attachment.entity';

/** bigint arrives from pg as a string; a file size is far below 2^53, so every row reads it as a double. */
export const attachmentSize = (column: string) => `${column}::float8`;

const ATTACHMENT = columns(AttachmentEntity, 'a', { as: { createdBy: 'createdById' }, sql: { size: attachmentSize } });
export type AttachmentRow = Omit<RowOf<typeof ATTACHMENT>, 'size'> & { size: number };
export const ATTACHMENT_COLUMNS: string = ATTACHMENT;
