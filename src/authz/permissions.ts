import type { Permission } from '../generated/internal';

export const ALL_PERMISSIONS: readonly Permission[] = [
  'manageOrganisation',
  'manageConfig',
  'manageProfile',
  'manageTag',
  'manageCustomField',
  'manageCase',
  'manageObservable',
  'manageAlert',
  'manageUser',
  'manageCaseTemplate',
  'manageTask',
  'manageShare',
  'manageAnalyse',
  'manageAction',
  'manageAnalyzerTemplate',
  'manageExternalShare',
  'portalCreateCase',
  'portalComment',
  'portalAttachment',
  'portalObservable',
];

/** Platform-wide objects: effective only in the admin organisation (R6). */
export const GLOBAL_PERMISSIONS: readonly Permission[] = [
  'manageOrganisation',
  'manageConfig',
  'manageProfile',
  'manageTag',
  'manageCustomField',
  'manageAnalyzerTemplate',
];

/** Case work: never effective in the admin organisation, which holds no cases (R1, R6). */
export const CASE_PERMISSIONS: readonly Permission[] = [
  'manageCase',
  'manageObservable',
  'manageAlert',
  'manageTask',
  'manageShare',
  'manageCaseTemplate',
  'manageAnalyse',
  'manageAction',
  'manageExternalShare',
];

/** Only while the Cortex connector is enabled (R7). */
export const CORTEX_PERMISSIONS: readonly Permission[] = ['manageAnalyse', 'manageAction', 'manageAnalyzerTemplate'];

/** R7: the refusal of an operation needing a Cortex permission while the connector is off. */
export const cortexDisabledMessage = (permission: string) => `Cortex connector disabled: ${permission} is not effective while the Cortex connector is off (R7)`;

export const PORTAL_PERMISSIONS: readonly Permission[] = ['portalCreateCase', 'portalComment', 'portalAttachment', 'portalObservable'];

export const INTERNAL_PERMISSIONS: readonly Permission[] = ALL_PERMISSIONS.filter((p) => !PORTAL_PERMISSIONS.includes(p));

export const ADMIN_ORGANISATION = 'admin';

export function isPermission(value: string): value is Permission {
  return (ALL_PERMISSIONS as readonly string[]).includes(value);
}

/** Keeps the canonical order so lists compare and print the same way everywhere. */
export function sortPermissions(perms: Iterable<string>): Permission[] {
  const set = new Set(perms);
  return ALL_PERMISSIONS.filter((p) => set.has(p));
}

/**
 * R6/R7: a profile's permissions as they apply in one organisation. External users' portal
 * permissions are not scoped (they never act in admin).
 */
export function effectiveOrganisationPermissions(profilePermissions: readonly string[], inAdminOrganisation: boolean, cortexEnabled: boolean): Set<Permission> {
  return new Set(
    sortPermissions(profilePermissions).filter((p) => {
      if (GLOBAL_PERMISSIONS.includes(p) && !inAdminOrganisation) return false;
      if (CASE_PERMISSIONS.includes(p) && inAdminOrganisation) return false;
      if (CORTEX_PERMISSIONS.includes(p) && !cortexEnabled) return false;
      return true;
    }),
  );
}

/** R15: what a member may do on a case = their effective permissions ∩ the share's profile. */
export function casePermissions(userPermissions: ReadonlySet<Permission>, shareProfilePermissions: readonly string[]): Permission[] {
  return sortPermissions(shareProfilePermissions.filter((p) => userPermissions.has(p as Permission)));
}
