import { columns, RowOf } from '../columns';
import { ObservableEntity } from '../entities/observable.entity';

export const OBSERVABLE_COLUMNS = columns(ObservableEntity, 'ob', { as: { createdBy: 'createdById' } });

/** An observable's own columns, as Case.observables lists them (the case row carries the share). */
export type ObservableFields = RowOf<typeof OBSERVABLE_COLUMNS> & { shareId: string };

/** An observable loaded through itemScopeJoin: with the active organisation's share on it, for writes (R15). */
export interface ObservableRow extends ObservableFields {
  ownerShare: boolean;
  shareProfilePermissions: string[];
}
