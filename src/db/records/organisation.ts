import { columns, RowOf } from '../columns';
import { OrganisationEntity } from '../entities/organisation.entity';

// caseCounter is the numbering's internal state, not part of an organisation.
export const ORGANISATION_COLUMNS = columns(OrganisationEntity, 'o', { omit: ['caseCounter'] });
export type OrganisationRow = RowOf<typeof ORGANISATION_COLUMNS>;
