import { defineLoader } from '../../loaders';
import { AttachmentRow } from '../../db/records/attachment';
import { attachmentsByCaseSql } from './attachment.service';

declare module '../../loader-map' {
  interface LoaderMap {
    'attachment.byCase': { many: AttachmentRow };
  }
}

/** Case.attachments for every case of a page in one statement. */
export const attachmentsByCase = defineLoader({ name: 'attachment.byCase', many: attachmentsByCaseSql, keyOf: (r) => r.caseId });
