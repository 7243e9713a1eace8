import { columns, RowOf } from '../columns';
import { CommentEntity } from '../entities/comment.entity';

export const COMMENT_COLUMNS = columns(CommentEntity, 'cm', { as: { createdBy: 'createdById' } });
export type CommentRow = RowOf<typeof COMMENT_COLUMNS>;
