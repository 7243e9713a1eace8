import type { Endpoint } from './harness';

/**
 * THE AUTHORIZATION MATRIX (issue #5): every root field of both served schemas × every persona
 * × representative objects → the outcome the RULES (rules.md, api-contract.md) require. The
 * values were written from the rules, not copied from the implementation's answers.
 *
 * Columns (see personas.ts):
 *   admin | soc: org-admin incident-handler analyst read-only | partner: (same) | stranger: (same) | ext: reader actor | anon
 * Tokens: ok = allowed and the right data · ∅ = invisible (null / empty / not listed / not streamed)
 *         yes / no = explainAccess allowed / refused on a visible case
 *         U UNAUTHENTICATED · F FORBIDDEN · NF NOT_FOUND · BI BAD_USER_INPUT · C CONFLICT
 *
 * The world (test/fixtures/world.ts): soc links to partner (R3, one way); stranger is linked
 * with nobody; ext = soc's external-reader and external-actor (portal users, R21–R22).
 * Objects, named from their owner's side:
 *   socCase              soc's, shared with nobody
 *   socCaseSharedRO      soc's, shared with partner under `read-only`, tasks/observables MANUAL
 *   socCaseSharedAnalyst soc's, shared with partner under `analyst`, tasks/observables ALL
 *   socCaseSharedHandler soc's, shared with partner under `incident-handler` (partner then holds manageShare on it)
 *   partnerCase / strangerCase   owned by that organisation, shared with nobody
 *   X/org                the case (or item) X, with `org` as the organisation argument
 *   items: <case>-manual = a task/observable of socCaseSharedRO NOT shared with partner,
 *          socCaseSharedRO-sharedOne = one shared with partner one by one (R18)
 * "Own organisation" arguments (assignee, grant target, …) are the caller's: see ops-internal.ts.
 *
 * Principles applied in every row (api-contract.md "Errors", the lead's brief):
 *   - R22: portal users on /graphql and internal users on /portal/graphql → F; no credentials → U.
 *   - The root rule (@requires, the ORGANISATION permission after R6/R7 scoping) is checked first:
 *     F whatever the object. In `admin` no case permission is effective (R1, R6).
 *   - Then invisible == absent (R13, R17, R3 for organisations and users): null / NF.
 *   - Then visible but not permitted through the share (user ∩ share profile, R15) → F.
 */
export interface Row {
  endpoint: Endpoint;
  /** Root type and field. */
  field: string;
  object: string;
  /** Rule ids the expectations come from. */
  rules: string;
  expect: string;
}

const i = (field: string, object: string, rules: string, expect: string): Row => ({ endpoint: 'internal', field, object, rules, expect });
const p = (field: string, object: string, rules: string, expect: string): Row => ({ endpoint: 'portal', field, object, rules, expect });

// ---------------------------------------------------------------------------------------------
// Internal reads. R8: reading needs no permission; what is seen is what is shared (R3, R13, R17).

export const QUERIES: Row[] = [
  //                                                           admin | soc oa ih an ro | partner        | stranger       | ext  | anon
  i('Query.me', '-', 'R5 R22', 'ok   | ok ok ok ok     | ok ok ok ok    | ok ok ok ok    | F F  | U'),
  // users: the members of the active organisation; in admin, every user (api-contract, R11).
  i('Query.users', 'socUser', 'R11', 'ok   | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.users', 'partnerUser', 'R11', 'ok   | ∅ ∅ ∅ ∅         | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.users', 'strangerUser', 'R11', 'ok   | ∅ ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ok ok ok ok    | F F  | U'),
  i('Query.users', 'socExternalUser', 'R11 R21', 'ok   | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  // user(login): own members and members of linked organisations (R3: "A's users can see B's users"); admin all (R11).
  i('Query.user', 'socUser', 'R3 R11', 'ok   | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.user', 'partnerUser', 'R3 R11', 'ok   | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.user', 'strangerUser', 'R3 R11', 'ok   | ∅ ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ok ok ok ok    | F F  | U'),
  i('Query.user', 'socExternalUser', 'R3 R21', 'ok   | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  // organisations: the active one and those it links to; in admin all (R3).
  i('Query.organisations', 'soc', 'R3', 'ok   | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.organisations', 'partner', 'R3', 'ok   | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.organisations', 'stranger', 'R3', 'ok   | ∅ ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ok ok ok ok    | F F  | U'),
  i('Query.organisations', 'admin', 'R1 R3', 'ok   | ∅ ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.organisation', 'soc', 'R3', 'ok   | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.organisation', 'partner', 'R3', 'ok   | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.organisation', 'stranger', 'R3', 'ok   | ∅ ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ok ok ok ok    | F F  | U'),
  i('Query.organisation', 'admin', 'R1 R3', 'ok   | ∅ ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  // Profiles are global (R10) and readable by every internal user (R8; SDL).
  i('Query.profiles', '-', 'R8 R9 R10', 'ok   | ok ok ok ok     | ok ok ok ok    | ok ok ok ok    | F F  | U'),
  i('Query.profile', 'analyst', 'R8 R9', 'ok   | ok ok ok ok     | ok ok ok ok    | ok ok ok ok    | F F  | U'),
  // R36: settings only with manageConfig, effective in admin (R6). R37: templates are readable by every internal user (R8).
  i('Query.config', '-', 'R36 R6', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Query.analyzerTemplates', '-', 'R37 R8', 'ok   | ok ok ok ok     | ok ok ok ok    | ok ok ok ok    | F F  | U'),
  i('Query.observableDataTypes', '-', 'R8', 'ok   | ok ok ok ok     | ok ok ok ok    | ok ok ok ok    | F F  | U'),
  // R31, R32: the catalogue and the definitions are global, read by every internal user (R8); R33: templates only by their organisation.
  i('Query.tags', '-', 'R31 R8', 'ok   | ok ok ok ok     | ok ok ok ok    | ok ok ok ok    | F F  | U'),
  i('Query.customFields', '-', 'R32 R8', 'ok   | ok ok ok ok     | ok ok ok ok    | ok ok ok ok    | F F  | U'),
  i('Query.caseTemplates', 'socTemplate', 'R33', '∅    | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  // Cases: visible iff the organisation holds a share (R13); admin holds none (R1). case(): myPermissions = user ∩ share (R15).
  i('Query.cases', 'socCase', 'R13 R1', '∅    | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.cases', 'socCaseSharedRO', 'R13', '∅    | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.cases', 'socCaseSharedAnalyst', 'R13', '∅    | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.cases', 'partnerCase', 'R13 R3', '∅    | ∅ ∅ ∅ ∅         | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.cases', 'strangerCase', 'R13', '∅    | ∅ ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ok ok ok ok    | F F  | U'),
  i('Query.case', 'socCase', 'R13 R15', '∅    | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.case', 'socCaseSharedRO', 'R13 R15', '∅    | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.case', 'socCaseSharedAnalyst', 'R13 R15', '∅    | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.case', 'partnerCase', 'R13 R15', '∅    | ∅ ∅ ∅ ∅         | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.case', 'strangerCase', 'R13 R15', '∅    | ∅ ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ok ok ok ok    | F F  | U'),
  // R29: the history of a visible case; [] for an invisible one.
  i('Query.caseHistory', 'socCase', 'R29', '∅    | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.caseHistory', 'socCaseSharedRO', 'R29', '∅    | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.caseHistory', 'socCaseSharedAnalyst', 'R29', '∅    | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.caseHistory', 'partnerCase', 'R29', '∅    | ∅ ∅ ∅ ∅         | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.caseHistory', 'strangerCase', 'R29', '∅    | ∅ ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ok ok ok ok    | F F  | U'),
  // explainAccess(manageCase): yes iff manageCase ∈ user ∩ share (R15, R9: read-only has none); invisible → no share profile (∅, R13).
  i('Query.explainAccess', 'socCase', 'R15 R13', '∅    | yes yes yes no  | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.explainAccess', 'socCaseSharedRO', 'R15 R13', '∅    | yes yes yes no  | no no no no    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.explainAccess', 'socCaseSharedAnalyst', 'R15 R13', '∅    | yes yes yes no  | yes yes yes no | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.explainAccess', 'partnerCase', 'R15 R13', '∅    | ∅ ∅ ∅ ∅         | yes yes yes no | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.explainAccess', 'strangerCase', 'R15 R13', '∅    | ∅ ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | yes yes yes no | F F  | U'),
  // Tasks and observables: visible only where shared with the organisation (R17, R18).
  ...(['Query.task', 'Query.observable'] as const).flatMap((f) => [
    i(f, 'socCase', 'R17', '∅    | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
    i(f, 'socCaseSharedRO-manual', 'R17', '∅    | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
    i(f, 'socCaseSharedRO-sharedOne', 'R17 R18', '∅    | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
    i(f, 'socCaseSharedAnalyst', 'R17', '∅    | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
    i(f, 'partnerCase', 'R17', '∅    | ∅ ∅ ∅ ∅         | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
    i(f, 'strangerCase', 'R17', '∅    | ∅ ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ok ok ok ok    | F F  | U'),
  ]),
  // audit: case entries follow the case (R29; never in admin); user entries of the active organisation's
  // members and profile entries only with manageUser (api-contract; profiles are global, R10); entries about
  // the organisation itself to its members, and in admin (manageUser) every organisation entry.
  i('Query.audit', 'socCase', 'R29', '∅    | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.audit', 'socCaseSharedRO', 'R29', '∅    | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.audit', 'socCaseSharedAnalyst', 'R29', '∅    | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.audit', 'partnerCase', 'R29', '∅    | ∅ ∅ ∅ ∅         | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.audit', 'strangerCase', 'R29', '∅    | ∅ ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ok ok ok ok    | F F  | U'),
  i('Query.audit', 'socUserEntry', 'R29 R11', 'ok   | ok ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.audit', 'socOrgEntry', 'R29 R3', 'ok   | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Query.audit', 'profileEntry', 'R29 R10', 'ok   | ok ∅ ∅ ∅         | ok ∅ ∅ ∅       | ok ∅ ∅ ∅       | F F  | U'),
  // caseReads: the owner organisation only (R40); a non-owner that sees the case → F, an invisible case → NF.
  i('Query.caseReads', 'socCase', 'R40 R13', 'NF   | ok ok ok ok     | NF NF NF NF    | NF NF NF NF    | F F  | U'),
  i('Query.caseReads', 'socCaseSharedRO', 'R40', 'NF   | ok ok ok ok     | F F F F        | NF NF NF NF    | F F  | U'),
  i('Query.caseReads', 'partnerCase', 'R40', 'NF   | NF NF NF NF     | ok ok ok ok    | NF NF NF NF    | F F  | U'),
  i('Query.caseReads', 'strangerCase', 'R40', 'NF   | NF NF NF NF     | NF NF NF NF    | ok ok ok ok    | F F  | U'),
  // disclosure: manageShare on the case (R38, R15); the root rule first (F), then invisible → NF.
  i('Query.disclosure', 'socCase', 'R38 R13', 'F    | ok ok F F       | NF NF F F      | NF NF F F      | F F  | U'),
  i('Query.disclosure', 'socCaseSharedRO', 'R38 R15', 'F    | ok ok F F       | F F F F        | NF NF F F      | F F  | U'),
  i('Query.disclosure', 'socCaseSharedHandler', 'R38', 'F    | ok ok F F       | ok ok F F      | NF NF F F      | F F  | U'),
  i('Query.disclosure', 'partnerCase', 'R38 R13', 'F    | NF NF F F       | ok ok F F      | NF NF F F      | F F  | U'),
  // verifyAudit: manageConfig, effective only in admin (R41, R6); an unknown organisation is absent.
  i('Query.verifyAudit', 'soc', 'R41 R6', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Query.verifyAudit', 'nowhere', 'R41 R13', 'NF   | F F F F         | F F F F        | F F F F        | F F  | U'),
];

// ---------------------------------------------------------------------------------------------
// Accounts. R11: manageUser reaches the active organisation's own members; in admin, everyone.
// A member of a linked organisation is visible (R3) but not managed → F; an invisible one → NF.

export const ACCOUNTS: Row[] = [
  //                                                           admin | soc oa ih an ro | partner        | stranger       | ext  | anon
  i('Mutation.login', 'ownCredentials', 'R22 R5', 'ok   | ok ok ok ok     | ok ok ok ok    | ok ok ok ok    | F F  | U'),
  i('Mutation.login', 'wrongPassword', 'api-contract', 'U    | U U U U         | U U U U        | U U U U        | U U  | U'),
  i('Mutation.logout', '-', 'R22', 'ok   | ok ok ok ok     | ok ok ok ok    | ok ok ok ok    | F F  | U'),
  // createUser(organisation): outside admin only the active organisation (R11; SDL).
  i('Mutation.createUser', 'soc', 'R11 R3', 'ok   | ok F F F        | NF F F F       | NF F F F       | F F  | U'),
  i('Mutation.createUser', 'partner', 'R11 R3', 'ok   | F F F F         | ok F F F       | NF F F F       | F F  | U'),
  i('Mutation.createUser', 'stranger', 'R11 R3', 'ok   | NF F F F        | NF F F F       | ok F F F       | F F  | U'),
  i('Mutation.createUser', 'admin', 'R11 R3', 'ok   | NF F F F        | NF F F F       | NF F F F       | F F  | U'),
  ...(['Mutation.setMembership', 'Mutation.removeMembership'] as const).flatMap((f) => [
    i(f, 'socMember', 'R11 R3', 'ok   | ok F F F        | NF F F F       | NF F F F       | F F  | U'),
    i(f, 'partnerMember', 'R11 R3', 'ok   | F F F F         | ok F F F       | NF F F F       | F F  | U'),
    i(f, 'strangerMember', 'R11 R3', 'ok   | NF F F F        | NF F F F       | ok F F F       | F F  | U'),
  ]),
  // Locking needs manageUser over the user, never oneself (R11; the team's code for "never oneself": BI).
  i('Mutation.lockUser', 'socUser', 'R11 R3', 'ok   | ok F F F        | NF F F F       | NF F F F       | F F  | U'),
  i('Mutation.lockUser', 'partnerUser', 'R11 R3', 'ok   | F F F F         | ok F F F       | NF F F F       | F F  | U'),
  i('Mutation.lockUser', 'strangerUser', 'R11 R3', 'ok   | NF F F F        | NF F F F       | ok F F F       | F F  | U'),
  i('Mutation.lockUser', 'self', 'R11', 'BI   | BI F F F        | BI F F F       | BI F F F       | F F  | U'),
  // Credentials: one's own (no permission), or another's with manageUser over them (R11; SDL).
  ...(['Mutation.setPassword', 'Mutation.createApiKey'] as const).flatMap((f) => [
    i(f, 'self', 'R11', 'ok   | ok ok ok ok     | ok ok ok ok    | ok ok ok ok    | F F  | U'),
    i(f, 'socUser', 'R11 R3', 'ok   | ok F F F        | NF NF NF NF    | NF NF NF NF    | F F  | U'),
    i(f, 'partnerUser', 'R11 R3', 'ok   | F F F F         | ok F F F       | NF NF NF NF    | F F  | U'),
    i(f, 'strangerUser', 'R11 R3', 'ok   | NF NF NF NF     | NF NF NF NF    | ok F F F       | F F  | U'),
  ]),
  // External users: created with manageUser in the active organisation, never in admin, with an external profile (R21, R22, R10).
  i('Mutation.createExternalUser', 'externalProfile', 'R21', 'BI   | ok F F F        | ok F F F       | ok F F F       | F F  | U'),
  i('Mutation.createExternalUser', 'internalProfile', 'R21 R10 R22', 'BI | BI F F F      | BI F F F       | BI F F F       | F F  | U'),
  i('Mutation.resendInvitation', 'socExternal', 'R21 R11', 'ok   | ok F F F        | NF F F F       | NF F F F       | F F  | U'),
  i('Mutation.resendInvitation', 'partnerExternal', 'R21 R11', 'ok   | F F F F         | ok F F F       | NF F F F       | F F  | U'),
  i('Mutation.resendInvitation', 'strangerExternal', 'R21 R11', 'ok  | NF F F F        | NF F F F       | ok F F F       | F F  | U'),
  i('Mutation.resendInvitation', 'socInternal', 'R21', 'BI   | BI F F F        | NF F F F       | NF F F F       | F F  | U'),
];

// ---------------------------------------------------------------------------------------------
// Global objects: manageOrganisation / manageProfile are effective only in admin (R4, R6, R10).

export const GLOBAL_OBJECTS: Row[] = [
  //                                                           admin | soc oa ih an ro | partner        | stranger       | ext  | anon
  i('Mutation.createOrganisation', 'fresh', 'R4 R6', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.createOrganisation', 'takenName', 'R2', 'C    | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.updateOrganisation', 'soc', 'R4 R6', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.updateOrganisation', 'fresh', 'R4', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.updateOrganisation', 'admin', 'R1', 'BI   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.linkOrganisations', 'freshToFresh', 'R3 R4', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.linkOrganisations', 'freshToAdmin', 'R1 R3', 'BI   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.linkOrganisations', 'freshToItself', 'R3', 'BI   | F F F F         | F F F F        | F F F F        | F F  | U'),
  // from = the caller's own organisation (admin: admin, which is never linked, R1).
  i('Mutation.linkOrganisations', 'ownToFresh', 'R4 R1', 'BI   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.unlinkOrganisations', 'linkedFreshPair', 'R3 R4', 'ok  | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.unlinkOrganisations', 'adminToFresh', 'R1', 'BI   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.createProfile', 'internal', 'R10 R6', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.createProfile', 'external', 'R10', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.createProfile', 'mixedPermissions', 'R10', 'BI   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.createProfile', 'takenName', 'R10', 'C    | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.updateProfile', 'freshUnused', 'R10', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.updateProfile', 'freshInUse', 'R10', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.updateProfile', 'all', 'R10', 'BI   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.deleteProfile', 'freshUnused', 'R10', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.deleteProfile', 'freshInUse', 'R10', 'C    | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.deleteProfile', 'all', 'R10', 'BI   | F F F F         | F F F F        | F F F F        | F F  | U'),
  // R31, R32: the tag catalogue and custom field definitions are global (manageTag, manageCustomField: admin only, R6).
  i('Mutation.createTag', 'fresh', 'R31 R6', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.createTag', 'takenName', 'R31', 'C    | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.updateTag', 'fresh', 'R31 R6', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.deleteTag', 'fresh', 'R31 R6', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.createCustomField', 'fresh', 'R32 R6', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.createCustomField', 'takenName', 'R32', 'C    | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.updateCustomField', 'fresh', 'R32 R6', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.updateCustomField', 'inUse', 'R32', 'C    | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.deleteCustomField', 'fresh', 'R32 R6', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.deleteCustomField', 'inUse', 'R32', 'C    | F F F F         | F F F F        | F F F F        | F F  | U'),
  // R33: templates belong to the active organisation (manageCaseTemplate: org-admin; never effective in admin, R6);
  // another organisation's template is absent (NF).
  i('Mutation.createCaseTemplate', 'fresh', 'R33 R6', 'F    | ok F F F        | ok F F F       | ok F F F       | F F  | U'),
  i('Mutation.updateCaseTemplate', 'socTemplate', 'R33', 'F    | ok F F F        | NF F F F       | NF F F F       | F F  | U'),
  i('Mutation.deleteCaseTemplate', 'socTemplate', 'R33', 'F    | ok F F F        | NF F F F       | NF F F F       | F F  | U'),
  // R36: manageConfig, effective only in admin (R6); the value is validated per key (the matrix sets the environment's own value).
  i('Mutation.setConfig', 'sessionTtlSeconds', 'R36 R6', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.setConfig', 'badValue', 'R36', 'BI   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.resetConfig', 'sessionTtlSeconds', 'R36 R6', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  // R37: manageAnalyzerTemplate, effective only in admin (R6) while Cortex is enabled (R7, the test server's default).
  i('Mutation.createAnalyzerTemplate', 'fresh', 'R37 R6 R7', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.createAnalyzerTemplate', 'taken', 'R37', 'C    | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.updateAnalyzerTemplate', 'fresh', 'R37 R6 R7', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.updateAnalyzerTemplate', 'absent', 'R37', 'NF   | F F F F         | F F F F        | F F F F        | F F  | U'),
  i('Mutation.deleteAnalyzerTemplate', 'fresh', 'R37 R6 R7', 'ok   | F F F F         | F F F F        | F F F F        | F F  | U'),
];

// ---------------------------------------------------------------------------------------------
// Case writes. R12/R19: manageCase (org level, never in admin), then through the share (R15);
// invisible → NF (R13); delete only by the owner organisation (R19); assignees per R20.

const CASE_WRITE = {
  //                      admin | soc oa ih an ro | partner        | stranger       | ext  | anon
  socCase: 'F    | ok ok ok F      | NF NF NF F     | NF NF NF F     | F F  | U',
  socCaseSharedRO: 'F    | ok ok ok F      | F F F F        | NF NF NF F     | F F  | U',
  socCaseSharedAnalyst: 'F    | ok ok ok F      | ok ok ok F     | NF NF NF F     | F F  | U',
  partnerCase: 'F    | NF NF NF F      | ok ok ok F     | NF NF NF F     | F F  | U',
  strangerCase: 'F    | NF NF NF F      | NF NF NF F     | ok ok ok F     | F F  | U',
};
const caseWriteRows = (field: string, rules: string, override: Partial<typeof CASE_WRITE> = {}) =>
  (Object.keys(CASE_WRITE) as Array<keyof typeof CASE_WRITE>).map((k) => i(field, k, rules, override[k] ?? CASE_WRITE[k]));

export const CASE_WRITES: Row[] = [
  //                                                           admin | soc oa ih an ro | partner        | stranger       | ext  | anon
  i('Mutation.createCase', '-', 'R12 R1 R6', 'F    | ok ok ok F      | ok ok ok F     | ok ok ok F     | F F  | U'),
  // R33: a template of another organisation is unknown to the caller → BI; nothing is created.
  i('Mutation.createCase', 'socTemplate', 'R33 R12', 'F    | ok ok ok F      | BI BI BI F     | BI BI BI F     | F F  | U'),
  // R32: values need manageCase on the case (R15).
  ...caseWriteRows('Mutation.setCustomField', 'R32 R15 R13'),
  ...caseWriteRows('Mutation.updateCase', 'R19 R15 R13'),
  ...caseWriteRows('Mutation.deleteCase', 'R19 R15 R13', {
    socCaseSharedAnalyst: 'F    | ok ok ok F      | F F F F        | NF NF NF F     | F F  | U', // R19: only the owner organisation
  }),
  ...caseWriteRows('Mutation.assignCase', 'R19 R20 R15 R13'),
  i('Mutation.assignCase', 'socCase/externalAssignee', 'R20', 'F    | BI BI BI F      | NF NF NF F     | NF NF NF F     | F F  | U'),
  // R19: manageTask / manageObservable through the share; the analyst share holds both (R9).
  ...caseWriteRows('Mutation.createTask', 'R19 R15 R13 R17'),
  ...caseWriteRows('Mutation.createObservable', 'R19 R15 R13 R17'),
  // R19: manageCase to comment or attach; `external: true` also needs manageExternalShare (R24), through the share too (R15).
  ...caseWriteRows('Mutation.addComment', 'R19 R15 R13'),
  i('Mutation.addComment', 'socCase/external', 'R24 R19', 'F    | ok ok F F       | NF NF NF F     | NF NF NF F     | F F  | U'),
  i('Mutation.addComment', 'socCaseSharedAnalyst/external', 'R24 R15', 'F | ok ok F F  | F F F F        | NF NF NF F     | F F  | U'),
  ...caseWriteRows('Mutation.addAttachment', 'R19 R15 R13'),
  i('Mutation.addAttachment', 'socCase/external', 'R24 R19', 'F    | ok ok F F       | NF NF NF F     | NF NF NF F     | F F  | U'),
  i('Mutation.addAttachment', 'socCaseSharedAnalyst/external', 'R24 R15', 'F | ok ok F F | F F F F       | NF NF NF F     | F F  | U'),
];

// ---------------------------------------------------------------------------------------------
// Task and observable writes (R19 manageTask / manageObservable through the share, R15; R17
// an item not shared with the organisation is absent).

const ITEM_WRITE = {
  //                           admin | soc oa ih an ro | partner        | stranger       | ext  | anon
  socCase: 'F    | ok ok ok F      | NF NF NF F     | NF NF NF F     | F F  | U',
  'socCaseSharedRO-manual': 'F    | ok ok ok F      | NF NF NF F     | NF NF NF F     | F F  | U',
  'socCaseSharedRO-sharedOne': 'F   | ok ok ok F      | F F F F        | NF NF NF F     | F F  | U',
  socCaseSharedAnalyst: 'F    | ok ok ok F      | ok ok ok F     | NF NF NF F     | F F  | U',
  partnerCase: 'F    | NF NF NF F      | ok ok ok F     | NF NF NF F     | F F  | U',
  strangerCase: 'F    | NF NF NF F      | NF NF NF F     | ok ok ok F     | F F  | U',
};

export const ITEM_WRITES: Row[] = [
  ...['updateTask', 'deleteTask', 'updateObservable', 'deleteObservable'].flatMap((m) =>
    Object.entries(ITEM_WRITE).map(([object, expect]) => i(`Mutation.${m}`, object, 'R19 R15 R17', expect)),
  ),
  // R37: runAnalyzer needs manageAnalyse through the share (analyst, incident-handler and org-admin hold it; the
  // analyst share too), on an observable; runResponder manageAction on a case, a task or an observable (R7: Cortex enabled).
  ...Object.entries(ITEM_WRITE).map(([object, expect]) => i('Mutation.runAnalyzer', object, 'R37 R15 R17', expect)),
  ...caseWriteRows('Mutation.runResponder', 'R37 R15 R13'),
  i('Mutation.runResponder', 'task:socCaseSharedAnalyst', 'R37 R15 R17', ITEM_WRITE.socCaseSharedAnalyst),
  i('Mutation.runResponder', 'task:socCaseSharedRO-manual', 'R37 R17', ITEM_WRITE['socCaseSharedRO-manual']),
  i('Mutation.runResponder', 'observable:socCaseSharedRO-sharedOne', 'R37 R15 R17', ITEM_WRITE['socCaseSharedRO-sharedOne']),
];

// ---------------------------------------------------------------------------------------------
// Shares. manageShare (org level: org-admin, incident-handler) and through the share (R14, R15).

export const SHARES: Row[] = [
  //                                                           admin | soc oa ih an ro | partner        | stranger       | ext  | anon
  // shareCase(profile read-only): only with a linked organisation (R3/R14: others are invisible → NF); twice → C (R14).
  i('Mutation.shareCase', 'socCase/partner', 'R14', 'F    | ok ok F F       | NF NF F F      | NF NF F F      | F F  | U'),
  i('Mutation.shareCase', 'socCase/stranger', 'R14 R3', 'F    | NF NF F F       | NF NF F F      | NF NF F F      | F F  | U'),
  i('Mutation.shareCase', 'socCaseSharedRO/partner', 'R14 R15', 'F   | C C F F         | F F F F        | NF NF F F      | F F  | U'),
  i('Mutation.shareCase', 'socCaseSharedAnalyst/partner', 'R14 R15', 'F | C C F F      | F F F F        | NF NF F F      | F F  | U'),
  i('Mutation.shareCase', 'partnerCase/soc', 'R14 R3', 'F    | NF NF F F       | NF NF F F      | NF NF F F      | F F  | U'),
  // R16: with manageShare on the case, never one's own organisation's share, never the owner share (team: BI).
  i('Mutation.unshareCase', 'socCaseSharedRO/partner', 'R16 R15', 'F | ok ok F F       | F F F F        | NF NF F F      | F F  | U'),
  i('Mutation.unshareCase', 'socCaseSharedAnalyst/partner', 'R16 R15', 'F | ok ok F F  | F F F F        | NF NF F F      | F F  | U'),
  i('Mutation.unshareCase', 'socCaseSharedHandler/partner', 'R16', 'F | ok ok F F       | BI BI F F      | NF NF F F      | F F  | U'),
  i('Mutation.unshareCase', 'socCaseSharedHandler/soc', 'R16', 'F    | BI BI F F       | BI BI F F      | NF NF F F      | F F  | U'),
  i('Mutation.unshareCase', 'socCase/partner', 'R16 R13', 'F    | NF NF F F       | NF NF F F      | NF NF F F      | F F  | U'),
  i('Mutation.unshareCase', 'partnerCase/partner', 'R16', 'F    | NF NF F F       | BI BI F F      | NF NF F F      | F F  | U'),
  i('Mutation.updateShare', 'socCaseSharedRO/partner', 'R16 R15', 'F | ok ok F F       | F F F F        | NF NF F F      | F F  | U'),
  i('Mutation.updateShare', 'socCaseSharedHandler/partner', 'R16', 'F | ok ok F F       | BI BI F F      | NF NF F F      | F F  | U'),
  i('Mutation.updateShare', 'socCaseSharedHandler/soc', 'R16', 'F    | BI BI F F       | BI BI F F      | NF NF F F      | F F  | U'),
  i('Mutation.updateShare', 'socCase/partner', 'R16 R13', 'F    | NF NF F F       | NF NF F F      | NF NF F F      | F F  | U'),
  i('Mutation.updateShare', 'partnerCase/partner', 'R16', 'F    | NF NF F F       | BI BI F F      | NF NF F F      | F F  | U'),
  // R39/R16a: as updateShare; a non-owner only on the shares it made (partner made none here).
  i('Mutation.setShareExpiry', 'socCaseSharedRO/partner', 'R39 R15', 'F | ok ok F F      | F F F F        | NF NF F F      | F F  | U'),
  i('Mutation.setShareExpiry', 'socCaseSharedHandler/partner', 'R39 R16', 'F | ok ok F F | BI BI F F      | NF NF F F      | F F  | U'),
  i('Mutation.setShareExpiry', 'socCaseSharedHandler/soc', 'R39 R16', 'F | BI BI F F     | BI BI F F      | NF NF F F      | F F  | U'),
  i('Mutation.setShareExpiry', 'socCase/partner', 'R39 R13', 'F    | NF NF F F       | NF NF F F      | NF NF F F      | F F  | U'),
  i('Mutation.setShareExpiry', 'partnerCase/partner', 'R39 R16', 'F   | NF NF F F       | BI BI F F      | NF NF F F      | F F  | U'),
  // R18: one by one, only with an organisation the case is shared with (else BI); already shared: unchanged (SDL).
  ...(['Task', 'Observable'] as const).flatMap((T) => [
    i(`Mutation.share${T}`, 'socCaseSharedRO-manual/partner', 'R18 R17', 'F | ok ok F F | NF NF F F      | NF NF F F      | F F  | U'),
    i(`Mutation.share${T}`, 'socCaseSharedRO-sharedOne/partner', 'R18 R15', 'F | ok ok F F | F F F F     | NF NF F F      | F F  | U'),
    i(`Mutation.share${T}`, 'socCaseSharedAnalyst/partner', 'R18 R15', 'F | ok ok F F  | F F F F        | NF NF F F      | F F  | U'),
    i(`Mutation.share${T}`, 'socCase/partner', 'R18', 'F    | BI BI F F       | NF NF F F      | NF NF F F      | F F  | U'),
    i(`Mutation.share${T}`, 'partnerCase/partner', 'R18', 'F    | NF NF F F       | ok ok F F      | NF NF F F      | F F  | U'),
    // An organisation the caller cannot see is one the case is not shared with, for the caller (R18, R3): BI, never NF.
    i(`Mutation.share${T}`, 'socCase/stranger', 'R18 R3', 'F    | BI BI F F       | NF NF F F      | NF NF F F      | F F  | U'),
    // Unsharing needs the same permission and names the organisation as sharing does (R18); never from the
    // owner organisation (R16, SDL: BI); an organisation that does not hold the item → BI too (NF is for the item only).
    i(`Mutation.unshare${T}`, 'socCaseSharedRO-sharedOne/partner', 'R18 R15', 'F | ok ok F F | F F F F   | NF NF F F      | F F  | U'),
    i(`Mutation.unshare${T}`, 'socCaseSharedAnalyst/partner', 'R18 R15', 'F | ok ok F F | F F F F        | NF NF F F      | F F  | U'),
    i(`Mutation.unshare${T}`, 'socCaseSharedRO-manual/partner', 'R18 R17', 'F | BI BI F F | NF NF F F    | NF NF F F      | F F  | U'),
    i(`Mutation.unshare${T}`, 'socCase/soc', 'R18 R16', 'F    | BI BI F F       | NF NF F F      | NF NF F F      | F F  | U'),
    i(`Mutation.unshare${T}`, 'partnerCase/partner', 'R18 R16', 'F   | NF NF F F       | BI BI F F      | NF NF F F      | F F  | U'),
    i(`Mutation.unshare${T}`, 'socCase/stranger', 'R18 R3', 'F    | BI BI F F       | NF NF F F      | NF NF F F      | F F  | U'),
  ]),
];

// ---------------------------------------------------------------------------------------------
// What exposes data to the portal: manageExternalShare on the case (R19, R23, R24).

const EXTERNAL_FLAG = {
  //                      admin | soc oa ih an ro | partner        | stranger       | ext  | anon
  socCase: 'F    | ok ok F F       | NF NF F F      | NF NF F F      | F F  | U',
  socCaseSharedRO: 'F    | ok ok F F       | F F F F        | NF NF F F      | F F  | U',
  socCaseSharedAnalyst: 'F    | ok ok F F       | F F F F        | NF NF F F      | F F  | U',
  partnerCase: 'F    | NF NF F F       | ok ok F F      | NF NF F F      | F F  | U',
  strangerCase: 'F    | NF NF F F       | NF NF F F      | ok ok F F      | F F  | U',
};

export const EXTERNAL_SHARING: Row[] = [
  ...(['Mutation.setCommentExternal', 'Mutation.setAttachmentExternal'] as const).flatMap((f) =>
    Object.entries(EXTERNAL_FLAG).map(([object, expect]) => i(f, object, 'R24 R19 R15 R13', expect)),
  ),
  // Grants go to the external user of the caller's organisation (R23: it must hold a share on the case).
  ...(['Mutation.grantExternalAccess', 'Mutation.revokeExternalAccess'] as const).flatMap((f) => [
    ...Object.entries(EXTERNAL_FLAG).map(([object, expect]) => i(f, object, 'R23 R19 R15 R13', expect)),
    // Through an incident-handler share, partner holds manageExternalShare on soc's case (R15).
    i(f, 'socCaseSharedHandler', 'R23 R15', 'F    | ok ok F F       | ok ok F F      | NF NF F F      | F F  | U'),
  ]),
  i('Mutation.grantExternalAccess', 'socCase/internalLogin', 'R23', 'F | BI BI F F       | NF NF F F      | NF NF F F      | F F  | U'),
  i('Mutation.revokeExternalAccess', 'socCase/notGranted', 'R23', 'F | NF NF F F         | NF NF F F      | NF NF F F      | F F  | U'),
];

// ---------------------------------------------------------------------------------------------
// liveFeed (R30): the entries R29 lets the active organisation see. Over graphql-ws a refused
// subscriber gets the code the HTTP endpoint gives for the same credentials.

export const LIVE_FEED: Row[] = [
  //                                                           admin | soc oa ih an ro | partner        | stranger       | ext  | anon
  i('Subscription.liveFeed', 'socCase', 'R30 R29', '∅    | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Subscription.liveFeed', 'socCaseSharedRO', 'R30 R29', '∅    | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Subscription.liveFeed', 'socCaseSharedAnalyst', 'R30 R29', '∅   | ok ok ok ok     | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Subscription.liveFeed', 'partnerCase', 'R30 R29', '∅    | ∅ ∅ ∅ ∅         | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Subscription.liveFeed', 'strangerCase', 'R30 R29', '∅    | ∅ ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ok ok ok ok    | F F  | U'),
  i('Subscription.liveFeed', 'socUserCreated', 'R30 R29 R11', 'ok   | ok ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
  i('Subscription.liveFeed', 'partnerUserCreated', 'R30 R29 R11', 'ok | ∅ ∅ ∅ ∅        | ok ∅ ∅ ∅       | ∅ ∅ ∅ ∅        | F F  | U'),
];

// ---------------------------------------------------------------------------------------------
// The portal (/portal/graphql). R22: internal users are refused there. R23: a case granted to
// the caller or created by the caller; R24/R25: only external comments, no analyst observable;
// R26: each write needs its portal permission (external-reader has none) and a visible case.

export const PORTAL: Row[] = [
  //                                                           admin | soc oa ih an ro | partner        | stranger       | ext  | anon
  p('Query.me', '-', 'R22', 'F    | F F F F         | F F F F        | F F F F        | ok ok | U'),
  ...(['Query.cases', 'Query.case'] as const).flatMap((f) => [
    p(f, 'grantedToBoth', 'R23 R24 R25 R27', 'F    | F F F F         | F F F F        | F F F F        | ok ok | U'),
    p(f, 'grantedToActorOnly', 'R23', 'F    | F F F F         | F F F F        | F F F F        | ∅ ok  | U'),
    p(f, 'reportedByActor', 'R23 R26', 'F    | F F F F         | F F F F        | F F F F        | ∅ ok  | U'),
    p(f, 'notGranted', 'R23', 'F    | F F F F         | F F F F        | F F F F        | ∅ ∅   | U'),
    p(f, 'revoked', 'R23', 'F    | F F F F         | F F F F        | F F F F        | ∅ ∅   | U'),
  ]),
  p('Mutation.login', 'ownCredentials', 'R22', 'F    | F F F F         | F F F F        | F F F F        | ok ok | U'),
  p('Mutation.login', 'wrongPassword', 'api-contract', 'U    | U U U U         | U U U U        | U U U U        | U U   | U'),
  p('Mutation.logout', '-', 'R22', 'F    | F F F F         | F F F F        | F F F F        | ok ok | U'),
  // @public: the one-time token is the credential (R21); the caller's own headers do not matter.
  p('Mutation.acceptInvitation', 'validToken', 'R21', 'ok   | ok ok ok ok     | ok ok ok ok    | ok ok ok ok    | ok ok | ok'),
  p('Mutation.acceptInvitation', 'usedToken', 'R21', 'U    | U U U U         | U U U U        | U U U U        | U U   | U'),
  p('Mutation.createCase', '-', 'R26 R22', 'F    | F F F F         | F F F F        | F F F F        | F ok  | U'),
  ...(['Mutation.addComment', 'Mutation.addAttachment', 'Mutation.addObservable'] as const).flatMap((f) => [
    p(f, 'grantedToCaller', 'R26 R23', 'F    | F F F F         | F F F F        | F F F F        | F ok  | U'),
    p(f, 'reportedByActor', 'R26 R23', 'F    | F F F F         | F F F F        | F F F F        | F ok  | U'),
    p(f, 'notGranted', 'R26 R23', 'F    | F F F F         | F F F F        | F F F F        | F NF  | U'),
    p(f, 'revoked', 'R26 R23', 'F    | F F F F         | F F F F        | F F F F        | F NF  | U'),
  ]),
];

// ---------------------------------------------------------------------------------------------
// Alerts (R34, R35): one organisation's, never shared — its members read them (R8), others see
// nothing (∅ / NF); writes need manageAlert (never effective in admin, R6; read-only lacks it).
// mergeAlert also needs manageCase on the target case, through the share (R15).

const ALERT_OF = {
  //              admin | soc oa ih an ro | partner        | stranger       | ext  | anon
  socAlert: 'F    | ok ok ok F      | NF NF NF F     | NF NF NF F     | F F  | U',
  partnerAlert: 'F    | NF NF NF F      | ok ok ok F     | NF NF NF F     | F F  | U',
  strangerAlert: 'F    | NF NF NF F      | NF NF NF F     | ok ok ok F     | F F  | U',
};
const alertWriteRows = (field: string, rules: string) => (Object.keys(ALERT_OF) as Array<keyof typeof ALERT_OF>).map((k) => i(field, k, rules, ALERT_OF[k]));

export const ALERTS: Row[] = [
  //                                                           admin | soc oa ih an ro | partner        | stranger       | ext  | anon
  ...(['Query.alerts', 'Query.alert'] as const).flatMap((f) => [
    i(f, 'socAlert', 'R34 R8', '∅    | ok ok ok ok     | ∅ ∅ ∅ ∅        | ∅ ∅ ∅ ∅        | F F  | U'),
    i(f, 'partnerAlert', 'R34 R8', '∅    | ∅ ∅ ∅ ∅         | ok ok ok ok    | ∅ ∅ ∅ ∅        | F F  | U'),
    i(f, 'strangerAlert', 'R34 R8', '∅    | ∅ ∅ ∅ ∅         | ∅ ∅ ∅ ∅        | ok ok ok ok    | F F  | U'),
  ]),
  i('Mutation.createAlert', '-', 'R34 R1 R6', 'F    | ok ok ok F      | ok ok ok F     | ok ok ok F     | F F  | U'),
  i('Mutation.createAlert', 'duplicate', 'R34', 'F    | C C C F         | C C C F        | C C C F        | F F  | U'),
  i('Mutation.upsertAlert', '-', 'R34 R1 R6', 'F    | ok ok ok F      | ok ok ok F     | ok ok ok F     | F F  | U'),
  i('Mutation.upsertAlert', 'duplicate', 'R34', 'F    | ok ok ok F      | ok ok ok F     | ok ok ok F     | F F  | U'),
  ...alertWriteRows('Mutation.updateAlert', 'R34 R13'),
  ...alertWriteRows('Mutation.markAlertRead', 'R34 R13'),
  ...alertWriteRows('Mutation.ignoreAlert', 'R34 R13'),
  ...alertWriteRows('Mutation.deleteAlert', 'R34 R13'),
  ...alertWriteRows('Mutation.promoteAlert', 'R35 R34 R13'),
  i('Mutation.promoteAlert', 'imported', 'R35', 'F    | C C C F         | C C C F        | C C C F        | F F  | U'),
  // The caller's own alert into a case of each situation: the case decides as for any case write (R15, R13).
  i('Mutation.mergeAlert', 'ownAlert/socCase', 'R35 R15 R13', 'F    | ok ok ok F      | NF NF NF F     | NF NF NF F     | F F  | U'),
  i('Mutation.mergeAlert', 'ownAlert/socCaseSharedRO', 'R35 R15', 'F | ok ok ok F      | F F F F        | NF NF NF F     | F F  | U'),
  i('Mutation.mergeAlert', 'ownAlert/socCaseSharedAnalyst', 'R35 R15', 'F | ok ok ok F   | ok ok ok F     | NF NF NF F     | F F  | U'),
  i('Mutation.mergeAlert', 'ownAlert/strangerCase', 'R35 R13', 'F    | NF NF NF F      | NF NF NF F     | ok ok ok F     | F F  | U'),
  // soc's alert: partner may write the case but never sees the alert (R34).
  i('Mutation.mergeAlert', 'socAlert/socCaseSharedAnalyst', 'R35 R34', 'F | ok ok ok F   | NF NF NF F     | NF NF NF F     | F F  | U'),
];

export const TABLE = { QUERIES, ACCOUNTS, GLOBAL_OBJECTS, CASE_WRITES, ITEM_WRITES, SHARES, EXTERNAL_SHARING, LIVE_FEED, PORTAL, ALERTS };
export const ALL_ROWS: Row[] = Object.values(TABLE).flat();
