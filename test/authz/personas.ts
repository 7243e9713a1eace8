/**
 * The personas of the authorization matrix, the column order of its table, and the permission
 * model the expected data is computed from. Everything here is written from rules.md (R6, R7,
 * R9, R15), NOT imported from src/: a mistake in the implementation must not be shared by the test.
 */

export const ORGS = ['soc', 'partner', 'stranger'] as const;
export type Org = (typeof ORGS)[number];
export const ORG_PROFILES = ['org-admin', 'incident-handler', 'analyst', 'read-only'] as const;
export type OrgProfile = (typeof ORG_PROFILES)[number];

export type PersonaKey = 'admin' | `${Org}/${OrgProfile}` | 'ext/reader' | 'ext/actor' | 'anon';

/**
 * The columns of every table row, in this order:
 *   admin | soc: org-admin incident-handler analyst read-only | partner: (same 4) | stranger: (same 4)
 *         | external-reader external-actor (portal users of soc) | unauthenticated
 */
export const COLUMN_GROUPS: ReadonlyArray<readonly PersonaKey[]> = [
  ['admin'],
  ORG_PROFILES.map((p) => `soc/${p}` as PersonaKey),
  ORG_PROFILES.map((p) => `partner/${p}` as PersonaKey),
  ORG_PROFILES.map((p) => `stranger/${p}` as PersonaKey),
  ['ext/reader', 'ext/actor'],
  ['anon'],
];
export const PERSONAS: readonly PersonaKey[] = COLUMN_GROUPS.flat();

/**
 * Expected outcomes. Error codes (api-contract.md "Errors"): U = UNAUTHENTICATED, F = FORBIDDEN,
 * NF = NOT_FOUND, BI = BAD_USER_INPUT, C = CONFLICT. Data: ok = allowed and the right data came
 * back (for reads: the object is there); ∅ = invisible (null, empty list, not listed, not streamed);
 * yes / no = explainAccess answered allowed / not allowed on a visible case.
 */
export const TOKENS = ['ok', '∅', 'yes', 'no', 'U', 'F', 'NF', 'BI', 'C'] as const;
export type Token = (typeof TOKENS)[number];

export const CODE_TOKEN: Record<string, Token> = {
  UNAUTHENTICATED: 'U',
  FORBIDDEN: 'F',
  NOT_FOUND: 'NF',
  BAD_USER_INPUT: 'BI',
  CONFLICT: 'C',
};

/** 'F | ok ok ok F | NF NF NF F | NF NF NF F | F F | U' → one token per persona, checked against COLUMN_GROUPS. */
export function parseExpect(line: string): Record<PersonaKey, Token> {
  const groups = line.split('|').map((g) => g.trim().split(/\s+/).filter(Boolean));
  if (groups.length !== COLUMN_GROUPS.length || groups.some((g, i) => g.length !== COLUMN_GROUPS[i].length)) {
    throw new Error(`expectation "${line}" does not have the shape ${COLUMN_GROUPS.map((g) => g.length).join(' | ')}`);
  }
  const out = {} as Record<PersonaKey, Token>;
  groups.flat().forEach((t, i) => {
    if (!(TOKENS as readonly string[]).includes(t)) throw new Error(`unknown token "${t}" in "${line}"`);
    out[PERSONAS[i]] = t as Token;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Permission model, from the rules text.

const GLOBAL = ['manageOrganisation', 'manageConfig', 'manageProfile', 'manageTag', 'manageCustomField', 'manageAnalyzerTemplate']; // R6
const CORTEX = ['manageAnalyse', 'manageAction', 'manageAnalyzerTemplate']; // R7
const CASE_LEVEL = [
  'manageCase',
  'manageObservable',
  'manageAlert',
  'manageTask',
  'manageShare',
  'manageCaseTemplate',
  'manageAnalyse',
  'manageAction',
  'manageExternalShare',
]; // R6
const INTERNAL = [
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
];
const ANALYST = ['manageCase', 'manageObservable', 'manageAlert', 'manageTask', 'manageAnalyse', 'manageAction'];

/** R9: the default profiles. */
export const PROFILE_PERMISSIONS: Record<string, readonly string[]> = {
  admin: [...GLOBAL, 'manageUser'],
  analyst: ANALYST,
  'incident-handler': [...ANALYST, 'manageShare', 'manageExternalShare'],
  'org-admin': INTERNAL.filter((p) => !GLOBAL.includes(p)),
  'read-only': [],
  all: INTERNAL,
  'external-reader': [],
  'external-actor': ['portalCreateCase', 'portalComment', 'portalAttachment', 'portalObservable'],
};
export const DEFAULT_PROFILES = Object.keys(PROFILE_PERMISSIONS);

/** R6/R7: a profile's permissions as effective in an organisation (the test server runs with the Cortex connector enabled, the default). */
export function effectivePermissions(profile: string, inAdmin: boolean, cortexEnabled = true): string[] {
  return PROFILE_PERMISSIONS[profile].filter(
    (p) => !(GLOBAL.includes(p) && !inAdmin) && !(CASE_LEVEL.includes(p) && inAdmin) && !(CORTEX.includes(p) && !cortexEnabled),
  );
}

/** R15: Case.myPermissions = effective user permissions ∩ the share profile. */
export function casePermissions(userProfile: string, shareProfile: string): string[] {
  const share = PROFILE_PERMISSIONS[shareProfile];
  return effectivePermissions(userProfile, false)
    .filter((p) => share.includes(p))
    .sort();
}
