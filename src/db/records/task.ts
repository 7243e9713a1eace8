import { columns, RowOf } from '../columns';
import { TaskEntity } from '../entities/task.entity';
import { currentAssignee } from './live';

export const TASK_COLUMNS = columns(TaskEntity, 't', {
  as: { createdBy: 'createdById' },
  sql: { assigneeId: (column) => currentAssignee(column, 't.case_id') },
});

/** A task's own columns, as Case.tasks lists them (the case row carries the share). */
export type TaskFields = RowOf<typeof TASK_COLUMNS> & { shareId: string };

/** A task loaded through itemScopeJoin: with the active organisation's share on it, for writes (R15). */
export interface TaskRow extends TaskFields {
  ownerShare: boolean;
  shareProfilePermissions: string[];
}
