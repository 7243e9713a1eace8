import { ConflictError } from '../errors/app-error';
import type { Permission } from '../generated/internal';

/**
 * R11: who counts as an organisation's manager, in one place. An organisation must always keep a
 * member whose profile holds this permission, whatever the way there (removal, demotion,
 * updateProfile), and the `admin` profile must keep what administration needs.
 */
export const MANAGER_PERMISSION: Permission = 'manageUser';

/** SQL condition: the profile `alias` makes its members managers (the permission is a constant, never input). */
export const holdsManagerSql = (alias: string) => `'${MANAGER_PERMISSION}' = ANY(${alias}.permissions)`;

/** R11: without these, administration would be locked out for good. */
export const ADMIN_PROFILE_KEEPS: readonly Permission[] = ['manageProfile', MANAGER_PERMISSION];

/** R11: the refusal when a change would leave these organisations (quoted names) without a manager. */
export const leftWithoutManager = (quotedNames: string): ConflictError =>
  new ConflictError(`This would leave ${quotedNames} without a member holding ${MANAGER_PERMISSION}`);
