import { columns, RowOf } from '../columns';
import { AlertEntity, AlertObservableEntity } from '../entities/alert.entity';

/** An alert row as services and resolvers pass it around: always loaded through alertScope (R34). */
export const ALERT_COLUMNS = columns(AlertEntity, 'al', { as: { createdBy: 'createdById' } });
export type AlertRow = RowOf<typeof ALERT_COLUMNS>;

// position only orders the alert's observables (ORDER BY), it is not part of one.
export const ALERT_OBSERVABLE_COLUMNS = columns(AlertObservableEntity, 'ao', { omit: ['position'] });
export type AlertObservableRow = RowOf<typeof ALERT_OBSERVABLE_COLUMNS>;
