import { columns, RowOf } from '../columns';
import { ShareEntity } from '../entities/share.entity';
import { liveShare } from './live';

// lineageExpiresAt is read as `expired`, at the statement's time (R39); caseOrganisationId is an
// index key (the case row says who owns it).
const SHARE = columns(ShareEntity, 'sh', {
  omit: ['lineageExpiresAt', 'caseOrganisationId'],
  as: { taskRule: 'tasks', observableRule: 'observables', createdBy: 'createdById' },
});

export type ShareRow = RowOf<typeof SHARE> & {
  /** R39: `expiresAt` is the expiry set on this share; `expired` also counts the shares it was made through. */
  expired: boolean;
};

export const SHARE_COLUMNS = `${SHARE}, NOT ${liveShare('sh')} AS expired`;
