import fc from 'fast-check';
import type { Actor as HttpActor, GqlClient } from '../support/gql-client';
import type { TestServer } from '../support/test-server';
import { uploadRequest } from '../fixtures/portal';
import {
  Actor,
  ADMIN_ORG,
  AlertInput,
  AlertsView,
  AlertView,
  DEFAULT_PROFILES,
  HIDDEN_USER,
  INTERNAL_PERMISSIONS,
  InternalCaseView,
  ObservableValue,
  Op,
  OpKind,
  Outcome,
  Permission,
  PORTAL_OPS,
  PORTAL_PERMISSIONS,
  PortalCaseView,
  ReferenceModel,
  ShareRule,
  valueText,
  View,
} from './reference-model';

/**
 * The real side of the model-based test: resolves generated commands against the model's
 * state, sends them over HTTP to the real server, compares the answer (allowed / refused with
 * which code) and then what every persona reads, and keeps a readable trace of the run.
 *
 * Isolation between runs: every run works in its own universe of uniquely named objects
 * (organisations, users, custom profiles prefixed `r<run>-`) inside the one server of the test
 * file. Nothing links a run's organisations to another run's, so the model can start each run
 * from the bootstrap state (admin, default profiles, the administrator) plus the run's own base
 * world. This is much faster than a fresh database per run (each would need a new server or a
 * TRUNCATE + re-bootstrap + argon2 logins) and lets a shrunk replay start from the same state.
 * Shared global objects are never changed: default profiles are not updated or deleted, the
 * administrator is never a target of user management.
 */

export const ABSENT = 'absent';
const ABSENT_UUID = '00000000-0000-4000-8000-000000000000';

export interface RealWorld {
  server: TestServer;
  client: GqlClient;
  adminLogin: string;
  adminToken: string;
  /** An argon2 hash of EXTERNAL_PASSWORD, written for new external users (test setup only, see loginExternal). */
  externalPasswordHash: string;
  run: number;
  prefix: string;
  /** model login → bearer token */
  tokens: Map<string, string>;
  /** model id → uuid, and back */
  uuids: Map<string, string>;
  modelIds: Map<string, string>;
  trace: string[];
  /** Commands run so far in this run (setup excluded). */
  commandNo: number;
  stats: Stats;
}

export interface Stats {
  commands: number;
  reads: number;
  outcomes: Record<string, number>;
  /** The outcomes of the alert commands (R34, R35), by command. */
  alerts: Record<string, Record<string, number>>;
  /** Persona reads that included the alerts. */
  alertReads: number;
}

export const EXTERNAL_PASSWORD = 'model-portal-password-1';

export type RealBase = Omit<RealWorld, 'run' | 'prefix' | 'tokens' | 'uuids' | 'modelIds' | 'trace' | 'commandNo'>;

export function newRealWorld(base: RealBase, run: number): RealWorld {
  return {
    ...base,
    run,
    prefix: `r${run}-`,
    tokens: new Map([[base.adminLogin, base.adminToken]]),
    uuids: new Map([[ABSENT, ABSENT_UUID]]),
    modelIds: new Map(),
    trace: [],
    commandNo: 0,
  };
}

// ---- names: the model's logical names ↔ the run's real, unique names ---------------------------

const DEFAULT_PROFILE_NAMES = DEFAULT_PROFILES.map((p) => p.name);
const realOrg = (r: RealWorld, name: string) => (name.toLowerCase() === ADMIN_ORG ? name : `${r.prefix}${name}`);
const realProfile = (r: RealWorld, name: string) => (DEFAULT_PROFILE_NAMES.includes(name.toLowerCase()) ? name : `${r.prefix}${name}`);
const realLogin = (r: RealWorld, login: string) => (login === r.adminLogin ? login : `${r.prefix}${login}@model.test`);
const uuid = (r: RealWorld, id: string) => r.uuids.get(id) ?? ABSENT_UUID;
/** An observable's data as the model writes it (logical) ↔ the run's own real text, so runs never match each other's observables. */
const realData = (r: RealWorld, data: string) => `${r.prefix}${data}`;
const modelData = (r: RealWorld, data: string) => (data.startsWith(r.prefix) ? data.slice(r.prefix.length) : `foreign:${data}`);
const modelId = (r: RealWorld, id: string) => r.modelIds.get(id) ?? `foreign:${id.slice(0, 8)}`;
/** A login as the model names it; the stub the API returns for a user the caller cannot see (R3) has the login "hidden". */
const modelLogin = (r: RealWorld, login: string) => {
  if (login === 'hidden') return HIDDEN_USER;
  return login.startsWith(r.prefix) && login.endsWith('@model.test') ? login.slice(r.prefix.length, -'@model.test'.length) : `foreign:${login}`;
};

function remember(r: RealWorld, id: string, realId: string): void {
  r.uuids.set(id, realId);
  r.modelIds.set(realId, id);
}

// ---- GraphQL documents (names fixed by the contract) -------------------------------------------

const DOCS: Record<OpKind, string> = {
  createOrganisation: 'mutation($n: String!) { createOrganisation(name: $n, description: "model") { id } }',
  linkOrganisations: 'mutation($f: String!, $t: String!) { linkOrganisations(from: $f, to: $t) { id } }',
  unlinkOrganisations: 'mutation($f: String!, $t: String!) { unlinkOrganisations(from: $f, to: $t) }',
  createProfile: 'mutation($n: String!, $p: [Permission!]!, $e: Boolean) { createProfile(name: $n, permissions: $p, external: $e) { id } }',
  updateProfile: 'mutation($n: String!, $p: [Permission!]!) { updateProfile(name: $n, permissions: $p) { id } }',
  deleteProfile: 'mutation($n: String!) { deleteProfile(name: $n) }',
  createUser: 'mutation($l: String!, $o: String!, $p: String!) { createUser(login: $l, name: $l, organisation: $o, profile: $p) { id } }',
  setMembership: 'mutation($l: String!, $o: String!, $p: String!) { setMembership(login: $l, organisation: $o, profile: $p) { id } }',
  removeMembership: 'mutation($l: String!, $o: String!) { removeMembership(login: $l, organisation: $o) }',
  lockUser: 'mutation($l: String!, $k: Boolean!) { lockUser(login: $l, locked: $k) { id } }',
  createCase: 'mutation($t: String!, $tpl: String) { createCase(input: { title: $t, template: $tpl }) { id tasks { id } } }',
  createCaseTemplate: 'mutation($n: String!, $tasks: [TemplateTaskInput!]) { createCaseTemplate(input: { name: $n, tasks: $tasks }) { id } }',
  deleteCaseTemplate: 'mutation($n: String!) { deleteCaseTemplate(name: $n) }',
  updateCase: 'mutation($id: ID!, $t: String) { updateCase(id: $id, input: { title: $t }) { id } }',
  deleteCase: 'mutation($id: ID!) { deleteCase(id: $id) }',
  assignCase: 'mutation($id: ID!, $l: String) { assignCase(id: $id, login: $l) { id } }',
  shareCase: `mutation($c: ID!, $o: String!, $p: String!, $t: ShareRule, $b: ShareRule) {
    shareCase(caseId: $c, organisation: $o, profile: $p, tasks: $t, observables: $b) { id } }`,
  updateShare: 'mutation($c: ID!, $o: String!, $p: String!) { updateShare(caseId: $c, organisation: $o, profile: $p) { id } }',
  unshareCase: 'mutation($c: ID!, $o: String!) { unshareCase(caseId: $c, organisation: $o) }',
  createTask: 'mutation($c: ID!, $t: String!) { createTask(caseId: $c, input: { title: $t }) { id } }',
  createObservable: 'mutation($c: ID!, $d: String!) { createObservable(caseId: $c, input: { dataType: "domain", data: $d }) { id } }',
  shareTask: 'mutation($id: ID!, $o: String!) { shareTask(taskId: $id, organisation: $o) { id } }',
  unshareTask: 'mutation($id: ID!, $o: String!) { unshareTask(taskId: $id, organisation: $o) }',
  shareObservable: 'mutation($id: ID!, $o: String!) { shareObservable(observableId: $id, organisation: $o) { id } }',
  unshareObservable: 'mutation($id: ID!, $o: String!) { unshareObservable(observableId: $id, organisation: $o) }',
  createExternalUser: 'mutation($l: String!, $p: String!) { createExternalUser(login: $l, name: $l, email: $l, profile: $p) { id } }',
  grantExternalAccess: 'mutation($c: ID!, $l: String!) { grantExternalAccess(caseId: $c, login: $l) { id } }',
  revokeExternalAccess: 'mutation($c: ID!, $l: String!) { revokeExternalAccess(caseId: $c, login: $l) }',
  addComment: 'mutation($c: ID!, $m: String!, $e: Boolean) { addComment(caseId: $c, message: $m, external: $e) { id } }',
  setCommentExternal: 'mutation($id: ID!, $e: Boolean!) { setCommentExternal(id: $id, external: $e) { id } }',
  addAttachment: 'mutation($c: ID!, $file: Upload!, $e: Boolean) { addAttachment(caseId: $c, file: $file, external: $e) { id } }',
  setAttachmentExternal: 'mutation($id: ID!, $e: Boolean!) { setAttachmentExternal(id: $id, external: $e) { id } }',
  portalCreateCase: 'mutation($t: String!) { createCase(input: { title: $t }) { id } }',
  portalAddComment: 'mutation($c: ID!, $m: String!) { addComment(caseId: $c, message: $m) { id } }',
  portalAddObservable: 'mutation($c: ID!, $d: String!) { addObservable(caseId: $c, input: { dataType: "domain", data: $d }) { id } }',
  portalAddAttachment: 'mutation($c: ID!, $file: Upload!) { addAttachment(caseId: $c, file: $file) { id } }',
  createAlert: 'mutation($i: CreateAlertInput!) { createAlert(input: $i) { id } }',
  upsertAlert: 'mutation($i: CreateAlertInput!) { upsertAlert(input: $i) { id } }',
  promoteAlert:
    'mutation($id: ID!, $tpl: String) { promoteAlert(id: $id, caseTemplate: $tpl) { id tasks { id } observables { id dataType data } comments { id } } }',
  mergeAlert: 'mutation($id: ID!, $c: ID!) { mergeAlert(id: $id, caseId: $c) { id observables { id dataType data } comments { id } } }',
  ignoreAlert: 'mutation($id: ID!, $k: Boolean!) { ignoreAlert(id: $id, ignored: $k) { id } }',
  deleteAlert: 'mutation($id: ID!) { deleteAlert(id: $id) }',
};

const ALERT_OPS: readonly OpKind[] = ['createAlert', 'upsertAlert', 'promoteAlert', 'mergeAlert', 'ignoreAlert', 'deleteAlert'];

/** The pushed alert: the fields the model decides on, and a title. */
function alertInput(r: RealWorld, a: AlertInput, title: string) {
  return {
    type: a.type,
    source: a.source,
    sourceRef: a.sourceRef,
    title,
    description: a.description,
    observables: a.observables.map((o) => ({ dataType: o.dataType, data: realData(r, o.data) })),
  };
}

/** Operations sent as GraphQL multipart requests (a small text file as variable `file`). */
const UPLOADS: readonly OpKind[] = ['addAttachment', 'portalAddAttachment'];

function variables(r: RealWorld, op: Op): Record<string, unknown> {
  const label = `model run ${r.run}`;
  switch (op.kind) {
    case 'createOrganisation':
      return { n: realOrg(r, op.name) };
    case 'linkOrganisations':
    case 'unlinkOrganisations':
      return { f: realOrg(r, op.from), t: realOrg(r, op.to) };
    case 'createProfile':
      return { n: realProfile(r, op.name), p: op.permissions, e: op.external };
    case 'updateProfile':
      return { n: realProfile(r, op.name), p: op.permissions };
    case 'deleteProfile':
      return { n: realProfile(r, op.name) };
    case 'createUser':
    case 'setMembership':
      return { l: realLogin(r, op.login), o: realOrg(r, op.organisation), p: realProfile(r, op.profile) };
    case 'removeMembership':
      return { l: realLogin(r, op.login), o: realOrg(r, op.organisation) };
    case 'lockUser':
      return { l: realLogin(r, op.login), k: op.locked };
    case 'createCase':
      return { t: label, tpl: op.template ?? null };
    case 'portalCreateCase':
      return { t: label };
    case 'createCaseTemplate':
      return { n: op.name, tasks: Array.from({ length: op.tasks }, (_, i) => ({ title: `${label} task ${i + 1}` })) };
    case 'deleteCaseTemplate':
      return { n: op.name };
    case 'updateCase':
      return { id: uuid(r, op.caseId), t: `${label} (updated)` };
    case 'deleteCase':
      return { id: uuid(r, op.caseId) };
    case 'assignCase':
      return { id: uuid(r, op.caseId), l: op.login === null ? null : realLogin(r, op.login) };
    case 'shareCase':
      return { c: uuid(r, op.caseId), o: realOrg(r, op.organisation), p: realProfile(r, op.profile), t: op.tasks, b: op.observables };
    case 'updateShare':
      return { c: uuid(r, op.caseId), o: realOrg(r, op.organisation), p: realProfile(r, op.profile) };
    case 'unshareCase':
      return { c: uuid(r, op.caseId), o: realOrg(r, op.organisation) };
    case 'createTask':
      return { c: uuid(r, op.caseId), t: label };
    case 'createObservable':
      return { c: uuid(r, op.caseId), d: realData(r, op.data ?? 'example') };
    case 'portalAddObservable':
      return { c: uuid(r, op.caseId), d: realData(r, 'example') };
    case 'shareTask':
    case 'unshareTask':
      return { id: uuid(r, op.taskId), o: realOrg(r, op.organisation) };
    case 'shareObservable':
    case 'unshareObservable':
      return { id: uuid(r, op.observableId), o: realOrg(r, op.organisation) };
    case 'createExternalUser':
      return { l: realLogin(r, op.login), p: realProfile(r, op.profile) };
    case 'grantExternalAccess':
    case 'revokeExternalAccess':
      return { c: uuid(r, op.caseId), l: realLogin(r, op.login) };
    case 'addComment':
      return { c: uuid(r, op.caseId), m: label, e: op.external };
    case 'setCommentExternal':
      return { id: uuid(r, op.commentId), e: op.external };
    case 'addAttachment':
      return { c: uuid(r, op.caseId), e: op.external };
    case 'setAttachmentExternal':
      return { id: uuid(r, op.attachmentId), e: op.external };
    case 'portalAddAttachment':
      return { c: uuid(r, op.caseId) };
    case 'portalAddComment':
      return { c: uuid(r, op.caseId), m: label };
    case 'createAlert':
    case 'upsertAlert':
      return { i: alertInput(r, op, label) };
    case 'promoteAlert':
      return { id: uuid(r, op.alertId), tpl: op.template ?? null };
    case 'mergeAlert':
      return { id: uuid(r, op.alertId), c: uuid(r, op.caseId) };
    case 'ignoreAlert':
      return { id: uuid(r, op.alertId), k: op.ignored };
    case 'deleteAlert':
      return { id: uuid(r, op.alertId) };
  }
}

function httpActor(r: RealWorld, a: Actor): HttpActor {
  return { token: r.tokens.get(a.login), organisation: a.organisation === undefined ? undefined : realOrg(r, a.organisation) };
}

/**
 * `also`: the ids of objects created with it, in order (a template's tasks, R33); `observables`,
 * `comments`: those of the case answered (promote, merge: R35).
 */
type RealOutcome = { ok: true; id?: string; also?: string[]; observables?: Array<Ref & ObservableValue>; comments?: Ref[] } | { ok: false; code: string };

async function execute(r: RealWorld, a: Actor, op: Op): Promise<RealOutcome> {
  const endpoint = PORTAL_OPS.includes(op.kind) ? 'portal' : 'internal';
  const res = UPLOADS.includes(op.kind)
    ? await uploadRequest(
        r.server,
        DOCS[op.kind],
        variables(r, op),
        { name: 'evidence.txt', content: `model run ${r.run}`, type: 'text/plain' },
        httpActor(r, a),
        endpoint,
      )
    : await r.client.request(DOCS[op.kind], variables(r, op), httpActor(r, a), endpoint);
  if (res.errors?.length) return { ok: false, code: String(res.errors[0].extensions?.code ?? `no code: ${res.errors[0].message}`) };
  const value = res.data ? Object.values(res.data)[0] : undefined;
  const object =
    value && typeof value === 'object' ? (value as { id?: string; tasks?: Ref[]; observables?: Array<Ref & ObservableValue>; comments?: Ref[] }) : undefined;
  return { ok: true, id: object?.id, also: object?.tasks?.map((t) => t.id), observables: object?.observables, comments: object?.comments };
}

/**
 * Test setup only, not an assertion: the invitation token is stored hashed and e-mail is off in
 * this server, so a new external user gets a known argon2 password hash written through the
 * test's SQL helper, and then logs in through the real portal `login` mutation.
 */
async function loginExternal(r: RealWorld, login: string): Promise<void> {
  const real = realLogin(r, login);
  await r.server.sql('UPDATE app_user SET password_hash = $2 WHERE login = $1', [real, r.externalPasswordHash]);
  r.tokens.set(login, await r.client.login(real, EXTERNAL_PASSWORD, 'portal'));
}

/** Test setup: an API key (no argon2 cost) for a new internal user, issued by the administrator. */
async function issueApiKey(r: RealWorld, login: string): Promise<void> {
  const data = await r.client.ok<{ createApiKey: string }>(
    'mutation($l: String!) { createApiKey(login: $l) }',
    { l: realLogin(r, login) },
    { token: r.adminToken, organisation: ADMIN_ORG },
  );
  r.tokens.set(login, data.createApiKey);
}

// ---- printing -------------------------------------------------------------------------------------

const loginText = (login: string) => (login.includes('@') ? login.split('@')[0] : login);
const actorText = (a: Actor, op?: Op) =>
  op && PORTAL_OPS.includes(op.kind)
    ? `${loginText(a.login)} (portal)`
    : `${loginText(a.login)} ${a.organisation === undefined ? '(default org)' : `in ${a.organisation}`}`;

function opText(op: Op): string {
  const { kind, ...args } = op;
  const item = (v: unknown) => (v && typeof v === 'object' ? valueText(v as ObservableValue) : String(v));
  const parts = Object.entries(args).map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.map(item).join(',')}]` : v === '' ? '""' : String(v)}`);
  return `${kind}(${parts.join(', ')})`;
}

const outcomeText = (o: Outcome) => (o.ok ? 'ok' : `${o.code} (${o.why})`);
const realText = (o: RealOutcome) => (o.ok ? 'ok' : o.code);

const shortPerm = (p: string) => p.replace(/^manage/, '').replace(/^portal/, 'portal:');

/** Ids, sorted; `*` marks the external ones. */
const notesText = (notes: Array<{ id: string; external: boolean }>) =>
  [...notes]
    .sort((x, y) => x.id.localeCompare(y.id))
    .map((m) => m.id + (m.external ? '*' : ''))
    .join(',');

/** `name:list` for the non-empty lists (and always the permissions). */
function fieldsText(fields: Array<[string, string, boolean?]>): string {
  return fields
    .filter(([, v, always]) => v || always)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
}

function internalViewText(v: View<InternalCaseView>): string {
  if (!v.ok) return `error ${v.code}`;
  const cases = [...v.cases.entries()].sort(([a], [b]) => a.localeCompare(b));
  if (!cases.length) return '(no case)';
  return cases
    .map(
      ([id, c]) =>
        `${id}[${fieldsText([
          ['tasks', [...c.tasks].sort().join(',')],
          ['obs', [...c.observables].sort().join(',')],
          ['comments', notesText(c.comments)],
          ['attachments', notesText(c.attachments)],
          ['perms', [...c.myPermissions].sort().map(shortPerm).join(','), true],
          ['assignee', c.assignee ?? ''],
        ])}]`,
    )
    .join(' ');
}

function portalViewText(v: View<PortalCaseView>): string {
  if (!v.ok) return `error ${v.code}`;
  const cases = [...v.cases.entries()].sort(([a], [b]) => a.localeCompare(b));
  if (!cases.length) return '(no case)';
  return cases
    .map(
      ([id, c]) =>
        `${id}[${fieldsText([
          ['comments', [...c.comments].sort().join(',')],
          ['attachments', [...c.attachments].sort().join(',')],
          ['obs', [...c.observables].sort().join(',')],
        ])}]`,
    )
    .join(' ');
}

/** `alert1[NEW case:case3 obs:domain:example similar:case1×1]`, sorted by alert; nothing when the read failed (the cases part says why). */
function alertsViewText(v: AlertsView): string {
  if (!v.ok) return '';
  const alerts = [...v.alerts.entries()].sort(([a], [b]) => a.localeCompare(b));
  if (!alerts.length) return ' alerts: (none)';
  return ` alerts: ${alerts
    .map(
      ([id, al]) =>
        `${id}[${fieldsText([
          ['status', al.status, true],
          ['case', al.case ?? ''],
          ['obs', al.observables.join(',')],
          ['similar', al.similarCases.join(',')],
        ])}]`,
    )
    .join(' ')}`;
}

// ---- reads: every persona of the run, after every command --------------------------------------

const CASES_READ = `cases(first: 100) { totalCount edges { node {
  id myPermissions tasks { id } observables { id } comments { id external } attachments { id external } assignee { login } } } }`;
/** R34, R35: the persona's alerts, in the same request as its cases (no extra round trip). */
const ALERTS_READ = `alerts(first: 100) { totalCount edges { node {
  id status case { id } observables { dataType data } similarCases { sharedObservables case { id } } } } }`;
const INTERNAL_READ = `query { ${CASES_READ} ${ALERTS_READ} }`;
/** The disclosure check (R38) needs the cases only. */
const INTERNAL_CASES_READ = `query { ${CASES_READ} }`;
const PORTAL_READ = 'query { cases { id comments { id } attachments { id } observables { id } } }';

type Ref = { id: string };
interface ReadCase {
  id: string;
  myPermissions: Permission[];
  tasks: Ref[];
  observables: Ref[];
  comments: Array<Ref & { external: boolean }>;
  attachments: Array<Ref & { external: boolean }>;
  assignee: { login: string } | null;
}

interface ReadAlert {
  id: string;
  status: AlertView['status'];
  case: Ref | null;
  observables: ObservableValue[];
  similarCases: Array<{ sharedObservables: number; case: Ref }>;
}
type Connection<T> = { totalCount: number; edges: Array<{ node: T }> };

/** The persona's cases and, unless `casesOnly`, its alerts, in one request. */
async function realInternalRead(r: RealWorld, a: Actor, casesOnly = false): Promise<{ cases: View<InternalCaseView>; alerts: AlertsView }> {
  const res = await r.client.request<{ cases: Connection<ReadCase>; alerts?: Connection<ReadAlert> }>(
    casesOnly ? INTERNAL_CASES_READ : INTERNAL_READ,
    {},
    httpActor(r, a),
  );
  if (res.errors?.length || !res.data) {
    const failed = { ok: false, code: (res.errors?.[0]?.extensions?.code ?? 'no data') as never, why: '' } as const;
    return { cases: failed, alerts: failed };
  }
  const alerts = new Map<string, AlertView>();
  for (const { node } of res.data.alerts?.edges ?? []) {
    alerts.set(modelId(r, node.id), {
      status: node.status,
      case: node.case ? modelId(r, node.case.id) : null,
      observables: node.observables.map((o) => valueText({ dataType: o.dataType, data: modelData(r, o.data) })),
      similarCases: node.similarCases.map((x) => `${modelId(r, x.case.id)}×${x.sharedObservables}`).sort(),
    });
  }
  if (res.data.alerts && res.data.alerts.totalCount !== res.data.alerts.edges.length) {
    alerts.set(`totalCount=${res.data.alerts.totalCount}`, { status: 'NEW', case: null, observables: [], similarCases: [] });
  }
  return { cases: casesOf(r, res.data.cases), alerts: { ok: true, alerts } };
}

async function realInternalView(r: RealWorld, a: Actor): Promise<View<InternalCaseView>> {
  return (await realInternalRead(r, a, true)).cases;
}

function casesOf(r: RealWorld, data: Connection<ReadCase>): View<InternalCaseView> {
  const cases = new Map<string, InternalCaseView>();
  for (const { node } of data.edges) {
    cases.set(modelId(r, node.id), {
      tasks: node.tasks.map((t) => modelId(r, t.id)),
      observables: node.observables.map((o) => modelId(r, o.id)),
      comments: node.comments.map((m) => ({ id: modelId(r, m.id), external: m.external })),
      attachments: node.attachments.map((m) => ({ id: modelId(r, m.id), external: m.external })),
      myPermissions: node.myPermissions,
      assignee: node.assignee ? modelLogin(r, node.assignee.login) : null,
    });
  }
  if (data.totalCount !== data.edges.length) {
    cases.set(`totalCount=${data.totalCount}`, { tasks: [], observables: [], comments: [], attachments: [], myPermissions: [], assignee: null });
  }
  return { ok: true, cases };
}

async function realPortalView(r: RealWorld, a: Actor): Promise<View<PortalCaseView>> {
  const res = await r.client.request<{ cases: Array<{ id: string; comments: Ref[]; attachments: Ref[]; observables: Ref[] }> }>(
    PORTAL_READ,
    {},
    httpActor(r, a),
    'portal',
  );
  if (res.errors?.length || !res.data) return { ok: false, code: (res.errors?.[0]?.extensions?.code ?? 'no data') as never, why: '' };
  return {
    ok: true,
    cases: new Map(
      res.data.cases.map((c) => [
        modelId(r, c.id),
        {
          comments: c.comments.map((m) => modelId(r, m.id)),
          attachments: c.attachments.map((m) => modelId(r, m.id)),
          observables: c.observables.map((o) => modelId(r, o.id)),
        },
      ]),
    ),
  };
}

/** Every persona of the run: each internal user in each of its organisations (none: the default), each external user in the portal. */
function observers(m: ReferenceModel): Array<{ actor: Actor; endpoint: 'internal' | 'portal' }> {
  const out: Array<{ actor: Actor; endpoint: 'internal' | 'portal' }> = [];
  for (const u of m.users.values()) {
    if (u.type === 'EXTERNAL') out.push({ actor: { login: u.login }, endpoint: 'portal' });
    else if (!u.memberships.size) out.push({ actor: { login: u.login }, endpoint: 'internal' });
    else for (const org of u.memberships.keys()) out.push({ actor: { login: u.login, organisation: org }, endpoint: 'internal' });
  }
  return out;
}

/** Compares what the personas (all, or the sampled third) read with the model; returns the mismatches, printed. */
async function compareReads(m: ReferenceModel, r: RealWorld, sample?: number): Promise<string[]> {
  const personas = observers(m).filter((_p, i) => sample === undefined || (i + sample) % 3 === 0);
  r.stats.reads += personas.length;
  // R8, R34: the members of an organisation read the same alerts, whatever their profile. After a
  // command, the first sampled persona of each active organisation (it rotates with the sample)
  // reads them with its cases; at the end of the run, every persona does.
  const alertReaders = new Set<Actor>();
  const organisations = new Set<string>();
  for (const { actor, endpoint } of personas) {
    const org = endpoint === 'internal' ? m.activeOrganisation(actor) : undefined;
    if (endpoint === 'portal' || (sample !== undefined && org !== undefined && organisations.has(org))) continue;
    if (org !== undefined) organisations.add(org);
    alertReaders.add(actor);
  }
  r.stats.alertReads += alertReaders.size;
  const results = await Promise.all(
    personas.map(async ({ actor, endpoint }) => {
      let expected: string, got: string;
      if (endpoint === 'portal') [expected, got] = [portalViewText(m.portalView(actor)), portalViewText(await realPortalView(r, actor))];
      else {
        const withAlerts = alertReaders.has(actor);
        const real = await realInternalRead(r, actor, !withAlerts);
        expected = internalViewText(m.internalView(actor)) + (withAlerts ? alertsViewText(m.alertsView(actor)) : '');
        got = internalViewText(real.cases) + (withAlerts ? alertsViewText(real.alerts) : '');
      }
      return expected === got
        ? null
        : `      read as ${endpoint === 'portal' ? `${actor.login} (portal)` : actorText(actor)}:\n        expected ${expected}\n        got      ${got}`;
    }),
  );
  return results.filter((x): x is string => x !== null);
}

// ---- one step: model, then the real server, then the reads --------------------------------------

export class ModelMismatch extends Error {}

/** Runs one command on both sides and compares; throws ModelMismatch (after tracing it) on any difference. */
export async function step(m: ReferenceModel, r: RealWorld, actor: Actor, op: Op, opts: { reads: boolean; label: string; sample?: number }): Promise<void> {
  const newLogin = (op.kind === 'createUser' || op.kind === 'createExternalUser') && !m.findUser(op.login) ? op.login.toLowerCase() : undefined;
  const expected = m.apply(actor, op);
  const got = await execute(r, actor, op);
  if (opts.reads) {
    r.stats.commands += 1;
    const key = expected.ok ? 'ok' : expected.code;
    r.stats.outcomes[key] = (r.stats.outcomes[key] ?? 0) + 1;
    if (ALERT_OPS.includes(op.kind)) {
      const byKind = (r.stats.alerts[op.kind] ??= {});
      byKind[key] = (byKind[key] ?? 0) + 1;
    }
  }
  const agree = expected.ok === got.ok && (expected.ok || (!got.ok && expected.code === got.code));
  r.trace.push(
    `${opts.label.padEnd(6)} ${actorText(actor, op).padEnd(22)} ${opText(op)}\n         expected ${outcomeText(expected)}; got ${realText(got)}${agree ? '' : '   <-- MISMATCH'}`,
  );
  if (!agree) throw new ModelMismatch(`${opts.label}: ${opText(op)} as ${actorText(actor, op)}: expected ${outcomeText(expected)}, got ${realText(got)}`);
  if (expected.ok && expected.created) {
    if (!got.ok || !got.id) throw new ModelMismatch(`${opts.label}: no id returned`);
    // upsertAlert of an existing alert, mergeAlert: the object answered is one the run already knows.
    const known = r.uuids.get(expected.created);
    if (known !== undefined && known !== got.id) {
      r.trace.push(`         answered ${modelId(r, got.id)}, not ${expected.created}   <-- MISMATCH`);
      throw new ModelMismatch(`${opts.label}: expected ${expected.created} in the answer, got ${modelId(r, got.id)}`);
    }
    remember(r, expected.created, got.id);
    const also = expected.alsoCreated ?? [];
    if (also.length !== (got.also?.length ?? 0))
      throw new ModelMismatch(`${opts.label}: expected ${also.length} objects created with it, got ${got.also?.length ?? 0}`);
    also.forEach((id, i) => remember(r, id, got.also![i]!));
    rememberNew(r, opts.label, expected, got);
  }
  if (expected.ok && newLogin) {
    if (op.kind === 'createUser') await issueApiKey(r, newLogin);
    else await loginExternal(r, newLogin);
  }
  if (!opts.reads) return;
  await checkReads(m, r, `after ${opts.label}`, opts.sample);
}

/**
 * R35: the observables (and the comment) promote or merge created are those of the answered case
 * the run does not know yet; the model says which values they carry, and each is matched by its
 * value (an alert holds each dataType+data once, so the match is exact). A difference is a mismatch:
 * a duplicate added, one missing, or one that should not be there.
 */
function rememberNew(r: RealWorld, label: string, expected: Extract<Outcome, { ok: true }>, got: Extract<RealOutcome, { ok: true }>): void {
  if (!expected.observablesCreated && expected.commentCreated === undefined) return;
  const fresh = (got.observables ?? []).filter((o) => !r.modelIds.has(o.id));
  const want = (expected.observablesCreated ?? []).map(valueText).sort();
  const have = fresh.map((o) => valueText({ dataType: o.dataType, data: modelData(r, o.data) })).sort();
  if (want.join(' ') !== have.join(' ')) {
    r.trace.push(`         new observables in the answer: expected [${want.join(', ')}], got [${have.join(', ')}]   <-- MISMATCH`);
    throw new ModelMismatch(`${label}: the new observables of the case differ`);
  }
  for (const o of expected.observablesCreated ?? []) {
    const real = fresh.find((x) => x.dataType === o.dataType && x.data === realData(r, o.data))!;
    remember(r, o.id, real.id);
  }
  const comments = (got.comments ?? []).filter((c) => !r.modelIds.has(c.id));
  if (comments.length !== (expected.commentCreated === undefined ? 0 : 1)) {
    r.trace.push(`         new comments in the answer: expected ${expected.commentCreated ?? 'none'}, got ${comments.length}   <-- MISMATCH`);
    throw new ModelMismatch(`${label}: the new comments of the case differ`);
  }
  if (expected.commentCreated !== undefined) remember(r, expected.commentCreated, comments[0].id);
}

/** Reads as the personas (a third after each command, in rotation; all at the end of a run) and compares with the model. */
export async function checkReads(m: ReferenceModel, r: RealWorld, when: string, sample?: number): Promise<void> {
  const mismatches = await compareReads(m, r, sample);
  if (mismatches.length) {
    r.trace.push(`         reads ${when}: MISMATCH\n${mismatches.join('\n')}`);
    throw new ModelMismatch(`reads ${when} differ for ${mismatches.length} persona(s)`);
  }
}

// ---- R38/R39: the disclosure view against what each reader actually gets ------------------------

const DISCLOSURE = `query($c: ID!) { disclosure(caseId: $c) {
  organisations { organisation { name } share { owner expired } tasks { id } observables { id } }
  externalUsers { user { login } access expired comments { id } attachments { id } observables { id } } } }`;
const SET_SHARE_EXPIRY = 'mutation($c: ID!, $o: String!, $at: DateTime) { setShareExpiry(caseId: $c, organisation: $o, expiresAt: $at) { expired } }';
const modelOrg = (r: RealWorld, name: string) => (name.startsWith(r.prefix) ? name.slice(r.prefix.length) : name);
const idList = (r: RealWorld, refs: Ref[]) =>
  refs
    .map((x) => modelId(r, x.id))
    .sort()
    .join(',');

interface DisclosureRead {
  organisations: Array<{ organisation: { name: string }; share: { owner: boolean; expired: boolean }; tasks: Ref[]; observables: Ref[] }>;
  externalUsers: Array<{ user: { login: string }; access: string; expired: boolean; comments: Ref[]; attachments: Ref[]; observables: Ref[] }>;
}

/** A member of the case's owner organisation who holds manageShare there (the owner share is `all`), to ask for the disclosure. */
function disclosureReader(m: ReferenceModel, owner: string): Actor | undefined {
  for (const u of m.users.values()) {
    const profile = u.memberships.get(owner);
    if (!u.locked && profile && m.profiles.get(profile)?.permissions.has('manageShare')) return { login: u.login, organisation: owner };
  }
  return undefined;
}

/**
 * R38: the owner's disclosure of every case of the run says exactly what each reader gets from the
 * API — each organisation listed and not expired reads the case with exactly those tasks and
 * observables (an expired one does not read it at all), every organisation whose members read the
 * case is listed, and likewise for external users in the portal (comments, attachments,
 * observables). Compared with the real reads, not with the model: it checks that the view and the
 * scopes cannot disagree, whatever the random world. Returns the mismatches.
 */
async function compareDisclosures(m: ReferenceModel, r: RealWorld): Promise<string[]> {
  const out: string[] = [];
  const internal = new Map<string, Map<string, InternalCaseView>>();
  const portal = new Map<string, Map<string, PortalCaseView>>();
  // One reader per organisation (members differ only in permissions, not in what they see), every external user; all at once.
  const readers = new Map<string, { actor: Actor; endpoint: 'internal' | 'portal' }>();
  for (const o of observers(m)) {
    const key = o.endpoint === 'portal' ? `portal:${o.actor.login}` : o.actor.organisation;
    if (key && !m.users.get(o.actor.login)?.locked && !readers.has(key)) readers.set(key, o);
  }
  const cases = [...m.cases.values()].map((c) => ({ c, reader: disclosureReader(m, c.owner) }));
  const [, disclosures] = await Promise.all([
    Promise.all(
      [...readers.values()].map(async ({ actor, endpoint }) => {
        if (endpoint === 'portal') {
          const v = await realPortalView(r, actor);
          if (v.ok) portal.set(actor.login, v.cases);
        } else {
          const v = await realInternalView(r, actor);
          if (v.ok) internal.set(actor.organisation!, v.cases);
        }
      }),
    ),
    Promise.all(
      cases.map(({ c, reader }) =>
        reader ? r.client.request<{ disclosure: DisclosureRead }>(DISCLOSURE, { c: uuid(r, c.id) }, httpActor(r, reader)) : undefined,
      ),
    ),
  ]);
  for (const [i, { c, reader }] of cases.entries()) {
    const res = disclosures[i];
    if (!reader || !res) continue;
    if (res.errors?.length || !res.data) {
      out.push(`      disclosure(${c.id}) as ${actorText(reader)}: ${JSON.stringify(res.errors)}`);
      continue;
    }
    const d = res.data.disclosure;
    const listed = new Set<string>();
    for (const o of d.organisations) {
      const org = modelOrg(r, o.organisation.name);
      listed.add(org);
      const seen = internal.get(org);
      if (!seen) continue; // no member of that organisation to read as
      const got = seen.get(c.id);
      const said = o.share.expired ? '(nothing: expired)' : `tasks:${idList(r, o.tasks)} obs:${idList(r, o.observables)}`;
      const read = got ? `tasks:${[...got.tasks].sort().join(',')} obs:${[...got.observables].sort().join(',')}` : '(nothing: expired)';
      if (said !== read) out.push(`      disclosure(${c.id}) says ${org} sees ${said}; ${org} reads ${read}`);
    }
    for (const [org, seen] of internal) {
      if (seen.has(c.id) && !listed.has(org)) out.push(`      disclosure(${c.id}) does not list ${org}, which reads the case`);
    }
    const listedUsers = new Set<string>();
    for (const x of d.externalUsers) {
      const login = modelLogin(r, x.user.login);
      listedUsers.add(login);
      const seen = portal.get(login);
      if (!seen) continue;
      const got = seen.get(c.id);
      const said = x.expired
        ? '(nothing: expired)'
        : `comments:${idList(r, x.comments)} attachments:${idList(r, x.attachments)} obs:${idList(r, x.observables)}`;
      const read = got
        ? `comments:${[...got.comments].sort().join(',')} attachments:${[...got.attachments].sort().join(',')} obs:${[...got.observables].sort().join(',')}`
        : '(nothing: expired)';
      if (said !== read) out.push(`      disclosure(${c.id}) says ${login} (${x.access}) sees ${said}; the portal serves ${read}`);
    }
    // A reader the owner cannot see (R3: an external user of an organisation it is not linked to) is listed as the hidden user.
    let hidden = d.externalUsers.filter((x) => x.user.login === 'hidden').length;
    for (const [login, seen] of portal) {
      if (seen.has(c.id) && !listedUsers.has(login) && hidden-- <= 0)
        out.push(`      disclosure(${c.id}) does not list ${login}, who reads the case in the portal`);
    }
  }
  return out;
}

/**
 * R38/R39 at the end of a run: the disclosures agree with the reads; then the owner expires, on
 * each case, its first share made with another organisation (an instant already past: expired at
 * once, R39) and they must agree again — the expired share and everything made through it listed
 * as expired, their readers reading nothing. The model knows nothing of expiry, so this is the
 * run's last step.
 */
export async function checkDisclosures(m: ReferenceModel, r: RealWorld): Promise<void> {
  const fail = (when: string, mismatches: string[]) => {
    if (!mismatches.length) return;
    r.trace.push(`         disclosure ${when}: MISMATCH\n${mismatches.join('\n')}`);
    throw new ModelMismatch(`disclosure ${when} differs from the reads in ${mismatches.length} place(s)`);
  };
  fail('at the end of the run', await compareDisclosures(m, r));
  const past = new Date(Date.now() - 60_000).toISOString();
  const expired: string[] = [];
  await Promise.all(
    [...m.cases.values()].map(async (c) => {
      const reader = disclosureReader(m, c.owner);
      const target = [...c.shares.values()]
        .filter((sh) => !sh.owner)
        .map((sh) => sh.organisation)
        .sort()[0];
      if (!reader || !target) return;
      const res = await r.client.request(SET_SHARE_EXPIRY, { c: uuid(r, c.id), o: realOrg(r, target), at: past }, httpActor(r, reader));
      if (res.errors?.length) fail(`when expiring ${target}'s share of ${c.id}`, [`      ${JSON.stringify(res.errors)}`]);
      expired.push(`${c.id}/${target}`);
    }),
  );
  expired.sort();
  if (expired.length) {
    r.trace.push(`end    expired shares (R39): ${expired.join(' ')}`);
    fail('after expiring shares', await compareDisclosures(m, r));
  }
}

// ---- the base world of each run -------------------------------------------------------------------

const BASE_USERS = [
  ['a.ih', 'A', 'incident-handler'],
  ['a.oa', 'A', 'org-admin'],
  ['a.an', 'A', 'analyst'],
  ['a.ro', 'A', 'read-only'],
  ['b.ih', 'B', 'incident-handler'],
  ['b.an', 'B', 'analyst'],
  ['c.oa', 'C', 'org-admin'],
  // One account in two organisations (R5, R11: the second createUser adds a membership), with a different profile in each.
  ['ab', 'A', 'analyst'],
  ['ab', 'B', 'incident-handler'],
] as const;
const BASE_LOGINS = [...new Set(BASE_USERS.map(([login]) => login))];

/** Several mutations in one document (run in order by the server): setup only, where every step must succeed. */
async function batch(r: RealWorld, actor: Actor, fields: string[], endpoint: 'internal' | 'portal' = 'internal'): Promise<Record<string, any>> {
  const res = await r.client.request(`mutation { ${fields.map((f, i) => `s${i}: ${f}`).join('\n')} }`, {}, httpActor(r, actor), endpoint);
  if (res.errors?.length || !res.data) throw new Error(`run ${r.run} setup failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

/** Applies a setup command to the model, which must accept it. */
function modelSetup(m: ReferenceModel, actor: Actor, op: Op): string | undefined {
  const outcome = m.apply(actor, op);
  if (!outcome.ok) throw new Error(`the model refuses the setup step ${opText(op)}: ${outcome.code} ${outcome.why}`);
  return outcome.created;
}

const q = JSON.stringify;
const BASE_ORGS = ['A', 'B', 'C'] as const;
const BASE_LINKS = [
  ['A', 'B'],
  ['A', 'C'],
  ['B', 'C'],
] as const;
const ORG_ADMIN: Actor = { login: 'a.oa', organisation: 'A' };
const ANALYST: Actor = { login: 'a.an', organisation: 'A' };
const HANDLER: Actor = { login: 'a.ih', organisation: 'A' };
const BASE_SHARE = { organisation: 'B', profile: 'analyst', tasks: 'ALL', observables: 'MANUAL' } as const;
/** R33: A's case template, so that runs create cases from it (and B, C find it unknown). */
const BASE_TEMPLATE = { name: 'T1', tasks: 2 } as const;
/**
 * R34, R35: an alert of A (by a.an) sharing base.example with case1's obs1, and one of B (by b.an)
 * with the same type/source/sourceRef (unique per organisation only) and the same observable —
 * which B does not see in case1 (observables MANUAL, R17), so no similar case for B — and no description.
 */
const BASE_ALERT_A: AlertInput = {
  type: 'siem',
  source: 'splunk',
  sourceRef: 'n1',
  description: 'pushed by the model',
  observables: [
    { dataType: 'domain', data: 'base.example' },
    { dataType: 'hostname', data: 'ws-1' },
  ],
};
const BASE_ALERT_B: AlertInput = {
  ...BASE_ALERT_A,
  description: '',
  observables: [
    { dataType: 'domain', data: 'base.example' },
    { dataType: 'domain', data: 'example' },
  ],
};
const B_ANALYST: Actor = { login: 'b.an', organisation: 'B' };

/** A GraphQL input literal (setup documents carry no variables). */
const literal = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(literal).join(', ')}]`
    : v && typeof v === 'object'
      ? `{ ${Object.entries(v)
          .map(([k, x]) => `${k}: ${literal(x)}`)
          .join(', ')} }`
      : q(v);

/** The base world, in the model: the same steps setupRun sends to the server. Returns the ids of the base case, task, observable, comment, and A's and B's alerts. */
export function baseModel(adminLogin: string): { model: ReferenceModel; ids: string[] } {
  const model = new ReferenceModel(adminLogin);
  const admin: Actor = { login: adminLogin, organisation: ADMIN_ORG };
  for (const name of BASE_ORGS) modelSetup(model, admin, { kind: 'createOrganisation', name });
  for (const [from, to] of BASE_LINKS) modelSetup(model, admin, { kind: 'linkOrganisations', from, to });
  for (const [login, organisation, profile] of BASE_USERS) modelSetup(model, admin, { kind: 'createUser', login, organisation, profile });
  modelSetup(model, ORG_ADMIN, { kind: 'createExternalUser', login: 'a.x', profile: 'external-actor' });
  modelSetup(model, ORG_ADMIN, { kind: 'createCaseTemplate', ...BASE_TEMPLATE });
  const caseId = modelSetup(model, ANALYST, { kind: 'createCase' })!;
  const ids = [caseId];
  ids.push(modelSetup(model, ANALYST, { kind: 'createTask', caseId })!);
  ids.push(modelSetup(model, ANALYST, { kind: 'createObservable', caseId, data: 'base.example' })!);
  ids.push(modelSetup(model, ANALYST, { kind: 'addComment', caseId, external: false })!);
  modelSetup(model, HANDLER, { kind: 'shareCase', caseId, ...BASE_SHARE });
  modelSetup(model, HANDLER, { kind: 'grantExternalAccess', caseId, login: 'a.x' });
  modelSetup(model, HANDLER, { kind: 'assignCase', caseId, login: 'a.an' });
  ids.push(modelSetup(model, ANALYST, { kind: 'createAlert', ...BASE_ALERT_A })!);
  ids.push(modelSetup(model, B_ANALYST, { kind: 'createAlert', ...BASE_ALERT_B })!);
  return { model, ids };
}

/**
 * The base world of each run: organisations A, B, C with links A→B, A→C, B→C; one user per
 * interesting profile (BASE_USERS); an external user a.x of A (external-actor); A's case template T1 with two tasks; case1 of A with
 * task1, obs1 and an internal comment1, shared with B (BASE_SHARE), granted to a.x, assigned to a.an; an alert of A and one of
 * B (BASE_ALERT_A, BASE_ALERT_B). Built through the API (batched into a few documents to
 * keep runs fast) and applied to the model, which must accept every step; the reads after the
 * first command check the result.
 */
export async function setupRun(base: RealBase, run: number): Promise<{ model: ReferenceModel; real: RealWorld }> {
  const {
    model,
    ids: [caseId, taskId, obsId, commentId, alertA, alertB],
  } = baseModel(base.adminLogin);
  const r = newRealWorld(base, run);
  const admin: Actor = { login: base.adminLogin, organisation: ADMIN_ORG };
  const fields: string[] = [];
  for (const name of BASE_ORGS) fields.push(`createOrganisation(name: ${q(realOrg(r, name))}, description: "model") { id }`);
  for (const [from, to] of BASE_LINKS) fields.push(`linkOrganisations(from: ${q(realOrg(r, from))}, to: ${q(realOrg(r, to))}) { id }`);
  for (const [login, organisation, profile] of BASE_USERS) {
    fields.push(`createUser(login: ${q(realLogin(r, login))}, name: ${q(login)}, organisation: ${q(realOrg(r, organisation))}, profile: ${q(profile)}) { id }`);
  }
  for (const login of BASE_LOGINS) fields.push(`createApiKey(login: ${q(realLogin(r, login))})`);
  const keys = Object.values(await batch(r, admin, fields)).filter((v): v is string => typeof v === 'string');
  BASE_LOGINS.forEach((login, i) => r.tokens.set(login, keys[i]));

  await batch(r, ORG_ADMIN, [
    `createExternalUser(login: ${q(realLogin(r, 'a.x'))}, name: "a.x", email: ${q(realLogin(r, 'a.x'))}, profile: "external-actor") { id }`,
    `createCaseTemplate(input: { name: ${q(BASE_TEMPLATE.name)}, tasks: [{ title: "template task 1" }, { title: "template task 2" }] }) { id }`,
  ]);
  await loginExternal(r, 'a.x');

  remember(r, caseId, (await batch(r, ANALYST, ['createCase(input: { title: "model base case" }) { id }'])).s0.id);
  const items = await batch(r, ANALYST, [
    `createTask(caseId: ${q(uuid(r, caseId))}, input: { title: "model base task" }) { id }`,
    `createObservable(caseId: ${q(uuid(r, caseId))}, input: { dataType: "domain", data: ${q(realData(r, 'base.example'))} }) { id }`,
    `addComment(caseId: ${q(uuid(r, caseId))}, message: "model base comment") { id }`,
    `createAlert(input: ${literal(alertInput(r, BASE_ALERT_A, 'model base alert of A'))}) { id }`,
  ]);
  remember(r, taskId, items.s0.id);
  remember(r, obsId, items.s1.id);
  remember(r, commentId, items.s2.id);
  remember(r, alertA, items.s3.id);
  remember(r, alertB, (await batch(r, B_ANALYST, [`createAlert(input: ${literal(alertInput(r, BASE_ALERT_B, 'model base alert of B'))}) { id }`])).s0.id);
  await batch(r, HANDLER, [
    `shareCase(caseId: ${q(uuid(r, caseId))}, organisation: ${q(realOrg(r, BASE_SHARE.organisation))}, profile: ${q(BASE_SHARE.profile)}, ` +
      `tasks: ${BASE_SHARE.tasks}, observables: ${BASE_SHARE.observables}) { id }`,
    `grantExternalAccess(caseId: ${q(uuid(r, caseId))}, login: ${q(realLogin(r, 'a.x'))}) { id }`,
    `assignCase(id: ${q(uuid(r, caseId))}, login: ${q(realLogin(r, 'a.an'))}) { id }`,
  ]);

  r.trace.push(
    `run ${run} (real names prefixed "${r.prefix}"). Setup: organisations A, B, C; links ${BASE_LINKS.map(([f, t]) => `${f}→${t}`).join(', ')}; users ` +
      `${BASE_USERS.map(([l, o, p]) => `${l} (${p}@${o})`).join(', ')}; external a.x (external-actor@A, by a.oa); ` +
      `${caseId} of A (by a.an) with ${taskId}, ${obsId}, ${commentId} (internal), shared by a.ih with B ` +
      `(profile ${BASE_SHARE.profile}, tasks ${BASE_SHARE.tasks}, observables ${BASE_SHARE.observables}), granted to a.x, assigned to a.an; ` +
      `${alertA} of A (by a.an: ${opText({ kind: 'createAlert', ...BASE_ALERT_A })}), ${alertB} of B (by b.an: ${opText({ kind: 'createAlert', ...BASE_ALERT_B })}). Commands:`,
  );
  return { model, real: r };
}

// ---- generated commands ----------------------------------------------------------------------------

/**
 * Generated values are small numbers, resolved against the model's state when the command runs
 * (pick the n-th user, case, organisation… modulo how many exist), so any sequence is valid and
 * shrinking (dropping commands, lowering numbers) keeps it meaningful.
 */
interface Raw {
  who: number;
  org: number;
  x: number;
  y: number;
  /** the profile argument */
  z: number;
  flag: boolean;
  tasks: ShareRule;
  observables: ShareRule;
  perms: Permission[];
}

const pick = <T>(xs: readonly T[], n: number): T => xs[n % xs.length];

function runUsers(m: ReferenceModel) {
  return [...m.users.values()].filter((u) => u.login !== m.adminLogin);
}

/** Stands for the platform administrator in the preferred-actor lists. */
const ADMIN = '(admin)';

/**
 * The acting persona. `who` mostly (small values) picks one of the users a command is meant for
 * (`prefer`), otherwise any user of the run or the administrator, so that refusals are exercised
 * too. X-Organisation: `org` 0 sends none (the default organisation, R5); sometimes any
 * organisation (maybe not the user's, R5); usually one of the user's memberships.
 */
function internalActor(m: ReferenceModel, raw: Raw, prefer: readonly string[] = []): Actor {
  const admin = m.users.get(m.adminLogin)!;
  const preferred = prefer.map((l) => (l === ADMIN ? admin : m.findUser(l))).filter((u) => u !== undefined);
  const user = raw.who < 4 && preferred.length ? pick(preferred, raw.who) : pick([...runUsers(m), admin], raw.who);
  if (raw.org === 0) return { login: user.login };
  const memberships = [...user.memberships.keys()];
  if (raw.org % 7 === 1 || !memberships.length) return { login: user.login, organisation: pick(allOrgs(m), Math.floor(raw.org / 7)) };
  return { login: user.login, organisation: pick(memberships, raw.org) };
}

/** Platform administration (organisations, profiles): mostly the administrator. */
const asAdmin = (m: ReferenceModel, raw: Raw) => internalActor(m, raw, [ADMIN]);
/** User management: mostly the administrator and the org-admins. */
const asManager = (m: ReferenceModel, raw: Raw) => internalActor(m, raw, [ADMIN, 'a.oa', 'c.oa']);
/** Case work: mostly analysts and incident-handlers of A and B. */
const asWorker = (m: ReferenceModel, raw: Raw) => internalActor(m, raw, ['a.an', 'a.ih', 'b.an', 'b.ih']);
/** Sharing and portal exposure: mostly holders of manageShare/manageExternalShare. */
const asSharer = (m: ReferenceModel, raw: Raw) => internalActor(m, raw, ['a.ih', 'a.oa', 'b.ih', 'c.oa']);
/** Case templates (R33): org-admins hold manageCaseTemplate (and manageCase); the others are refused or use their organisation's. */
const asTemplateUser = (m: ReferenceModel, raw: Raw) => internalActor(m, raw, ['a.oa', 'c.oa', 'a.an', 'b.an']);

/** Alerts (R34, R35): mostly holders of manageAlert in A, B, C, and the member of A and B. */
const asAlertUser = (m: ReferenceModel, raw: Raw) => internalActor(m, raw, ['a.an', 'b.an', 'c.oa', 'ab']);

/** Portal actor: mostly the external users, sometimes an internal one (refused by the portal, R22). */
function portalActor(m: ReferenceModel, raw: Raw): Actor {
  const users = runUsers(m);
  const external = users.filter((u) => u.type === 'EXTERNAL');
  return { login: (raw.who < 4 && external.length ? pick(external, raw.who) : pick(users, raw.who)).login };
}

const allOrgs = (m: ReferenceModel) => [...[...m.organisations.keys()].filter((o) => o !== ADMIN_ORG), ADMIN_ORG];
/** Mostly one of the run's organisations, sometimes admin. */
const orgArg = (m: ReferenceModel, n: number) =>
  n % 6 === 5
    ? ADMIN_ORG
    : pick(
        allOrgs(m).filter((o) => o !== ADMIN_ORG),
        n,
      );
/** Internal profiles first (the usual share profiles), then admin and the external ones, then the run's own. */
function profileArg(m: ReferenceModel, n: number): string {
  const custom = [...m.profiles.keys()].filter((p) => !DEFAULT_PROFILES.some((d) => d.name === p));
  return pick(['analyst', 'read-only', 'incident-handler', 'org-admin', 'all', 'admin', 'external-actor', 'external-reader', ...custom], n);
}
const customProfileArg = (m: ReferenceModel, n: number) => {
  const custom = [...m.profiles.keys()].filter((p) => !DEFAULT_PROFILES.some((d) => d.name === p));
  return pick([...custom, 'all'], n);
};
const idArg = (ids: Iterable<string>, n: number) => {
  const list = [...ids];
  return list.length ? pick(list, n) : ABSENT;
};
const userArg = (m: ReferenceModel, n: number) => pick(runUsers(m), n).login;

/*
 * Argument pickers that look at the model only to choose plausible inputs (mostly objects the
 * actor can see, organisations that hold a share…), never to decide the expected answer; one
 * value in four picks among everything, so invisible and absent objects are exercised too.
 */
function visibleCases(m: ReferenceModel, actor: Actor, endpoint: 'internal' | 'portal' = 'internal'): string[] {
  const view = endpoint === 'portal' ? m.portalView(actor) : m.internalView(actor);
  return view.ok ? [...view.cases.keys()] : [];
}
function caseArg(m: ReferenceModel, actor: Actor, n: number, endpoint: 'internal' | 'portal' = 'internal'): string {
  const visible = visibleCases(m, actor, endpoint);
  return n % 4 !== 3 && visible.length ? pick(visible, n) : idArg(m.cases.keys(), n);
}
function itemArg(m: ReferenceModel, actor: Actor, kind: 'tasks' | 'observables', n: number): string {
  const view = m.internalView(actor);
  const visible = view.ok ? [...view.cases.values()].flatMap((c) => c[kind]) : [];
  return n % 4 !== 3 && visible.length ? pick(visible, n) : idArg(m[kind].keys(), n);
}
function noteArg(m: ReferenceModel, actor: Actor, kind: 'comments' | 'attachments', n: number): string {
  const view = m.internalView(actor);
  const visible = view.ok ? [...view.cases.values()].flatMap((c) => c[kind].map((x) => x.id)) : [];
  return n % 4 !== 3 && visible.length ? pick(visible, n) : idArg(m[kind].keys(), n);
}
/** For shareCase: mostly an organisation the actor's organisation links to. */
function linkedOrgArg(m: ReferenceModel, actor: Actor, n: number): string {
  const org = m.activeOrganisation(actor);
  const linked = org ? [...m.organisations.get(org)!.links] : [];
  return n % 4 !== 3 && linked.length ? pick(linked, n) : orgArg(m, n);
}
/** For share changes: mostly an organisation holding a share on the case of `id` (a case, task or observable). */
function holderArg(m: ReferenceModel, id: string, n: number): string {
  const caseId = m.cases.has(id) ? id : (m.tasks.get(id) ?? m.observables.get(id))?.caseId;
  const shares = caseId ? [...m.cases.get(caseId)!.shares.values()] : [];
  const holders = [...shares.filter((s) => !s.owner), ...shares.filter((s) => s.owner)].map((s) => s.organisation);
  return n % 4 !== 3 && holders.length ? pick(holders, n) : orgArg(m, n);
}

/** For assignCase: mostly a member of an organisation holding a share on the case. */
function assigneeArg(m: ReferenceModel, caseId: string, n: number): string {
  const holders = [...(m.cases.get(caseId)?.shares.keys() ?? [])];
  const members = runUsers(m).filter((u) => holders.some((o) => u.memberships.has(o)));
  return n % 4 !== 3 && members.length ? pick(members, n).login : userArg(m, n);
}

/** For user management: mostly a member of the actor's organisation (outside admin), else any user of the run. */
function memberArg(m: ReferenceModel, actor: Actor, n: number): string {
  const org = m.activeOrganisation(actor);
  const members = org && org !== ADMIN_ORG ? runUsers(m).filter((u) => u.memberships.has(org)) : [];
  // Often a current assignee (R20 must survive membership changes).
  const assignees = [...m.cases.values()]
    .flatMap((c) => (c.assignee ? [c.assignee] : []))
    .filter((l) => !org || org === ADMIN_ORG || members.some((u) => u.login === l));
  if (n % 3 !== 0 && assignees.length) return pick(assignees, n);
  return n % 4 !== 3 && members.length ? pick(members, n).login : userArg(m, n);
}

/** For membership changes: mostly one of the user's organisations. */
function membershipOrgArg(m: ReferenceModel, login: string, n: number): string {
  const orgs = [...(m.findUser(login)?.memberships.keys() ?? [])];
  return n % 4 !== 3 && orgs.length ? pick(orgs, n) : orgArg(m, n);
}

/** Builds the op from the actor (so arguments can be chosen among what that actor sees). */
const withActor =
  (actorOf: (m: ReferenceModel, raw: Raw) => Actor, opOf: (m: ReferenceModel, raw: Raw, actor: Actor) => Op): Resolve =>
  (m, raw) => {
    const actor = actorOf(m, raw);
    return { actor, op: opOf(m, raw, actor) };
  };
/** Mostly an external user, sometimes an internal one (refused: R23). */
const externalUserArg = (m: ReferenceModel, n: number) => {
  const users = runUsers(m);
  const external = users.filter((u) => u.type === 'EXTERNAL');
  return (n % 4 !== 3 && external.length ? pick(external, n) : pick(users, n)).login;
};

type Resolve = (m: ReferenceModel, raw: Raw) => { actor: Actor; op: Op };

/** For alert handling: mostly an alert of the actor's active organisation (the only ones it sees, R34). */
function alertArg(m: ReferenceModel, actor: Actor, n: number): string {
  const org = m.activeOrganisation(actor);
  const own = [...m.alerts.values()].filter((a) => a.organisation === org).map((a) => a.id);
  return n % 4 !== 3 && own.length ? pick(own, n) : idArg(m.alerts.keys(), n);
}

/** Few type/source/sourceRef triples, so that pushes repeat one (R34: CONFLICT, or upsert). */
const ALERT_KEYS = [
  ['siem', 'splunk', 'n1'],
  ['siem', 'splunk', 'n2'],
  ['siem', 'qradar', 'n1'],
  ['edr', 'splunk', 'n1'],
] as const;
/**
 * A small pool of observables, so that alerts share them with cases (similarCases, merge's
 * deduplication): domain:example is what createObservable adds, domain:base.example is case1's obs1,
 * fqdn:example the same data under another dataType (never the same observable), hostname:ws-1 in no
 * case until an alert brings it.
 */
const ALERT_OBSERVABLES: readonly ObservableValue[] = [
  { dataType: 'domain', data: 'example' },
  { dataType: 'domain', data: 'base.example' },
  { dataType: 'fqdn', data: 'example' },
  { dataType: 'hostname', data: 'ws-1' },
];
/** One or two observables (the second may repeat the first: kept once), with or without a description (merge's comment). */
function alertArgs(raw: Raw): AlertInput {
  const [type, source, sourceRef] = pick(ALERT_KEYS, raw.x);
  const observables = [pick(ALERT_OBSERVABLES, raw.y)];
  if (raw.z % 5 !== 4) observables.push(pick(ALERT_OBSERVABLES, raw.z));
  return { type, source, sourceRef, description: raw.flag ? '' : 'pushed by the model', observables };
}

const TEMPLATE_NAMES = ['T1', 't1', 'T2'];

const SPECS: Array<{ weight: number; fields: string; resolve: Resolve }> = [
  // organisations, profiles, users (R1–R11)
  {
    weight: 1,
    fields: 'who org x',
    resolve: (m, raw) => ({ actor: asAdmin(m, raw), op: { kind: 'createOrganisation', name: pick(['D', 'E', 'a', 'Admin'], raw.x) } }),
  },
  {
    weight: 2,
    fields: 'who org x y',
    resolve: (m, raw) => ({ actor: asAdmin(m, raw), op: { kind: 'linkOrganisations', from: orgArg(m, raw.x), to: orgArg(m, raw.y) } }),
  },
  {
    weight: 1,
    fields: 'who org x y',
    resolve: (m, raw) => ({ actor: asAdmin(m, raw), op: { kind: 'unlinkOrganisations', from: orgArg(m, raw.x), to: orgArg(m, raw.y) } }),
  },
  {
    weight: 1,
    fields: 'who org x y flag perms',
    resolve: (m, raw) => {
      const external = raw.y % 3 === 0;
      const perms = external
        ? raw.perms.filter((p) => raw.flag || PORTAL_PERMISSIONS.includes(p))
        : raw.perms.filter((p) => raw.flag || !PORTAL_PERMISSIONS.includes(p));
      return { actor: asAdmin(m, raw), op: { kind: 'createProfile', name: pick(['P1', 'P2', 'Analyst'], raw.x), permissions: perms, external } };
    },
  },
  {
    weight: 1,
    fields: 'who org x flag perms',
    resolve: (m, raw) => {
      const name = customProfileArg(m, raw.x);
      const external = m.findProfile(name)?.external ?? false;
      return {
        actor: asAdmin(m, raw),
        op: { kind: 'updateProfile', name, permissions: raw.perms.filter((p) => raw.flag || PORTAL_PERMISSIONS.includes(p) === external) },
      };
    },
  },
  { weight: 1, fields: 'who org x', resolve: (m, raw) => ({ actor: asAdmin(m, raw), op: { kind: 'deleteProfile', name: customProfileArg(m, raw.x) } }) },
  {
    weight: 2,
    fields: 'who org x y flag z',
    resolve: (m, raw) => ({
      actor: asManager(m, raw),
      op: {
        kind: 'createUser',
        login: raw.flag ? userArg(m, raw.x) : pick(['u1', 'u2', 'u3'], raw.x),
        organisation: orgArg(m, raw.y),
        profile: profileArg(m, raw.z),
      },
    }),
  },
  {
    weight: 2,
    fields: 'who org x y z',
    resolve: withActor(asManager, (m, raw, a) => {
      const login = memberArg(m, a, raw.x);
      return { kind: 'setMembership', login, organisation: membershipOrgArg(m, login, raw.y), profile: profileArg(m, raw.z) };
    }),
  },
  {
    weight: 2,
    fields: 'who org x y',
    resolve: withActor(asManager, (m, raw, a) => {
      const login = memberArg(m, a, raw.x);
      return { kind: 'removeMembership', login, organisation: membershipOrgArg(m, login, raw.y) };
    }),
  },
  {
    weight: 2,
    fields: 'who org x flag',
    resolve: withActor(asManager, (m, raw, a) => ({ kind: 'lockUser', login: memberArg(m, a, raw.x), locked: !raw.flag })),
  },
  // cases and shares (R12–R19)
  { weight: 3, fields: 'who org', resolve: (m, raw) => ({ actor: asWorker(m, raw), op: { kind: 'createCase' } }) },
  // case templates (R33): per organisation; names differ only in case to reach CONFLICT, and an organisation's template is unknown to the others.
  {
    weight: 2,
    fields: 'who org x',
    resolve: (m, raw) => ({ actor: asTemplateUser(m, raw), op: { kind: 'createCase', template: pick(TEMPLATE_NAMES, raw.x) } }),
  },
  {
    weight: 1,
    fields: 'who org x y',
    resolve: (m, raw) => ({ actor: asTemplateUser(m, raw), op: { kind: 'createCaseTemplate', name: pick(TEMPLATE_NAMES, raw.x), tasks: raw.y % 3 } }),
  },
  {
    weight: 1,
    fields: 'who org x',
    resolve: (m, raw) => ({ actor: asTemplateUser(m, raw), op: { kind: 'deleteCaseTemplate', name: pick(TEMPLATE_NAMES, raw.x) } }),
  },
  { weight: 1, fields: 'who org x', resolve: withActor(asWorker, (m, raw, a) => ({ kind: 'updateCase', caseId: caseArg(m, a, raw.x) })) },
  { weight: 1, fields: 'who org x', resolve: withActor(asWorker, (m, raw, a) => ({ kind: 'deleteCase', caseId: caseArg(m, a, raw.x) })) },
  {
    weight: 3,
    fields: 'who org x y flag',
    resolve: withActor(asWorker, (m, raw, a) => {
      const caseId = caseArg(m, a, raw.x);
      return { kind: 'assignCase', caseId, login: raw.flag && raw.y % 2 ? null : assigneeArg(m, caseId, raw.y) };
    }),
  },
  {
    weight: 4,
    fields: 'who org x y tasks observables z',
    resolve: withActor(asSharer, (m, raw, a) => ({
      kind: 'shareCase',
      caseId: caseArg(m, a, raw.x),
      organisation: linkedOrgArg(m, a, raw.y),
      profile: profileArg(m, raw.z),
      tasks: raw.tasks,
      observables: raw.observables,
    })),
  },
  {
    weight: 2,
    fields: 'who org x y z',
    resolve: withActor(asSharer, (m, raw, a) => {
      const caseId = caseArg(m, a, raw.x);
      return { kind: 'updateShare', caseId, organisation: holderArg(m, caseId, raw.y), profile: profileArg(m, raw.z) };
    }),
  },
  {
    weight: 2,
    fields: 'who org x y',
    resolve: withActor(asSharer, (m, raw, a) => {
      const caseId = caseArg(m, a, raw.x);
      return { kind: 'unshareCase', caseId, organisation: holderArg(m, caseId, raw.y) };
    }),
  },
  { weight: 3, fields: 'who org x', resolve: withActor(asWorker, (m, raw, a) => ({ kind: 'createTask', caseId: caseArg(m, a, raw.x) })) },
  { weight: 3, fields: 'who org x', resolve: withActor(asWorker, (m, raw, a) => ({ kind: 'createObservable', caseId: caseArg(m, a, raw.x) })) },
  {
    weight: 2,
    fields: 'who org x y',
    resolve: withActor(asSharer, (m, raw, a) => {
      const taskId = itemArg(m, a, 'tasks', raw.x);
      return { kind: 'shareTask', taskId, organisation: holderArg(m, taskId, raw.y) };
    }),
  },
  {
    weight: 2,
    fields: 'who org x y',
    resolve: withActor(asSharer, (m, raw, a) => {
      const taskId = itemArg(m, a, 'tasks', raw.x);
      return { kind: 'unshareTask', taskId, organisation: holderArg(m, taskId, raw.y) };
    }),
  },
  {
    weight: 2,
    fields: 'who org x y',
    resolve: withActor(asSharer, (m, raw, a) => {
      const observableId = itemArg(m, a, 'observables', raw.x);
      return { kind: 'shareObservable', observableId, organisation: holderArg(m, observableId, raw.y) };
    }),
  },
  {
    weight: 2,
    fields: 'who org x y',
    resolve: withActor(asSharer, (m, raw, a) => {
      const observableId = itemArg(m, a, 'observables', raw.x);
      return { kind: 'unshareObservable', observableId, organisation: holderArg(m, observableId, raw.y) };
    }),
  },
  // portal exposure (R21–R24)
  {
    weight: 1,
    fields: 'who org x y flag',
    resolve: (m, raw) => ({
      actor: asManager(m, raw),
      op: {
        kind: 'createExternalUser',
        login: raw.flag ? userArg(m, raw.x) : pick(['x1', 'x2'], raw.x),
        profile: pick(['external-actor', 'external-reader', 'analyst'], raw.y),
      },
    }),
  },
  {
    weight: 3,
    fields: 'who org x y',
    resolve: withActor(asSharer, (m, raw, a) => ({ kind: 'grantExternalAccess', caseId: caseArg(m, a, raw.x), login: externalUserArg(m, raw.y) })),
  },
  {
    weight: 1,
    fields: 'who org x y',
    resolve: withActor(asSharer, (m, raw, a) => ({ kind: 'revokeExternalAccess', caseId: caseArg(m, a, raw.x), login: externalUserArg(m, raw.y) })),
  },
  {
    weight: 3,
    fields: 'who org x flag',
    resolve: withActor(asWorker, (m, raw, a) => ({ kind: 'addComment', caseId: caseArg(m, a, raw.x), external: raw.flag })),
  },
  {
    weight: 2,
    fields: 'who org x flag',
    resolve: withActor(asSharer, (m, raw, a) => ({ kind: 'setCommentExternal', commentId: noteArg(m, a, 'comments', raw.x), external: !raw.flag })),
  },
  {
    weight: 1,
    fields: 'who org x flag',
    resolve: withActor(asWorker, (m, raw, a) => ({ kind: 'addAttachment', caseId: caseArg(m, a, raw.x), external: raw.flag })),
  },
  {
    weight: 1,
    fields: 'who org x flag',
    resolve: withActor(asSharer, (m, raw, a) => ({ kind: 'setAttachmentExternal', attachmentId: noteArg(m, a, 'attachments', raw.x), external: !raw.flag })),
  },
  // portal (R23–R27)
  { weight: 1, fields: 'who', resolve: (m, raw) => ({ actor: portalActor(m, raw), op: { kind: 'portalCreateCase' } }) },
  { weight: 2, fields: 'who x', resolve: withActor(portalActor, (m, raw, a) => ({ kind: 'portalAddComment', caseId: caseArg(m, a, raw.x, 'portal') })) },
  { weight: 2, fields: 'who x', resolve: withActor(portalActor, (m, raw, a) => ({ kind: 'portalAddObservable', caseId: caseArg(m, a, raw.x, 'portal') })) },
  { weight: 1, fields: 'who x', resolve: withActor(portalActor, (m, raw, a) => ({ kind: 'portalAddAttachment', caseId: caseArg(m, a, raw.x, 'portal') })) },
  // alerts (R34, R35)
  { weight: 3, fields: 'who org x y z flag', resolve: (m, raw) => ({ actor: asAlertUser(m, raw), op: { kind: 'createAlert', ...alertArgs(raw) } }) },
  { weight: 1, fields: 'who org x y z flag', resolve: (m, raw) => ({ actor: asAlertUser(m, raw), op: { kind: 'upsertAlert', ...alertArgs(raw) } }) },
  {
    weight: 3,
    fields: 'who org x y flag',
    resolve: withActor(asAlertUser, (m, raw, a) => ({
      kind: 'promoteAlert',
      alertId: alertArg(m, a, raw.x),
      ...(raw.flag ? { template: pick(TEMPLATE_NAMES, raw.y) } : {}),
    })),
  },
  {
    weight: 3,
    fields: 'who org x y',
    resolve: withActor(asAlertUser, (m, raw, a) => ({ kind: 'mergeAlert', alertId: alertArg(m, a, raw.x), caseId: caseArg(m, a, raw.y) })),
  },
  {
    weight: 1,
    fields: 'who org x flag',
    resolve: withActor(asAlertUser, (m, raw, a) => ({ kind: 'ignoreAlert', alertId: alertArg(m, a, raw.x), ignored: !raw.flag })),
  },
  { weight: 1, fields: 'who org x', resolve: withActor(asAlertUser, (m, raw, a) => ({ kind: 'deleteAlert', alertId: alertArg(m, a, raw.x) })) },
];

/** One generated command: the spec it comes from and its raw numbers; resolved when it runs. */
class Step implements fc.AsyncCommand<ReferenceModel, RealWorld, false> {
  constructor(
    readonly spec: number,
    readonly raw: Raw,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: ReferenceModel, r: RealWorld): Promise<void> {
    const { actor, op } = SPECS[this.spec].resolve(m, this.raw);
    r.commandNo += 1;
    await step(m, r, actor, op, { reads: true, label: `#${r.commandNo}`, sample: r.commandNo });
  }
  toString(): string {
    return `step(${this.spec}, ${JSON.stringify(this.raw)})`;
  }
}

const SHARE_RULE = fc.constantFrom<ShareRule>('MANUAL', 'EXISTING', 'ALL');

const FIELDS: { [K in keyof Raw]: fc.Arbitrary<Raw[K]> } = {
  // Small values pick a preferred actor (internalActor), larger ones anyone.
  who: fc.oneof({ weight: 3, arbitrary: fc.nat({ max: 3 }) }, { weight: 2, arbitrary: fc.nat({ max: 20 }) }),
  org: fc.nat({ max: 20 }),
  x: fc.nat({ max: 20 }),
  y: fc.nat({ max: 20 }),
  z: fc.nat({ max: 20 }),
  flag: fc.boolean(),
  tasks: SHARE_RULE,
  observables: SHARE_RULE,
  perms: fc.subarray([...INTERNAL_PERMISSIONS, ...PORTAL_PERMISSIONS] as Permission[], { maxLength: 8 }),
};
const DEFAULTS: Raw = { who: 0, org: 0, x: 0, y: 0, z: 0, flag: false, tasks: 'MANUAL', observables: 'MANUAL', perms: [] };

/** The fields a command reads, so shrinking never spends a replay on an unused one. */
function fieldsUsed(spec: { fields: string }): Array<keyof Raw> {
  return spec.fields.split(' ') as Array<keyof Raw>;
}

export const stepArb: fc.Arbitrary<fc.AsyncCommand<ReferenceModel, RealWorld, false>> = fc.oneof(
  ...SPECS.map((s, i) => {
    const record = fc.record(Object.fromEntries(fieldsUsed(s).map((k) => [k, FIELDS[k]])) as { [K in keyof Raw]: fc.Arbitrary<Raw[K]> });
    return {
      weight: s.weight,
      arbitrary: record.map((partial) => new Step(i, { ...DEFAULTS, ...partial }) as fc.AsyncCommand<ReferenceModel, RealWorld, false>),
    };
  }),
);
