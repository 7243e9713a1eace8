import type { Permission } from '../../generated/internal';
import { GLOBAL_PERMISSIONS, INTERNAL_PERMISSIONS } from '../../authz/permissions';

const analyst: Permission[] = ['manageCase', 'manageObservable', 'manageAlert', 'manageTask', 'manageAnalyse', 'manageAction'];

/** R9, created at first start. */
export const DEFAULT_PROFILES: ReadonlyArray<{ name: string; permissions: Permission[]; external: boolean }> = [
  { name: 'admin', permissions: [...GLOBAL_PERMISSIONS, 'manageUser'], external: false },
  { name: 'analyst', permissions: analyst, external: false },
  { name: 'incident-handler', permissions: [...analyst, 'manageShare', 'manageExternalShare'], external: false },
  { name: 'org-admin', permissions: INTERNAL_PERMISSIONS.filter((p) => !GLOBAL_PERMISSIONS.includes(p)), external: false },
  { name: 'read-only', permissions: [], external: false },
  { name: 'all', permissions: [...INTERNAL_PERMISSIONS], external: false },
  { name: 'external-reader', permissions: [], external: true },
  { name: 'external-actor', permissions: ['portalCreateCase', 'portalComment', 'portalAttachment', 'portalObservable'], external: true },
];

/** The owner share's profile (R12); immutable (R10). */
export const ALL_PROFILE = 'all';
