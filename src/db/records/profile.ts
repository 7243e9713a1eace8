import { columns, RowOf } from '../columns';
import { ProfileEntity } from '../entities/profile.entity';

export const PROFILE_COLUMNS = columns(ProfileEntity, 'p');
export type ProfileRow = RowOf<typeof PROFILE_COLUMNS>;
