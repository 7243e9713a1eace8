/**
 * Reference model of /work/shared/design/rules.md (R1–R27, R33–R35), for the model-based test.
 *
 * Plain, in-memory TypeScript written from the rules text. It imports NOTHING from src/: the
 * permission lists and default profiles below are copied from the rules (R6, R7, R9), not from
 * the implementation, so a mistake in one is not silently shared by the other.
 *
 * Each command is one method that first decides (in the order the API checks things) and only
 * then changes the state, and answers `ok` or the expected error code:
 *   - authentication: locked → UNAUTHENTICATED; wrong endpoint or not a member → FORBIDDEN (R5, R11, R22)
 *   - the root rule: the ORGANISATION-level permission first (R6/R7 scoped) → FORBIDDEN, even
 *     when the object is invisible (brief: "root rule checks the organisation-level permission first")
 *   - invisible == absent → NOT_FOUND (R13, api-contract)
 *   - visible but not permitted (user ∩ share profile, R15) → FORBIDDEN
 * Where the rules leave the code or the order open, the comment says "decision: …"; those were
 * learnt from what the team decided (brief / implementation behaviour), and written here again
 * independently.
 */

// ---------------------------------------------------------------------------------------------
// Permissions and default profiles, from the rules text.

export const PERMISSIONS = [
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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** R6: effective only when the active organisation is `admin`. */
const GLOBAL: readonly Permission[] = ['manageOrganisation', 'manageConfig', 'manageProfile', 'manageTag', 'manageCustomField', 'manageAnalyzerTemplate'];
/** R6: never effective in `admin`. */
const CASE_LEVEL: readonly Permission[] = [
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
/** R7: effective only while the Cortex connector is enabled; the test server runs with the default, enabled. */
const CORTEX: readonly Permission[] = ['manageAnalyse', 'manageAction', 'manageAnalyzerTemplate'];
const CORTEX_ENABLED = true;
export const PORTAL_PERMISSIONS: readonly Permission[] = ['portalCreateCase', 'portalComment', 'portalAttachment', 'portalObservable'];
export const INTERNAL_PERMISSIONS: readonly Permission[] = PERMISSIONS.filter((p) => !PORTAL_PERMISSIONS.includes(p));

const ANALYST: Permission[] = ['manageCase', 'manageObservable', 'manageAlert', 'manageTask', 'manageAnalyse', 'manageAction'];

/** R9: the profiles every installation starts with. */
export const DEFAULT_PROFILES: ReadonlyArray<{ name: string; permissions: readonly Permission[]; external: boolean }> = [
  { name: 'admin', permissions: [...GLOBAL, 'manageUser'], external: false },
  { name: 'analyst', permissions: ANALYST, external: false },
  { name: 'incident-handler', permissions: [...ANALYST, 'manageShare', 'manageExternalShare'], external: false },
  { name: 'org-admin', permissions: INTERNAL_PERMISSIONS.filter((p) => !GLOBAL.includes(p)), external: false },
  { name: 'read-only', permissions: [], external: false },
  { name: 'all', permissions: INTERNAL_PERMISSIONS, external: false },
  { name: 'external-reader', permissions: [], external: true },
  { name: 'external-actor', permissions: PORTAL_PERMISSIONS, external: true },
];

export const ADMIN_ORG = 'admin';
export const ALL_PROFILE = 'all';

// ---------------------------------------------------------------------------------------------
// State.

export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT';
export type ShareRule = 'MANUAL' | 'EXISTING' | 'ALL';
export type Endpoint = 'internal' | 'portal';

interface Organisation {
  name: string;
  links: Set<string>;
}
interface Profile {
  name: string;
  permissions: Set<Permission>;
  external: boolean;
}
interface User {
  login: string;
  type: 'INTERNAL' | 'EXTERNAL';
  locked: boolean;
  /** organisation → profile, in the order the memberships were created (R5: the oldest is the default). */
  memberships: Map<string, string>;
}
/** `via` (R16a): the organisation whose share a re-share was made through; absent for the owner's shares. */
interface Share {
  organisation: string;
  profile: string;
  owner: boolean;
  tasks: ShareRule;
  observables: ShareRule;
  via?: string;
}
interface Case {
  id: string;
  owner: string;
  createdBy: string;
  /** organisation → its share (R13: a case is visible to an organisation iff it holds a share). */
  shares: Map<string, Share>;
  /** External users granted portal access (R23) → the organisation whose share the grant belongs to. */
  grants: Map<string, string>;
  /** R20: the assignee's login, if any. */
  assignee?: string;
}
interface Item {
  id: string;
  caseId: string;
  heldBy: Set<string>;
  createdByExternal: boolean;
  /** Observables only: their dataType and data (R35: what merge compares and similarCases matches). */
  value?: ObservableValue;
}
/**
 * An observable's dataType and data. `data` is the model's logical text; the runner makes it the
 * run's own real text (same logical data ⇔ same real data).
 */
export interface ObservableValue {
  dataType: string;
  data: string;
}
const sameValue = (x: ObservableValue, y: ObservableValue) => x.dataType === y.dataType && x.data === y.data;
export const valueText = (v: ObservableValue) => `${v.dataType}:${v.data}`;

export type AlertStatus = 'NEW' | 'UPDATED' | 'IGNORED' | 'IMPORTED';
/** What an integration pushes (R34); the fields the model decides on. */
export interface AlertInput {
  type: string;
  source: string;
  sourceRef: string;
  description: string;
  observables: ObservableValue[];
}
/** R34, R35: one organisation's alert, never shared. */
interface Alert {
  id: string;
  organisation: string;
  type: string;
  source: string;
  sourceRef: string;
  description: string;
  /** Kept once per dataType and data, in push order. */
  observables: ObservableValue[];
  status: AlertStatus;
  /** R35: imported at most once — stays true when an upsert makes the alert UPDATED, or its case is deleted. */
  imported: boolean;
  /** The case it was imported into. */
  caseId?: string;
}
/** A comment or an attachment: both follow the case internally (R17) and show in the portal only when external (R24). */
interface Note {
  id: string;
  caseId: string;
  external: boolean;
}

/** Who makes a request: a login, and the X-Organisation header (undefined: none sent, R5). */
export interface Actor {
  login: string;
  organisation?: string;
}

export type Op =
  | { kind: 'createOrganisation'; name: string }
  | { kind: 'linkOrganisations'; from: string; to: string }
  | { kind: 'unlinkOrganisations'; from: string; to: string }
  | { kind: 'createProfile'; name: string; permissions: Permission[]; external: boolean }
  | { kind: 'updateProfile'; name: string; permissions: Permission[] }
  | { kind: 'deleteProfile'; name: string }
  | { kind: 'createUser'; login: string; organisation: string; profile: string }
  | { kind: 'setMembership'; login: string; organisation: string; profile: string }
  | { kind: 'removeMembership'; login: string; organisation: string }
  | { kind: 'lockUser'; login: string; locked: boolean }
  | { kind: 'createCase'; template?: string }
  | { kind: 'createCaseTemplate'; name: string; tasks: number }
  | { kind: 'deleteCaseTemplate'; name: string }
  | { kind: 'updateCase'; caseId: string }
  | { kind: 'deleteCase'; caseId: string }
  | { kind: 'assignCase'; caseId: string; login: string | null }
  | { kind: 'shareCase'; caseId: string; organisation: string; profile: string; tasks: ShareRule; observables: ShareRule }
  | { kind: 'updateShare'; caseId: string; organisation: string; profile: string }
  | { kind: 'unshareCase'; caseId: string; organisation: string }
  | { kind: 'createTask'; caseId: string }
  | { kind: 'createObservable'; caseId: string; data?: string }
  | { kind: 'shareTask'; taskId: string; organisation: string }
  | { kind: 'unshareTask'; taskId: string; organisation: string }
  | { kind: 'shareObservable'; observableId: string; organisation: string }
  | { kind: 'unshareObservable'; observableId: string; organisation: string }
  | { kind: 'createExternalUser'; login: string; profile: string }
  | { kind: 'grantExternalAccess'; caseId: string; login: string }
  | { kind: 'revokeExternalAccess'; caseId: string; login: string }
  | { kind: 'addComment'; caseId: string; external: boolean }
  | { kind: 'setCommentExternal'; commentId: string; external: boolean }
  | { kind: 'addAttachment'; caseId: string; external: boolean }
  | { kind: 'setAttachmentExternal'; attachmentId: string; external: boolean }
  | { kind: 'portalCreateCase' }
  | { kind: 'portalAddComment'; caseId: string }
  | { kind: 'portalAddObservable'; caseId: string }
  | { kind: 'portalAddAttachment'; caseId: string }
  | ({ kind: 'createAlert' } & AlertInput)
  | ({ kind: 'upsertAlert' } & AlertInput)
  | { kind: 'promoteAlert'; alertId: string; template?: string }
  | { kind: 'mergeAlert'; alertId: string; caseId: string }
  | { kind: 'ignoreAlert'; alertId: string; ignored: boolean }
  | { kind: 'deleteAlert'; alertId: string };

export type OpKind = Op['kind'];

/** The portal's operations (/portal/graphql); all others are internal (/graphql). */
export const PORTAL_OPS: readonly OpKind[] = ['portalCreateCase', 'portalAddComment', 'portalAddObservable', 'portalAddAttachment'];

/** A new observable, with the value that identifies it in the API's answer (promote and merge, R35). */
export type CreatedObservable = { id: string } & ObservableValue;

export type Outcome =
  | {
      ok: true;
      /** the model id of the object created (or, for upsertAlert and mergeAlert, the one answered), if any */ created?: string;
      /** objects created with it, in order (a template's tasks, R33) */ alsoCreated?: string[];
      /** observables created with it, in the case answered (promote, merge: R35) */ observablesCreated?: CreatedObservable[];
      /** a comment created with it (merge: the alert's description, R35) */ commentCreated?: string;
    }
  | { ok: false; code: ErrorCode; why: string };

/** What a command answers when it creates more than one object. */
interface Created {
  id: string;
  also?: string[];
  observables?: CreatedObservable[];
  comment?: string;
}

/** What an internal persona reads: `cases(first: 100)` and, per case, tasks/observables/comments/myPermissions. */
export interface InternalCaseView {
  tasks: string[];
  observables: string[];
  comments: Array<{ id: string; external: boolean }>;
  attachments: Array<{ id: string; external: boolean }>;
  myPermissions: Permission[];
  assignee: string | null;
}
/** What an external persona reads in the portal: `cases` and their comments, attachments and observables. */
export interface PortalCaseView {
  comments: string[];
  attachments: string[];
  observables: string[];
}
/** An assignee the reader cannot see (R3): shown without identity. */
export const HIDDEN_USER = '(hidden)';

/** A read the persona could not make at all (its credentials or organisation), as the API answers it. */
export type Refused = { ok: false; code: ErrorCode; why: string };

export type View<T> = { ok: true; cases: Map<string, T> } | Refused;

/** What an internal persona reads of its active organisation's alerts (R34, R35): `alerts(first: 100)`. */
export interface AlertView {
  status: AlertStatus;
  /** Alert.case: the case it was imported into, while the organisation sees it. */
  case: string | null;
  /** `dataType:data`, in push order. */
  observables: string[];
  /** Alert.similarCases: `case×sharedObservables`, sorted by case. */
  similarCases: string[];
}
export type AlertsView = { ok: true; alerts: Map<string, AlertView> } | Refused;

class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly why: string,
  ) {
    super(`${code}: ${why}`);
  }
}
function refuse(code: ErrorCode, why: string): never {
  throw new Refusal(code, why);
}

interface Principal {
  user: User;
  organisation: string;
  inAdmin: boolean;
  /** Effective organisation permissions (R6, R7). */
  permissions: Set<Permission>;
}

const lower = (s: string) => s.toLowerCase();
const sorted = <T extends string>(xs: Iterable<T>): T[] => [...xs].sort();

// ---------------------------------------------------------------------------------------------

export class ReferenceModel {
  readonly organisations = new Map<string, Organisation>();
  readonly profiles = new Map<string, Profile>();
  readonly users = new Map<string, User>();
  readonly cases = new Map<string, Case>();
  readonly tasks = new Map<string, Item>();
  readonly observables = new Map<string, Item>();
  readonly comments = new Map<string, Note>();
  readonly attachments = new Map<string, Note>();
  /** R33: organisation → its case templates by lower-case name (name as given, number of tasks). */
  readonly templates = new Map<string, Map<string, { name: string; tasks: number }>>();
  /** R34: every organisation's alerts, by id. */
  readonly alerts = new Map<string, Alert>();
  private readonly counters: Record<string, number> = {};

  /** The state of a first start (R1, R9, api-contract "first start"): `admin`, the default profiles, the administrator. */
  constructor(readonly adminLogin: string) {
    this.organisations.set(ADMIN_ORG, { name: ADMIN_ORG, links: new Set() });
    for (const p of DEFAULT_PROFILES) this.profiles.set(p.name, { name: p.name, permissions: new Set(p.permissions), external: p.external });
    this.users.set(adminLogin, { login: adminLogin, type: 'INTERNAL', locked: false, memberships: new Map([[ADMIN_ORG, 'admin']]) });
  }

  private nextId(prefix: string): string {
    this.counters[prefix] = (this.counters[prefix] ?? 0) + 1;
    return `${prefix}${this.counters[prefix]}`;
  }

  // ---- lookups ------------------------------------------------------------------------------

  /** Names compare case-insensitively (R2; logins are stored lower-case). */
  findOrganisation(name: string): Organisation | undefined {
    return [...this.organisations.values()].find((o) => lower(o.name) === lower(name));
  }
  findProfile(name: string): Profile | undefined {
    return [...this.profiles.values()].find((p) => lower(p.name) === lower(name));
  }
  findUser(login: string): User | undefined {
    return this.users.get(lower(login));
  }

  /** R6/R7: the profile's permissions as they apply in the organisation. */
  effectivePermissions(profileName: string, organisation: string): Set<Permission> {
    const inAdmin = organisation === ADMIN_ORG;
    const profile = this.profiles.get(profileName)!;
    return new Set(
      [...profile.permissions].filter(
        (p) => !(GLOBAL.includes(p) && !inAdmin) && !(CASE_LEVEL.includes(p) && inAdmin) && !(CORTEX.includes(p) && !CORTEX_ENABLED),
      ),
    );
  }

  /**
   * Authentication and active organisation (R5, R11, R22): a locked account is refused at once
   * (UNAUTHENTICATED); an account of the other type is refused by the endpoint (FORBIDDEN); the
   * organisation is X-Organisation, else the oldest membership; not a member → FORBIDDEN.
   */
  private principal(actor: Actor, endpoint: Endpoint): Principal {
    const user = this.findUser(actor.login);
    if (!user) return refuse('UNAUTHENTICATED', 'no such account');
    if (user.locked) refuse('UNAUTHENTICATED', 'R11: the account is locked');
    if (endpoint === 'internal' && user.type === 'EXTERNAL') refuse('FORBIDDEN', 'R22: external users only use the portal');
    if (endpoint === 'portal' && user.type === 'INTERNAL') refuse('FORBIDDEN', 'R22: internal users cannot use the portal');
    const organisation =
      actor.organisation !== undefined ? [...user.memberships.keys()].find((o) => lower(o) === lower(actor.organisation!)) : [...user.memberships.keys()][0];
    if (organisation === undefined) refuse('FORBIDDEN', 'R5: not a member of the (requested) organisation');
    return {
      user,
      organisation,
      inAdmin: organisation === ADMIN_ORG,
      permissions: this.effectivePermissions(user.memberships.get(organisation)!, organisation),
    };
  }

  /** R5: the organisation a request acts in, if the actor may act at all (used to pick plausible arguments). */
  activeOrganisation(actor: Actor, endpoint: Endpoint = 'internal'): string | undefined {
    try {
      return this.principal(actor, endpoint).organisation;
    } catch (e) {
      if (e instanceof Refusal) return undefined;
      throw e;
    }
  }

  /** The root rule: the organisation-level permission, before any object is looked at. */
  private requireRoot(p: Principal, permission: Permission | null, rule: string): void {
    if (permission && !p.permissions.has(permission))
      refuse('FORBIDDEN', `${rule}: ${permission} is not among the effective permissions in ${p.organisation} (R6/R7)`);
  }

  /** R3: the active organisation and those it links to; in admin, all. */
  private canSeeOrganisation(p: Principal, org: Organisation): boolean {
    return p.inAdmin || org.name === p.organisation || this.organisations.get(p.organisation)!.links.has(org.name);
  }
  private requireVisibleOrganisation(p: Principal, name: string): Organisation {
    const org = this.findOrganisation(name);
    if (!org || !this.canSeeOrganisation(p, org)) refuse('NOT_FOUND', `R3: organisation ${name} is not visible to ${p.organisation}`);
    return org;
  }

  /** R3/R11: a user is visible to members of its organisations and of organisations linking to one of them; in admin, all. */
  private canSeeUser(p: Principal, user: User): boolean {
    if (p.inAdmin) return true;
    const links = this.organisations.get(p.organisation)!.links;
    return [...user.memberships.keys()].some((o) => o === p.organisation || links.has(o));
  }
  /**
   * decision: a user referenced by something visible (assignee, author) is shown when the reader
   * can see them (R3), or when they belong to an organisation that owns a case shared with the
   * reader's organisation (the owner is already shown as Case.organisation); otherwise without identity.
   */
  private canSeeReferencedUser(p: Principal, user: User): boolean {
    if (this.canSeeUser(p, user)) return true;
    return [...this.cases.values()].some((c) => c.shares.has(p.organisation) && user.memberships.has(c.owner));
  }
  private requireVisibleUser(p: Principal, login: string): User {
    const user = this.findUser(login);
    if (!user || !this.canSeeUser(p, user)) refuse('NOT_FOUND', `R3/R11: user ${login} is not visible in ${p.organisation}`);
    return user;
  }

  private requireProfile(name: string): Profile {
    const profile = this.findProfile(name);
    if (!profile) refuse('NOT_FOUND', `profile ${name} does not exist`);
    return profile;
  }

  /** R11: manageUser reaches the members of the active organisation; in admin, every organisation. */
  private requireManagesMembersOf(p: Principal, org: Organisation): void {
    if (!p.inAdmin && org.name !== p.organisation) refuse('FORBIDDEN', `R11: members of ${org.name} are managed by ${org.name} or by admin`);
  }

  /** R13: visible iff the active organisation holds a share. */
  private requireVisibleCase(p: Principal, caseId: string): Case {
    const c = this.cases.get(caseId);
    if (!c || !c.shares.has(p.organisation)) refuse('NOT_FOUND', `R13: ${caseId} is not visible to ${p.organisation}`);
    return c;
  }

  /** R15: user effective permissions ∩ the profile of the active organisation's share (read live: R10). */
  private casePermissions(p: Principal, c: Case): Set<Permission> {
    const share = c.shares.get(p.organisation);
    if (!share) return new Set();
    const shareProfile = this.profiles.get(share.profile)!;
    return new Set([...p.permissions].filter((x) => shareProfile.permissions.has(x)));
  }
  private requireCasePermission(p: Principal, c: Case, permission: Permission, rule: string): void {
    if (!this.casePermissions(p, c).has(permission)) refuse('FORBIDDEN', `${rule}/R15: ${permission} is not in (user ∩ share profile) on ${c.id}`);
  }

  /** R17: a task/observable is visible to an organisation only if shared with it. */
  private requireVisibleItem(p: Principal, items: Map<string, Item>, id: string): Item {
    const item = items.get(id);
    if (!item || !item.heldBy.has(p.organisation)) refuse('NOT_FOUND', `R17: ${id} is not shared with ${p.organisation}`);
    return item;
  }

  /**
   * decision: an organisation named as the target of a case-share change (updateShare,
   * unshareCase) must be one the caller can see (R3) or the case's
   * owner (whose share is always listed on the case); otherwise it is absent → NOT_FOUND.
   */
  private requireTargetOnCase(p: Principal, c: Case, name: string): Organisation {
    const org = this.findOrganisation(name);
    // R16a: the owner organisation also reaches every organisation holding a share on its case.
    const ownersView = p.organisation === c.owner && !!org && c.shares.has(org.name);
    if (!org || !(this.canSeeOrganisation(p, org) || org.name === c.owner || ownersView))
      refuse('NOT_FOUND', `R3: organisation ${name} is not visible to ${p.organisation}`);
    return org;
  }

  /** R11: some member of the organisation other than `except` holds manageUser there. */
  private otherManagerExists(orgName: string, except: User): boolean {
    return [...this.users.values()].some((u) => {
      if (u === except) return false;
      const profile = u.memberships.get(orgName);
      return profile !== undefined && this.profiles.get(profile)!.permissions.has('manageUser');
    });
  }

  /** Portal visibility (R23): granted to the user or created by the user. */
  private portalCanSee(p: Principal, c: Case): boolean {
    // decision: the grant (or authorship) counts only while the external user's organisation
    // still holds a share on the case, so removing that share (R16) also ends its external
    // users' access; a grant never exposes a case beyond the organisations that hold it. The grant
    // belongs to the granter's share (R23) and goes with it (unshareCase), so it never comes back.
    return (c.grants.has(p.user.login) || c.createdBy === p.user.login) && c.shares.has(p.organisation);
  }
  private requirePortalCase(p: Principal, caseId: string): Case {
    const c = this.cases.get(caseId);
    if (!c || !this.portalCanSee(p, c)) refuse('NOT_FOUND', `R23: ${caseId} is not granted to ${p.user.login}`);
    return c;
  }

  // ---- commands -------------------------------------------------------------------------------

  /** Runs one command; the state changes only when the answer is ok. */
  apply(actor: Actor, op: Op): Outcome {
    try {
      const created = this.dispatch(actor, op);
      this.keepAssigneesEligible();
      if (typeof created === 'object')
        return { ok: true, created: created.id, alsoCreated: created.also, observablesCreated: created.observables, commentCreated: created.comment };
      return created === undefined ? { ok: true } : { ok: true, created };
    } catch (e) {
      if (e instanceof Refusal) return { ok: false, code: e.code, why: e.why };
      throw e;
    }
  }

  private dispatch(a: Actor, op: Op): string | Created | undefined {
    switch (op.kind) {
      case 'createOrganisation':
        return this.createOrganisation(a, op.name);
      case 'linkOrganisations':
        return this.linkOrganisations(a, op.from, op.to);
      case 'unlinkOrganisations':
        return this.unlinkOrganisations(a, op.from, op.to);
      case 'createProfile':
        return this.createProfile(a, op.name, op.permissions, op.external);
      case 'updateProfile':
        return this.updateProfile(a, op.name, op.permissions);
      case 'deleteProfile':
        return this.deleteProfile(a, op.name);
      case 'createUser':
        return this.createUser(a, op.login, op.organisation, op.profile);
      case 'setMembership':
        return this.setMembership(a, op.login, op.organisation, op.profile);
      case 'removeMembership':
        return this.removeMembership(a, op.login, op.organisation);
      case 'lockUser':
        return this.lockUser(a, op.login, op.locked);
      case 'createCase':
        return this.createCase(a, op.template);
      case 'createCaseTemplate':
        return this.createCaseTemplate(a, op.name, op.tasks);
      case 'deleteCaseTemplate':
        return this.deleteCaseTemplate(a, op.name);
      case 'updateCase':
        return this.updateCase(a, op.caseId);
      case 'deleteCase':
        return this.deleteCase(a, op.caseId);
      case 'assignCase':
        return this.assignCase(a, op.caseId, op.login);
      case 'shareCase':
        return this.shareCase(a, op.caseId, op.organisation, op.profile, op.tasks, op.observables);
      case 'updateShare':
        return this.updateShare(a, op.caseId, op.organisation, op.profile);
      case 'unshareCase':
        return this.unshareCase(a, op.caseId, op.organisation);
      case 'createTask':
        return this.createItem(a, op.caseId, 'task');
      case 'createObservable':
        return this.createItem(a, op.caseId, 'observable', { dataType: 'domain', data: op.data ?? 'example' });
      case 'shareTask':
        return this.shareItem(a, 'task', op.taskId, op.organisation);
      case 'unshareTask':
        return this.unshareItem(a, 'task', op.taskId, op.organisation);
      case 'shareObservable':
        return this.shareItem(a, 'observable', op.observableId, op.organisation);
      case 'unshareObservable':
        return this.unshareItem(a, 'observable', op.observableId, op.organisation);
      case 'createExternalUser':
        return this.createExternalUser(a, op.login, op.profile);
      case 'grantExternalAccess':
        return this.grantExternalAccess(a, op.caseId, op.login);
      case 'revokeExternalAccess':
        return this.revokeExternalAccess(a, op.caseId, op.login);
      case 'addComment':
        return this.addNote(a, 'comment', op.caseId, op.external);
      case 'setCommentExternal':
        return this.setNoteExternal(a, 'comment', op.commentId, op.external);
      case 'addAttachment':
        return this.addNote(a, 'attachment', op.caseId, op.external);
      case 'setAttachmentExternal':
        return this.setNoteExternal(a, 'attachment', op.attachmentId, op.external);
      case 'portalCreateCase':
        return this.portalCreateCase(a);
      case 'portalAddComment':
        return this.portalAddNote(a, 'comment', op.caseId);
      case 'portalAddObservable':
        return this.portalAddObservable(a, op.caseId);
      case 'portalAddAttachment':
        return this.portalAddNote(a, 'attachment', op.caseId);
      case 'createAlert':
        return this.pushAlert(a, op, false);
      case 'upsertAlert':
        return this.pushAlert(a, op, true);
      case 'promoteAlert':
        return this.promoteAlert(a, op.alertId, op.template);
      case 'mergeAlert':
        return this.mergeAlert(a, op.alertId, op.caseId);
      case 'ignoreAlert':
        return this.ignoreAlert(a, op.alertId, op.ignored);
      case 'deleteAlert':
        return this.deleteAlert(a, op.alertId);
    }
  }

  /** R2, R4: needs manageOrganisation (effective only in admin, R6); names unique case-insensitively → CONFLICT. */
  createOrganisation(a: Actor, name: string): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageOrganisation', 'R4');
    if (this.findOrganisation(name)) refuse('CONFLICT', `R2: an organisation named ${name} exists`);
    this.organisations.set(name, { name, links: new Set() });
    return undefined;
  }

  /** R1, R3, R4: a link from → to; never with admin or to itself (BAD_USER_INPUT). */
  linkOrganisations(a: Actor, from: string, to: string): undefined {
    const [x, y] = this.linkEnds(a, from, to);
    // decision: linking twice → CONFLICT (a uniqueness error, api-contract).
    if (x.links.has(y.name)) refuse('CONFLICT', `R3: ${x.name} already links to ${y.name}`);
    x.links.add(y.name);
    return undefined;
  }

  /**
   * R3, R4: removes the link; decision: no such link → NOT_FOUND. Shares made while linked stay
   * (R3 governs who may share, R13 who sees: the share).
   */
  unlinkOrganisations(a: Actor, from: string, to: string): undefined {
    const [x, y] = this.linkEnds(a, from, to);
    if (!x.links.has(y.name)) refuse('NOT_FOUND', `R3: ${x.name} does not link to ${y.name}`);
    x.links.delete(y.name);
    return undefined;
  }

  private linkEnds(a: Actor, from: string, to: string): [Organisation, Organisation] {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageOrganisation', 'R4');
    const x = this.requireVisibleOrganisation(p, from);
    const y = this.requireVisibleOrganisation(p, to);
    if (x.name === ADMIN_ORG || y.name === ADMIN_ORG) refuse('BAD_USER_INPUT', 'R1: admin is never linked');
    if (x === y) refuse('BAD_USER_INPUT', 'R3: an organisation is not linked to itself');
    return [x, y];
  }

  /** R10: external profiles hold only portal* permissions, internal ones none of them. */
  private checkProfilePermissions(permissions: readonly Permission[], external: boolean): void {
    const portal = permissions.filter((x) => PORTAL_PERMISSIONS.includes(x));
    if (external && portal.length !== permissions.length) refuse('BAD_USER_INPUT', 'R10: an external profile holds only portal* permissions');
    if (!external && portal.length) refuse('BAD_USER_INPUT', 'R10: an internal profile holds no portal* permission');
  }

  /** R10: needs manageProfile; decision: the permissions are validated before the name's uniqueness. */
  createProfile(a: Actor, name: string, permissions: Permission[], external: boolean): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageProfile', 'R10');
    this.checkProfilePermissions(permissions, external);
    if (this.findProfile(name)) refuse('CONFLICT', `R10: a profile named ${name} exists`);
    this.profiles.set(name, { name, permissions: new Set(permissions), external });
    return undefined;
  }

  /** R10: `all` is immutable (BAD_USER_INPUT); an update changes at once every membership and share using it. */
  updateProfile(a: Actor, name: string, permissions: Permission[]): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageProfile', 'R10');
    const profile = this.requireProfile(name);
    if (profile.name === ALL_PROFILE) refuse('BAD_USER_INPUT', 'R10: all can be neither updated nor deleted');
    this.checkProfilePermissions(permissions, profile.external);
    // R11 (issue 8): admin always keeps manageProfile and manageUser; taking manageUser out of a
    // profile in use must not leave any organisation without a member holding it.
    const lost = (['manageProfile', 'manageUser'] as Permission[]).filter((x) => !permissions.includes(x));
    if (profile.name === 'admin' && lost.length) refuse('CONFLICT', `R11: admin must keep ${lost.join(', ')}`);
    if (profile.permissions.has('manageUser') && !permissions.includes('manageUser')) {
      const members = [...this.users.values()].flatMap((u) => [...u.memberships]);
      for (const org of new Set(members.filter(([, prof]) => prof === profile.name).map(([o]) => o))) {
        const managed = members.some(([o, prof]) => o === org && prof !== profile.name && this.profiles.get(prof)?.permissions.has('manageUser'));
        if (!managed) refuse('CONFLICT', `R11: ${org} would be left without a member holding manageUser`);
      }
    }
    profile.permissions = new Set(permissions);
    return undefined;
  }

  /** R10: a profile in use by a membership or a share cannot be deleted (CONFLICT). */
  deleteProfile(a: Actor, name: string): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageProfile', 'R10');
    const profile = this.requireProfile(name);
    if (profile.name === ALL_PROFILE) refuse('BAD_USER_INPUT', 'R10: all can be neither updated nor deleted');
    const inUse =
      [...this.users.values()].some((u) => [...u.memberships.values()].includes(profile.name)) ||
      [...this.cases.values()].some((c) => [...c.shares.values()].some((s) => s.profile === profile.name));
    if (inUse) refuse('CONFLICT', `R10: profile ${profile.name} is in use`);
    this.profiles.delete(profile.name);
    return undefined;
  }

  /**
   * R11: creates an internal user with a profile in an organisation the caller manages; an
   * existing login gets a second membership.
   * decision: an existing login the caller cannot see, or an external one, is "taken" → CONFLICT;
   * already a member → CONFLICT; an external profile for an internal user → BAD_USER_INPUT.
   */
  createUser(a: Actor, login: string, organisation: string, profileName: string): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageUser', 'R11');
    const org = this.requireVisibleOrganisation(p, organisation);
    this.requireManagesMembersOf(p, org);
    const profile = this.requireProfile(profileName);
    if (profile.external) refuse('BAD_USER_INPUT', 'R10/R22: internal users get internal profiles');
    const existing = this.findUser(login);
    if (existing) {
      if (!this.canSeeUser(p, existing) || existing.type !== 'INTERNAL') refuse('CONFLICT', `R11: login ${login} is taken`);
      if (existing.memberships.has(org.name)) refuse('CONFLICT', `R11: ${login} is already a member of ${org.name}`);
      existing.memberships.set(org.name, profile.name);
      return undefined;
    }
    this.users.set(lower(login), { login: lower(login), type: 'INTERNAL', locked: false, memberships: new Map([[org.name, profile.name]]) });
    return undefined;
  }

  /**
   * R5, R11: adds a membership or changes its profile. The profile must fit the account type
   * (R10, R22); external users have exactly one organisation, never admin (R21); demoting the
   * last holder of manageUser → CONFLICT.
   */
  setMembership(a: Actor, login: string, organisation: string, profileName: string): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageUser', 'R11');
    const org = this.requireVisibleOrganisation(p, organisation);
    this.requireManagesMembersOf(p, org);
    const user = this.requireVisibleUser(p, login);
    const profile = this.requireProfile(profileName);
    if (profile.external !== (user.type === 'EXTERNAL')) refuse('BAD_USER_INPUT', 'R10/R22: the profile does not fit the account type');
    if (user.type === 'EXTERNAL' && org.name === ADMIN_ORG) refuse('BAD_USER_INPUT', 'R21: external users never belong to admin');
    const current = user.memberships.get(org.name);
    if (current === undefined && user.type === 'EXTERNAL') refuse('BAD_USER_INPUT', 'R21: an external user belongs to exactly one organisation');
    if (current === profile.name) return undefined;
    const demoted = current !== undefined && this.profiles.get(current)!.permissions.has('manageUser') && !profile.permissions.has('manageUser');
    if (demoted && !this.otherManagerExists(org.name, user)) refuse('CONFLICT', `R11: ${org.name} would be left without a member holding manageUser`);
    user.memberships.set(org.name, profile.name);
    return undefined;
  }

  /** R11: removes a membership; decision: not a member → NOT_FOUND; the last manager, or R5 the account's last organisation → CONFLICT. */
  removeMembership(a: Actor, login: string, organisation: string): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageUser', 'R11');
    const org = this.requireVisibleOrganisation(p, organisation);
    this.requireManagesMembersOf(p, org);
    const user = this.requireVisibleUser(p, login);
    const current = user.memberships.get(org.name);
    if (current === undefined) refuse('NOT_FOUND', `${login} is not a member of ${org.name}`);
    const wasManager = this.profiles.get(current)!.permissions.has('manageUser');
    if (wasManager && !this.otherManagerExists(org.name, user)) refuse('CONFLICT', `R11: ${org.name} would be left without a member holding manageUser`);
    if (user.memberships.size === 1) refuse('CONFLICT', `R5: ${login} would belong to no organisation`);
    user.memberships.delete(org.name);
    return undefined;
  }

  /**
   * R11: locks or unlocks a user (never oneself → BAD_USER_INPUT); locking blocks every way in at once.
   * decision: outside admin, only a member of the active organisation who belongs to no other
   * organisation (the account is shared with another tenant: only an administrator may lock it);
   * a visible user outside those is visible but not manageable → FORBIDDEN.
   */
  lockUser(a: Actor, login: string, locked: boolean): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageUser', 'R11');
    const user = this.requireVisibleUser(p, login);
    if (user === p.user) refuse('BAD_USER_INPUT', 'R11: never oneself');
    if (!p.inAdmin) {
      if (!user.memberships.has(p.organisation)) refuse('FORBIDDEN', `R11: ${login} is not a member of ${p.organisation}`);
      if (user.memberships.size > 1) refuse('FORBIDDEN', `R11: ${login} also belongs to other organisations`);
    }
    user.locked = locked;
    return undefined;
  }

  /** R12, R1: needs manageCase (never effective in admin, R6 → FORBIDDEN as R1 says); owner share with profile all, rules ALL (R17). */
  createCase(a: Actor, template?: string): string | Created {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageCase', 'R12');
    if (p.inAdmin) refuse('FORBIDDEN', 'R1: admin holds no cases');
    if (template === undefined) return this.newCase(p.organisation, p.user.login);
    // R33: only the active organisation's templates exist for the caller; decision: an unknown one is BAD_USER_INPUT (an input field).
    const t = this.templates.get(p.organisation)?.get(lower(template));
    if (!t) refuse('BAD_USER_INPUT', `R33: no template "${template}" in ${p.organisation}`);
    const id = this.newCase(p.organisation, p.user.login);
    const c = this.cases.get(id)!;
    // R33: the template's tasks are created with the case, as tasks of the owner organisation (R17).
    return { id, also: Array.from({ length: t.tasks }, () => this.newItem(c, 'task', p.organisation, false)) };
  }

  /** R33: a template belongs to the active organisation; manageCaseTemplate (never effective in admin, R6); name unique there, case-insensitively. */
  createCaseTemplate(a: Actor, name: string, tasks: number): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageCaseTemplate', 'R33');
    const own = this.templates.get(p.organisation) ?? new Map<string, { name: string; tasks: number }>();
    if (own.has(lower(name))) refuse('CONFLICT', `R33: template "${name}" exists in ${p.organisation}`);
    own.set(lower(name), { name, tasks });
    this.templates.set(p.organisation, own);
    return undefined;
  }

  /** R33: another organisation's template is absent (NOT_FOUND). */
  deleteCaseTemplate(a: Actor, name: string): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageCaseTemplate', 'R33');
    if (!this.templates.get(p.organisation)?.delete(lower(name))) refuse('NOT_FOUND', `R33: no template "${name}" in ${p.organisation}`);
    return undefined;
  }

  private newCase(owner: string, createdBy: string): string {
    const id = this.nextId('case');
    this.cases.set(id, {
      id,
      owner,
      createdBy,
      grants: new Map(),
      shares: new Map([[owner, { organisation: owner, profile: ALL_PROFILE, owner: true, tasks: 'ALL', observables: 'ALL' }]]),
    });
    return id;
  }

  /** R19: manageCase through R15. */
  updateCase(a: Actor, caseId: string): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageCase', 'R19');
    const c = this.requireVisibleCase(p, caseId);
    this.requireCasePermission(p, c, 'manageCase', 'R19');
    return undefined;
  }

  /** R19: manageCase through R15, and only the owner organisation deletes (FORBIDDEN); everything in the case goes with it. */
  deleteCase(a: Actor, caseId: string): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageCase', 'R19');
    const c = this.requireVisibleCase(p, caseId);
    this.requireCasePermission(p, c, 'manageCase', 'R19');
    if (c.owner !== p.organisation) refuse('FORBIDDEN', 'R19: only the owner organisation deletes a case');
    for (const items of [this.tasks, this.observables, this.comments, this.attachments]) {
      for (const [id, item] of items) if (item.caseId === c.id) items.delete(id);
    }
    this.cases.delete(c.id);
    return undefined;
  }

  /** R20: an internal user, member of an organisation holding a share on the case, with manageCase in (their profile there ∩ that share). */
  private eligibleAssignee(c: Case, user: User): boolean {
    if (user.type !== 'INTERNAL') return false;
    return [...user.memberships].some(([org, profile]) => {
      const share = c.shares.get(org);
      return !!share && this.profiles.get(profile)!.permissions.has('manageCase') && this.profiles.get(share.profile)!.permissions.has('manageCase');
    });
  }

  /**
   * R19, R20: assigning needs manageCase through R15; `null` unassigns.
   * decision: an assignee the caller cannot see → NOT_FOUND (R3); external or not eligible → BAD_USER_INPUT.
   */
  assignCase(a: Actor, caseId: string, login: string | null): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageCase', 'R19');
    const c = this.requireVisibleCase(p, caseId);
    this.requireCasePermission(p, c, 'manageCase', 'R19');
    if (login === null) {
      c.assignee = undefined;
      return undefined;
    }
    const user = this.requireVisibleUser(p, login);
    if (user.type !== 'INTERNAL') refuse('BAD_USER_INPUT', 'R20: external users are never assignees');
    if (!this.eligibleAssignee(c, user)) refuse('BAD_USER_INPUT', `R20: ${login} holds no manageCase on ${c.id} through a share`);
    c.assignee = user.login;
    return undefined;
  }

  /**
   * R20 holds at all times. decision: when a write makes the assignee ineligible, the case is
   * unassigned (what the team does when a share changes or is removed, applied here to every
   * change that can break the condition: share profile or removal, memberships, profile updates).
   */
  private keepAssigneesEligible(): void {
    for (const c of this.cases.values()) {
      if (c.assignee !== undefined && !this.eligibleAssignee(c, this.users.get(c.assignee)!)) c.assignee = undefined;
    }
  }

  /**
   * R14, R17: manageShare on the case; the target must be an organisation the active one links
   * to; an internal profile; once per organisation (CONFLICT). EXISTING/ALL give the new share
   * every task/observable the sharing organisation holds now.
   * decision: an organisation the caller cannot see → NOT_FOUND; a visible one it does not link
   * to (i.e. its own) → BAD_USER_INPUT; an external profile → BAD_USER_INPUT.
   */
  shareCase(a: Actor, caseId: string, organisation: string, profileName: string, tasks: ShareRule, observables: ShareRule): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageShare', 'R14');
    const c = this.requireVisibleCase(p, caseId);
    this.requireCasePermission(p, c, 'manageShare', 'R14');
    const org = this.requireVisibleOrganisation(p, organisation);
    if (!this.organisations.get(p.organisation)!.links.has(org.name)) refuse('BAD_USER_INPUT', `R14: ${p.organisation} does not link to ${org.name}`);
    const profile = this.requireProfile(profileName);
    if (profile.external) refuse('BAD_USER_INPUT', 'R14: a share profile is internal');
    this.requireWithinOwnShare(p, c, profile);
    if (c.shares.has(org.name)) refuse('CONFLICT', `R14: ${c.id} is already shared with ${org.name}`);
    const via = c.shares.get(p.organisation)!.owner ? undefined : p.organisation;
    c.shares.set(org.name, { organisation: org.name, profile: profile.name, owner: false, tasks, observables, via });
    for (const [items, rule] of [
      [this.tasks, tasks],
      [this.observables, observables],
    ] as const) {
      if (rule === 'MANUAL') continue;
      for (const item of items.values()) if (item.caseId === c.id && item.heldBy.has(p.organisation)) item.heldBy.add(org.name);
    }
    return undefined;
  }

  /**
   * R16: checks shared by updateShare and unshareCase: manageShare on the case; never the
   * caller's own organisation's share, never the owner share.
   * decision: both refusals are BAD_USER_INPUT; a visible organisation without a share → NOT_FOUND.
   */
  private changeableShare(p: Principal, c: Case, organisation: string): Share {
    const org = this.requireTargetOnCase(p, c, organisation);
    if (org.name === p.organisation) refuse('BAD_USER_INPUT', "R16: never the user's own organisation's share");
    const share = c.shares.get(org.name);
    if (!share) refuse('NOT_FOUND', `R16: ${c.id} is not shared with ${org.name}`);
    if (share.owner) refuse('BAD_USER_INPUT', 'R16: never the owner share');
    return share;
  }

  /**
   * decision (R14/R15): an organisation that does not own the case cannot give another one more
   * than its own share holds (no escalation by re-sharing): FORBIDDEN.
   */
  private requireWithinOwnShare(p: Principal, c: Case, profile: Profile): void {
    const own = c.shares.get(p.organisation)!;
    if (own.owner) return;
    const allowed = this.findProfile(own.profile)!.permissions;
    if ([...profile.permissions].some((x) => !allowed.has(x)))
      refuse('FORBIDDEN', `R14/R15: ${profile.name} exceeds ${p.organisation}'s own share (${own.profile})`);
  }

  /** R16: changes another organisation's share profile (internal profile, R14). */
  updateShare(a: Actor, caseId: string, organisation: string, profileName: string): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageShare', 'R16');
    const c = this.requireVisibleCase(p, caseId);
    this.requireCasePermission(p, c, 'manageShare', 'R16');
    const share = this.changeableShare(p, c, organisation);
    const profile = this.requireProfile(profileName);
    if (profile.external) refuse('BAD_USER_INPUT', 'R14: a share profile is internal');
    this.requireWithinOwnShare(p, c, profile);
    share.profile = profile.name;
    return undefined;
  }

  /**
   * R16: the organisation loses the case and its tasks/observables; items only it held pass to
   * the owner. R16a: so does every organisation whose share was made through it, recursively, and
   * the grants belonging to any of those shares go (R23).
   * decision: when the caller's own share is among those descendants → BAD_USER_INPUT (never the
   * user's own organisation's share, R16).
   */
  unshareCase(a: Actor, caseId: string, organisation: string): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageShare', 'R16');
    const c = this.requireVisibleCase(p, caseId);
    this.requireCasePermission(p, c, 'manageShare', 'R16');
    const share = this.changeableShare(p, c, organisation);
    const gone = new Set([share.organisation]);
    for (let grew = true; grew;) {
      grew = false;
      for (const s of c.shares.values())
        if (s.via && gone.has(s.via) && !gone.has(s.organisation)) {
          gone.add(s.organisation);
          grew = true;
        }
    }
    if (gone.has(p.organisation)) refuse('BAD_USER_INPUT', "R16: removing it would remove the user's own organisation's share, made through it");
    for (const items of [this.tasks, this.observables]) {
      for (const item of items.values()) {
        if (item.caseId !== c.id || ![...gone].some((o) => item.heldBy.has(o))) continue;
        for (const o of gone) item.heldBy.delete(o);
        if (item.heldBy.size === 0) item.heldBy.add(c.owner);
      }
    }
    for (const o of gone) c.shares.delete(o);
    // …and the grants of those organisations' external users, whoever made them: nothing comes back (R16a).
    for (const [login, by] of c.grants) {
      if (gone.has(by) || [...this.users.get(login)!.memberships.keys()].some((o) => gone.has(o))) c.grants.delete(login);
    }
    return undefined;
  }

  /** R17, R19: manageTask/manageObservable through R15; shared with the creator's organisation and every share whose rule is ALL. */
  createItem(a: Actor, caseId: string, kind: 'task' | 'observable', value?: ObservableValue): string {
    const p = this.principal(a, 'internal');
    const permission: Permission = kind === 'task' ? 'manageTask' : 'manageObservable';
    this.requireRoot(p, permission, 'R19');
    const c = this.requireVisibleCase(p, caseId);
    this.requireCasePermission(p, c, permission, 'R19');
    return this.newItem(c, kind, p.organisation, false, value);
  }

  private newItem(c: Case, kind: 'task' | 'observable', creatorOrganisation: string, createdByExternal: boolean, value?: ObservableValue): string {
    const id = this.nextId(kind === 'task' ? 'task' : 'obs');
    const heldBy = new Set<string>();
    if (c.shares.has(creatorOrganisation)) heldBy.add(creatorOrganisation);
    for (const s of c.shares.values()) if ((kind === 'task' ? s.tasks : s.observables) === 'ALL') heldBy.add(s.organisation);
    (kind === 'task' ? this.tasks : this.observables).set(id, { id, caseId: c.id, heldBy, createdByExternal, value });
    return id;
  }

  /**
   * R18: "only with an organisation the case is already shared with (else BAD_USER_INPUT)".
   * decision: "shared with", as the caller knows it: a share the caller sees on the case (the
   * owner's, or one of an organisation it can see, R3). Any other name — unknown, invisible even
   * if it holds a share, visible without one — is the same BAD_USER_INPUT, so nothing is learnt
   * about organisations the caller cannot see.
   */
  private requireCaseShareOf(p: Principal, c: Case, name: string): Share {
    const org = this.findOrganisation(name);
    const share = org ? c.shares.get(org.name) : undefined;
    if (!org || !share || !(share.owner || this.canSeeOrganisation(p, org) || p.organisation === c.owner))
      refuse('BAD_USER_INPUT', `R18: ${c.id} is not shared with ${name} as far as ${p.organisation} knows`);
    return share;
  }

  /** R18: manageShare on the case; only with an organisation the case is shared with (else BAD_USER_INPUT). Again: no change. */
  shareItem(a: Actor, kind: 'task' | 'observable', id: string, organisation: string): undefined {
    const { p, c, item } = this.itemForShare(a, kind, id);
    const share = this.requireCaseShareOf(p, c, organisation);
    item.heldBy.add(share.organisation);
    return undefined;
  }

  /**
   * R18: unsharing needs the same permission, and names an organisation as sharing does.
   * decision: the owner organisation never loses an item (BAD_USER_INPUT: R16 makes the owner
   * the keeper of every item); an organisation that does not hold it → BAD_USER_INPUT too (the
   * item and the organisation are both visible: only the argument is wrong; NOT_FOUND stays for
   * the item id); unlike a case share (R16), an item may be unshared from the caller's own
   * organisation (R18 does not forbid it).
   */
  unshareItem(a: Actor, kind: 'task' | 'observable', id: string, organisation: string): undefined {
    const { p, c, item } = this.itemForShare(a, kind, id);
    const share = this.requireCaseShareOf(p, c, organisation);
    if (share.owner) refuse('BAD_USER_INPUT', 'R16/R18: the owner organisation keeps every item');
    if (!item.heldBy.has(share.organisation)) refuse('BAD_USER_INPUT', `R18: ${id} is not shared with ${share.organisation}`);
    item.heldBy.delete(share.organisation);
    return undefined;
  }

  /** R17/R18/R15: the item visible to the active organisation, with manageShare through its share (the case share). */
  private itemForShare(a: Actor, kind: 'task' | 'observable', id: string): { p: Principal; c: Case; item: Item } {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageShare', 'R18');
    const item = this.requireVisibleItem(p, kind === 'task' ? this.tasks : this.observables, id);
    const c = this.cases.get(item.caseId)!;
    this.requireCasePermission(p, c, 'manageShare', 'R18');
    return { p, c, item };
  }

  /**
   * R21, R22: an external user in the active organisation with an external profile, created with manageUser.
   * decision: acting in admin → BAD_USER_INPUT; an internal profile → BAD_USER_INPUT; a login taken → CONFLICT.
   */
  createExternalUser(a: Actor, login: string, profileName: string): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageUser', 'R21');
    if (p.inAdmin) refuse('BAD_USER_INPUT', 'R21: external users never belong to admin');
    const profile = this.requireProfile(profileName);
    if (!profile.external) refuse('BAD_USER_INPUT', 'R22: external users have an external profile');
    if (this.findUser(login)) refuse('CONFLICT', `login ${login} is taken`);
    this.users.set(lower(login), { login: lower(login), type: 'EXTERNAL', locked: false, memberships: new Map([[p.organisation, profile.name]]) });
    return undefined;
  }

  /**
   * R23: manageExternalShare on the case (R19, R15); the user must be visible (R3).
   * decision: an internal user → BAD_USER_INPUT; an external user of an organisation holding no
   * share on the case → BAD_USER_INPUT (a grant never exposes a case beyond its organisations);
   * granting again changes nothing.
   */
  grantExternalAccess(a: Actor, caseId: string, login: string): undefined {
    const { c, user } = this.grantTarget(a, caseId, login);
    if (user.type !== 'EXTERNAL') refuse('BAD_USER_INPUT', 'R23: portal access is for external users');
    if (![...user.memberships.keys()].some((o) => c.shares.has(o))) refuse('BAD_USER_INPUT', `R23: ${login}'s organisation holds no share on ${c.id}`);
    // R23: the grant belongs to the granter's share; granting again changes nothing (not its owner either).
    if (!c.grants.has(user.login)) c.grants.set(user.login, this.principal(a, 'internal').organisation);
    return undefined;
  }

  /** R23: withdraws a grant, effective on the next request; decision: no such grant → NOT_FOUND. */
  revokeExternalAccess(a: Actor, caseId: string, login: string): undefined {
    const { c, user } = this.grantTarget(a, caseId, login);
    if (!c.grants.has(user.login)) refuse('NOT_FOUND', `R23: ${login} has no grant on ${c.id}`);
    c.grants.delete(user.login);
    return undefined;
  }

  private grantTarget(a: Actor, caseId: string, login: string): { c: Case; user: User } {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageExternalShare', 'R23');
    const c = this.requireVisibleCase(p, caseId);
    this.requireCasePermission(p, c, 'manageExternalShare', 'R23');
    return { c, user: this.requireVisibleUser(p, login) };
  }

  private notes(kind: 'comment' | 'attachment'): Map<string, Note> {
    return kind === 'comment' ? this.comments : this.attachments;
  }

  /** R19, R24: manageCase to comment or attach; marking it external also needs manageExternalShare (both through R15). */
  addNote(a: Actor, kind: 'comment' | 'attachment', caseId: string, external: boolean): string {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageCase', 'R19');
    const c = this.requireVisibleCase(p, caseId);
    this.requireCasePermission(p, c, 'manageCase', 'R19');
    if (external) this.requireCasePermission(p, c, 'manageExternalShare', 'R24');
    return this.newNote(kind, c, external);
  }

  private newNote(kind: 'comment' | 'attachment', c: Case, external: boolean): string {
    const id = this.nextId(kind);
    this.notes(kind).set(id, { id, caseId: c.id, external });
    return id;
  }

  /** R24: shows/hides a comment or attachment in the portal; needs manageExternalShare on its case; it follows the case (R17). */
  setNoteExternal(a: Actor, kind: 'comment' | 'attachment', id: string, external: boolean): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageExternalShare', 'R24');
    const note = this.notes(kind).get(id);
    if (!note) refuse('NOT_FOUND', `${id} does not exist`);
    const c = this.requireVisibleCase(p, note.caseId);
    this.requireCasePermission(p, c, 'manageExternalShare', 'R24');
    note.external = external;
    return undefined;
  }

  /** R26: portalCreateCase; the case belongs to the user's organisation (owner share, R12) and is granted to them. */
  portalCreateCase(a: Actor): string {
    const p = this.principal(a, 'portal');
    this.requireRoot(p, 'portalCreateCase', 'R26');
    const id = this.newCase(p.organisation, p.user.login);
    this.cases.get(id)!.grants.set(p.user.login, p.organisation);
    return id;
  }

  /** R24, R26: portalComment / portalAttachment on a case the user sees; external by construction. */
  portalAddNote(a: Actor, kind: 'comment' | 'attachment', caseId: string): string {
    const p = this.principal(a, 'portal');
    this.requireRoot(p, kind === 'comment' ? 'portalComment' : 'portalAttachment', 'R26');
    return this.newNote(kind, this.requirePortalCase(p, caseId), true);
  }

  /**
   * R25, R26: portalObservable on a case the user sees; createdByExternal.
   * decision: inside the internal API it is shared like any new observable (R17): with the
   * creator's organisation's share and every share whose rule is ALL.
   */
  portalAddObservable(a: Actor, caseId: string): string {
    const p = this.principal(a, 'portal');
    this.requireRoot(p, 'portalObservable', 'R26');
    return this.newItem(this.requirePortalCase(p, caseId), 'observable', p.organisation, true, { dataType: 'domain', data: 'example' });
  }

  // ---- alerts (R34, R35) ----------------------------------------------------------------------

  /** R34: an alert is visible to the members of its organisation only (never shared); anything else is absent → NOT_FOUND. */
  private requireVisibleAlert(p: Principal, id: string): Alert {
    const alert = this.alerts.get(id);
    if (!alert || alert.organisation !== p.organisation) refuse('NOT_FOUND', `R34: ${id} is not an alert of ${p.organisation}`);
    return alert;
  }

  /**
   * R34: pushes an alert into the active organisation with manageAlert (never effective in admin,
   * R6, so admin holds none, R1); type, source and sourceRef are unique together in the
   * organisation → CONFLICT. Observables repeating a dataType and data are kept once (SDL).
   * `upsert`: the alert with the same type/source/sourceRef is updated instead — its fields
   * replaced, observables not yet there added — and a NEW or IMPORTED one becomes UPDATED (R34);
   * decision: an IGNORED or UPDATED one keeps its status, and an import stays an import (R35: at
   * most once, even when the source pushes again).
   */
  pushAlert(a: Actor, input: AlertInput, upsert: boolean): string {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageAlert', 'R34');
    if (p.inAdmin) refuse('FORBIDDEN', 'R1: admin holds no alerts');
    const observables: ObservableValue[] = [];
    for (const v of input.observables) if (!observables.some((o) => sameValue(o, v))) observables.push({ dataType: v.dataType, data: v.data });
    const existing = [...this.alerts.values()].find(
      (x) => x.organisation === p.organisation && x.type === input.type && x.source === input.source && x.sourceRef === input.sourceRef,
    );
    if (existing) {
      if (!upsert) refuse('CONFLICT', `R34: ${p.organisation} already has ${input.type}/${input.source}/${input.sourceRef} (${existing.id})`);
      existing.description = input.description;
      for (const v of observables) if (!existing.observables.some((o) => sameValue(o, v))) existing.observables.push(v);
      if (existing.status === 'NEW' || existing.status === 'IMPORTED') existing.status = 'UPDATED';
      return existing.id;
    }
    const id = this.nextId('alert');
    this.alerts.set(id, {
      id,
      organisation: p.organisation,
      type: input.type,
      source: input.source,
      sourceRef: input.sourceRef,
      description: input.description,
      observables,
      status: 'NEW',
      imported: false,
    });
    return id;
  }

  private markImported(alert: Alert, caseId: string): void {
    alert.status = 'IMPORTED';
    alert.imported = true;
    alert.caseId = caseId;
  }

  /**
   * R35 promote: manageAlert; the alert of the active organisation (R34); imported once →
   * CONFLICT. A case of the alert's organisation, made as createCase makes it (R12: its owner
   * share), optionally from that organisation's template (R33: its tasks; an unknown one →
   * BAD_USER_INPUT, nothing created), carrying the alert's observables — new observables of the
   * owner organisation (R17). The alert becomes IMPORTED, linked to the case.
   * decision: the second import is refused before the template is looked at (CONFLICT first).
   * R35 names no case permission for promote: manageAlert alone.
   */
  promoteAlert(a: Actor, alertId: string, template?: string): Created {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageAlert', 'R35');
    const alert = this.requireVisibleAlert(p, alertId);
    if (alert.imported) refuse('CONFLICT', `R35: ${alertId} was already imported`);
    let tasks = 0;
    if (template !== undefined) {
      const t = this.templates.get(alert.organisation)?.get(lower(template));
      if (!t) refuse('BAD_USER_INPUT', `R33: no template "${template}" in ${alert.organisation}`);
      tasks = t.tasks;
    }
    const id = this.newCase(alert.organisation, p.user.login);
    const c = this.cases.get(id)!;
    const also = Array.from({ length: tasks }, () => this.newItem(c, 'task', alert.organisation, false));
    const observables = alert.observables.map((v) => ({ id: this.newItem(c, 'observable', alert.organisation, false, v), ...v }));
    this.markImported(alert, id);
    return { id, also, observables };
  }

  /**
   * R35 merge: manageAlert and manageCase (root rule, R6), the alert of the active organisation
   * (R34), a case it sees (R13) with manageCase through its share (R15); imported once → CONFLICT.
   * Adds the alert's observables whose dataType+data the case does not hold yet among the
   * observables the merging organisation sees (R35 "existing" read with R13/R17: an observable it
   * cannot see looks absent, so skipping it would reveal it) — as new observables of the merging
   * organisation (R17: its share and every ALL share), and the description as an internal comment.
   * decision: an empty description adds no comment (there is nothing to say).
   */
  mergeAlert(a: Actor, alertId: string, caseId: string): Created {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageAlert', 'R35');
    this.requireRoot(p, 'manageCase', 'R35/R15');
    const alert = this.requireVisibleAlert(p, alertId);
    const c = this.requireVisibleCase(p, caseId);
    this.requireCasePermission(p, c, 'manageCase', 'R35');
    if (alert.imported) refuse('CONFLICT', `R35: ${alertId} was already imported`);
    const existing = this.observableValuesSeen(p, c);
    const observables = alert.observables
      .filter((v) => !existing.some((e) => sameValue(e, v)))
      .map((v) => ({ id: this.newItem(c, 'observable', p.organisation, false, v), ...v }));
    const comment = alert.description ? this.newNote('comment', c, false) : undefined;
    this.markImported(alert, c.id);
    return { id: c.id, observables, comment };
  }

  /**
   * R34 handling (manageAlert): `ignored` makes the alert IGNORED, `false` makes an IGNORED one NEW
   * again (SDL). decision (SDL): an imported alert cannot be set aside → CONFLICT (its case carries it on).
   */
  ignoreAlert(a: Actor, alertId: string, ignored: boolean): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageAlert', 'R34');
    const alert = this.requireVisibleAlert(p, alertId);
    if (alert.imported) refuse('CONFLICT', `R35: ${alertId} was imported into a case`);
    if (ignored) alert.status = 'IGNORED';
    else if (alert.status === 'IGNORED') alert.status = 'NEW';
    return undefined;
  }

  /** R34: manageAlert; the case an imported alert made stays (it is the organisation's case now). */
  deleteAlert(a: Actor, alertId: string): undefined {
    const p = this.principal(a, 'internal');
    this.requireRoot(p, 'manageAlert', 'R34');
    const alert = this.requireVisibleAlert(p, alertId);
    this.alerts.delete(alert.id);
    return undefined;
  }

  // ---- reads ----------------------------------------------------------------------------------

  /** The reader's principal, or the refusal every read of that endpoint answers. */
  private viewer(actor: Actor, endpoint: 'internal' | 'portal'): Principal | Refused {
    try {
      return this.principal(actor, endpoint);
    } catch (e) {
      if (e instanceof Refusal) return { ok: false, code: e.code, why: e.why };
      throw e;
    }
  }

  /** R13/R17: the values (dataType and data) of the case's observables the organisation sees. */
  private observableValuesSeen(p: Principal, c: Case): ObservableValue[] {
    return [...this.observables.values()].filter((o) => o.caseId === c.id && o.heldBy.has(p.organisation) && o.value).map((o) => o.value!);
  }

  /** R8, R13, R15, R17: what `cases(first: 100)` shows the persona (reading needs no permission). */
  internalView(actor: Actor): View<InternalCaseView> {
    const p = this.viewer(actor, 'internal');
    if ('ok' in p) return p;
    const cases = new Map<string, InternalCaseView>();
    for (const c of this.cases.values()) {
      if (!c.shares.has(p.organisation)) continue;
      const held = (items: Map<string, Item>) => sorted([...items.values()].filter((i) => i.caseId === c.id && i.heldBy.has(p.organisation)).map((i) => i.id));
      cases.set(c.id, {
        tasks: held(this.tasks),
        observables: held(this.observables),
        comments: [...this.comments.values()].filter((m) => m.caseId === c.id).map((m) => ({ id: m.id, external: m.external })),
        attachments: [...this.attachments.values()].filter((m) => m.caseId === c.id).map((m) => ({ id: m.id, external: m.external })),
        myPermissions: sorted(this.casePermissions(p, c)),
        // decision: see canSeeReferencedUser; otherwise shown without login, name or e-mail (HIDDEN_USER).
        assignee: c.assignee === undefined ? null : this.canSeeReferencedUser(p, this.users.get(c.assignee)!) ? c.assignee : HIDDEN_USER,
      });
    }
    return { ok: true, cases };
  }

  /**
   * R8, R34, R35: what `alerts(first: 100)` shows the persona — the active organisation's alerts,
   * whatever its profile (reading needs no permission); Alert.case while the organisation sees the
   * case (R13); similarCases: the cases the organisation sees holding, among the observables it
   * sees (R17), some of the alert's (dataType and data), with how many of the alert's they hold.
   */
  alertsView(actor: Actor): AlertsView {
    const p = this.viewer(actor, 'internal');
    if ('ok' in p) return p;
    const alerts = new Map<string, AlertView>();
    for (const alert of this.alerts.values()) {
      if (alert.organisation !== p.organisation) continue;
      const linked = alert.caseId !== undefined ? this.cases.get(alert.caseId) : undefined;
      const similarCases: string[] = [];
      for (const c of this.cases.values()) {
        if (!c.shares.has(p.organisation)) continue;
        const seen = this.observableValuesSeen(p, c);
        const shared = alert.observables.filter((v) => seen.some((o) => sameValue(o, v))).length;
        if (shared) similarCases.push(`${c.id}×${shared}`);
      }
      alerts.set(alert.id, {
        status: alert.status,
        case: linked && linked.shares.has(p.organisation) ? linked.id : null,
        observables: alert.observables.map(valueText),
        similarCases: similarCases.sort(),
      });
    }
    return { ok: true, alerts };
  }

  /** R23–R25, R27: what the portal's `cases` shows the external persona (external comments/attachments, portal observables). */
  portalView(actor: Actor): View<PortalCaseView> {
    const p = this.viewer(actor, 'portal');
    if ('ok' in p) return p;
    const cases = new Map<string, PortalCaseView>();
    for (const c of this.cases.values()) {
      if (!this.portalCanSee(p, c)) continue;
      cases.set(c.id, {
        comments: [...this.comments.values()].filter((m) => m.caseId === c.id && m.external).map((m) => m.id),
        attachments: [...this.attachments.values()].filter((m) => m.caseId === c.id && m.external).map((m) => m.id),
        observables: sorted([...this.observables.values()].filter((o) => o.caseId === c.id && o.createdByExternal).map((o) => o.id)),
      });
    }
    return { ok: true, cases };
  }
}
