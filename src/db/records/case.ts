import { columns, RowOf } from '../columns';
import { CaseEntity } from '../entities/case.entity';
import { currentAssignee } from './live';

export const CASE_COLUMNS = columns(CaseEntity, 'c', {
  as: { createdBy: 'createdById' },
  sql: { assigneeId: (column) => currentAssignee(column, 'c.id') },
});

/** A case row as services and resolvers pass it around: always loaded through caseScopeJoin. */
export type CaseRow = RowOf<typeof CASE_COLUMNS> & {
  /** The active organisation's share on the case and its profile's permissions (caseScopeJoin, R15). */
  shareId: string;
  ownerShare: boolean;
  shareProfilePermissions: string[];
};
