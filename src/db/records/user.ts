import { columns, RowOf } from '../columns';
import { UserEntity } from '../entities/user.entity';

/**
 * An allow-list, not everything but the secrets: the user row goes everywhere (loaders, audit,
 * GraphQL parents), so a credential column added to the entity later must stay out of it until
 * named here. Never passwordHash (nor where the password acts, passwordOrganisationId).
 */
export const USER_COLUMNS = columns(UserEntity, 'u', { pick: ['id', 'login', 'name', 'email', 'type', 'locked', 'createdAt'] });
export type UserRow = RowOf<typeof USER_COLUMNS>;
