import { defineLoader } from '../../loaders';
import { CommentRow } from '../../db/records/comment';
import { commentsByCaseSql } from './comment.service';

declare module '../../loader-map' {
  interface LoaderMap {
    'comment.byCase': { many: CommentRow };
  }
}

/** Case.comments for every case of a page in one statement. */
export const commentsByCase = defineLoader({ name: 'comment.byCase', many: commentsByCaseSql, keyOf: (r) => r.caseId });
