import fc from 'fast-check';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isNonNullType,
  isObjectType,
  parse,
  validate,
} from 'graphql';
import { ADMIN_LOGIN, ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';
import type { Actor as Credentials } from '../support/gql-client';
import { Secrets } from '../support/leak-detector';
import { errorCodes, subscribe, Subscription } from '../support/ws-client';
import { addComment, attach, inviteExternalUser, SmtpCapture, startSmtpCapture, uploadRequest } from '../fixtures/portal';

/**
 * Portal leak fuzzing (issue #5; R13, R21–R27). Random worlds are built through the API with a
 * unique secret (test/support/leak-detector.ts) in every internal place: case fields of cases no
 * portal user may see, tags, assignees, internal comments, internal attachments (name and
 * content), analysts' observables, tasks (also deleted ones, and old titles: audit details only),
 * organisation descriptions and the names of organisations and profiles the portal users have no
 * business with, internal users (login, name, e-mail), other external users and everything they
 * wrote, other organisations' cases. Then random operations by random external users:
 *   - reads of every portal field, with aliases, inline and named fragments, @include/@skip,
 *     variables or literals, `case(id)` with ids of visible and invisible cases, of every other
 *     kind of object (comments, tasks, attachments, observables, shares, users, organisations,
 *     profiles, invitations, credentials, audit entries), mangled and malformed ids;
 *   - introspection (__schema, __type on internal type names such as Case, User, Task, AuditEntry);
 *   - batched requests (JSON arrays);
 *   - the portal writes (createCase, addComment, addObservable, addAttachment) on visible and
 *     invisible cases, with and without the permission;
 *   - GET /attachments/:id for every attachment (internal ones, other cases', other organisations')
 *     and for other objects' ids, with the portal token;
 *   - the internal endpoint (/graphql) with the portal token, and internal operations sent to the portal;
 *   - without a token, with a bogus one, and with X-Organisation naming another organisation.
 * After every request: no secret may appear in the body (error messages included), headers or
 * download. Unless checking only for leaks (the self-test), each answer is also checked against a
 * model of the world: every case, comment, attachment, observable and user returned is one the
 * caller may see and `cases` lists exactly those cases (R23–R25), `case(id)` answers null unless
 * the id is a visible case, writes succeed or fail with the right code (R26), downloads answer
 * 200 with the right bytes or 404 (401/403 for bad credentials), the internal endpoint refuses
 * the portal token (R22), and nothing answers 5xx or INTERNAL_SERVER_ERROR. A deterministic
 * sweep first reads everything each external user may see (positive control) and checks that a
 * portal token gets nothing from the internal live feed.
 *
 * `npm run test:fuzz -- --runs N` explores with a fresh seed; `npm test` uses a fixed one.
 * FUZZ_RUNS (default 150) operation sequences of 5–25 operations; FUZZ_WORLDS (default 4) random
 * worlds; a failure prints its seed and path: FUZZ_SEED=<seed> FUZZ_PATH=<path> (with the same
 * FUZZ_WORLDS) replays it; FUZZ_SHRINK_SECONDS (default 60) bounds shrinking; FUZZ_STATS=1 prints
 * what ran. Timing (2 cores): ~3 s per world, ~0.15 s per sequence: about 50 s by default.
 * The last test proves the detector can fail: it exposes one internal comment in the database
 * and the same fuzzer, judging by the leak detector alone, must report it.
 */
const RUNS = Number(process.env.FUZZ_RUNS || 150);
const WORLDS = Number(process.env.FUZZ_WORLDS || 4);
/** Fixed in `npm test` so CI is reproducible; `npm run test:fuzz` draws a fresh one. */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261123;
const PATH = process.env.FUZZ_PATH || undefined;
const SHRINK_MS = Number(process.env.FUZZ_SHRINK_SECONDS || 60) * 1000;

jest.setTimeout(10 * 60_000);

let server: TestServer;
let smtp: SmtpCapture;
let admin: Credentials;
let schema: GraphQLSchema;
const secrets = new Secrets();

// ---------------------------------------------------------------------------------------------
// The model: who may see what in the portal.

interface ExtActor {
  index: number;
  login: string;
  userId: string;
  token: string;
  org: string;
  perms: ReadonlySet<string>;
}

interface CaseModel {
  id: string;
  /** Organisations holding a share on the case. */
  holders: Set<string>;
  /** External users granted access (user ids). */
  grants: Set<string>;
  /** The external user who reported it through the portal. */
  creator?: string;
  /** Items the portal shows for the case: external comments and attachments (id → content), portal observables. */
  comments: Set<string>;
  attachments: Map<string, string>;
  observables: Set<string>;
}

const actors: ExtActor[] = [];
const cases = new Map<string, CaseModel>();
/** Names of organisations that are not secrets (for X-Organisation probes). */
const publicOrgs: string[] = ['admin'];
/** Internal comments on cases some actor sees (the self-test exposes one). */
const flipTargets: Array<{ commentId: string; label: string; caseId: string }> = [];
/** Legitimate content each world shows its actors (the positive control of the sweep). */
const expectedPublic: Array<{ actor: ExtActor; text: string }> = [];
/** An org-admin of each world's SOC and one of its cases. */
const socAdmins: Array<{ admin: Credentials; caseId: string }> = [];

const PORTAL_PERMISSIONS = ['portalCreateCase', 'portalComment', 'portalAttachment', 'portalObservable'];

const canSee = (a: ExtActor, c: CaseModel) => (c.grants.has(a.userId) || c.creator === a.userId) && c.holders.has(a.org);
const visibleCases = (a: ExtActor) => [...cases.values()].filter((c) => canSee(a, c));
const visibleSets = (a: ExtActor) => {
  const vc = visibleCases(a);
  return {
    cases: new Set(vc.map((c) => c.id)),
    comments: new Set(vc.flatMap((c) => [...c.comments])),
    attachments: new Map(vc.flatMap((c) => [...c.attachments])),
    observables: new Set(vc.flatMap((c) => [...c.observables])),
  };
};

type PoolName =
  'case' | 'comment' | 'task' | 'attachment' | 'observable' | 'share' | 'user' | 'organisation' | 'profile' | 'invitation' | 'credential' | 'audit';
const POOL_TABLES: Record<PoolName, string> = {
  case: '"case"',
  comment: 'comment',
  task: 'task',
  attachment: 'attachment',
  observable: 'observable',
  share: 'share',
  user: 'app_user',
  organisation: 'organisation',
  profile: 'profile',
  invitation: 'invitation',
  credential: 'credential',
  audit: 'audit',
};
const pools = {} as Record<PoolName, string[]>;

/** Every id in the database, by kind: the ids a curious portal user might try. */
async function refreshPools(): Promise<void> {
  for (const [name, table] of Object.entries(POOL_TABLES) as Array<[PoolName, string]>) {
    pools[name] = (await server.sql<{ id: string }>(`SELECT id::text AS id FROM ${table} ORDER BY id`)).map((r) => r.id);
  }
}

// ---------------------------------------------------------------------------------------------
// Random worlds, built through the API.

const CREATE_ORG = 'mutation($n: String!, $d: String) { createOrganisation(name: $n, description: $d) { id } }';
const LINK = 'mutation($f: String!, $t: String!) { linkOrganisations(from: $f, to: $t) { id } }';
const CREATE_PROFILE = 'mutation($n: String!, $p: [Permission!]!, $e: Boolean) { createProfile(name: $n, permissions: $p, external: $e) { id } }';
const CREATE_USER = `mutation($l: String!, $n: String!, $e: String, $o: String!, $p: String!) {
  createUser(login: $l, name: $n, email: $e, organisation: $o, profile: $p) { id } }`;
const API_KEY = 'mutation($l: String!) { createApiKey(login: $l) }';
const CREATE_CASE = 'mutation($i: CreateCaseInput!) { createCase(input: $i) { id } }';
const UPDATE_CASE = 'mutation($id: ID!, $i: UpdateCaseInput!) { updateCase(id: $id, input: $i) { id } }';
const ASSIGN = 'mutation($id: ID!, $l: String) { assignCase(id: $id, login: $l) { id } }';
const SHARE = 'mutation($c: ID!, $o: String!, $p: String!) { shareCase(caseId: $c, organisation: $o, profile: $p, tasks: ALL, observables: ALL) { id } }';
const GRANT = 'mutation($c: ID!, $l: String!) { grantExternalAccess(caseId: $c, login: $l) { id } }';
const CREATE_TASK = 'mutation($c: ID!, $i: CreateTaskInput!) { createTask(caseId: $c, input: $i) { id } }';
const DELETE_TASK = 'mutation($id: ID!) { deleteTask(id: $id) }';
const CREATE_OBSERVABLE = 'mutation($c: ID!, $i: CreateObservableInput!) { createObservable(caseId: $c, input: $i) { id } }';
const PORTAL_COMMENT = 'mutation($c: ID!, $m: String!) { addComment(caseId: $c, message: $m) { id } }';
const PORTAL_OBSERVABLE = 'mutation($c: ID!, $i: PortalObservableInput!) { addObservable(caseId: $c, input: $i) { id } }';
const PORTAL_CASE = 'mutation($i: PortalCreateCaseInput!) { createCase(input: $i) { id } }';
const PORTAL_ATTACHMENT = 'mutation($caseId: ID!, $file: Upload!) { addAttachment(caseId: $caseId, file: $file) { id } }';

type ExtProfile = 'external-actor' | 'external-reader' | 'custom';
interface CaseSpec {
  grantsA: number[];
  shareB: boolean;
  bProfile: 'analyst' | 'incident-handler' | 'read-only';
  grantsB: number[];
  shareL: boolean;
  comments: Array<{ by: 'admin' | 'insider' | 'b' | 'l'; external: boolean }>;
  attachments: boolean[];
  observables: number;
  tasks: number;
  deletedTask: boolean;
  assign: boolean;
  retitle: boolean;
}
interface WorldSpec {
  aActors: ExtProfile[];
  bActors: ExtProfile[];
  customPerms: string[];
  aCases: CaseSpec[];
  bCases: Array<{ grants: number[]; comments: boolean[]; attachments: boolean[]; observables: number }>;
}

const extProfileArb = fc.constantFrom<ExtProfile>('external-actor', 'external-actor', 'external-reader', 'custom');
const indices = fc.array(fc.nat(5), { maxLength: 3 });
const caseSpecArb: fc.Arbitrary<CaseSpec> = fc.record({
  grantsA: indices,
  shareB: fc.boolean(),
  bProfile: fc.constantFrom('analyst' as const, 'incident-handler' as const, 'read-only' as const),
  grantsB: indices,
  shareL: fc.boolean(),
  comments: fc.array(fc.record({ by: fc.constantFrom('admin' as const, 'insider' as const, 'b' as const, 'l' as const), external: fc.boolean() }), {
    maxLength: 3,
  }),
  attachments: fc.array(fc.boolean(), { maxLength: 2 }),
  observables: fc.nat(2),
  tasks: fc.nat(2),
  deletedTask: fc.boolean(),
  assign: fc.boolean(),
  retitle: fc.boolean(),
});
const worldSpecArb: fc.Arbitrary<WorldSpec> = fc.record({
  aActors: fc.array(extProfileArb, { minLength: 1, maxLength: 3 }),
  bActors: fc.array(extProfileArb, { maxLength: 2 }),
  customPerms: fc.subarray(PORTAL_PERMISSIONS),
  aCases: fc.array(caseSpecArb, { minLength: 1, maxLength: 4 }),
  bCases: fc.array(
    fc.record({
      grants: indices,
      comments: fc.array(fc.boolean(), { maxLength: 2 }),
      attachments: fc.array(fc.boolean(), { maxLength: 1 }),
      observables: fc.nat(1),
    }),
    { maxLength: 2 },
  ),
});

let publicCounter = 0;

async function buildRandomWorld(k: number, spec: WorldSpec): Promise<void> {
  const c = server.client;
  const S = (label: string) => secrets.plant(`w${k}-${label}`);
  const A = `fz${k}-soc`;
  const B = `fz${k}-partner`;
  const L = S('org-linked');
  const U = S('org-unlinked');
  publicOrgs.push(A, B);
  const orgLabels: Array<[string, string]> = [
    [A, 'a'],
    [B, 'b'],
    [L, 'l'],
    [U, 'u'],
  ];
  for (const [org, label] of orgLabels) await c.ok(CREATE_ORG, { n: org, d: S(`orgdescription-${label}`) }, admin);
  await c.ok(LINK, { f: A, t: B }, admin);
  await c.ok(LINK, { f: A, t: L }, admin);
  const shareProfile = S('profile-share');
  await c.ok(CREATE_PROFILE, { n: shareProfile, p: ['manageCase'], e: false }, admin);
  const extProfile = S('profile-external');
  await c.ok(CREATE_PROFILE, { n: extProfile, p: spec.customPerms, e: true }, admin);

  // Internal users: secret logins, names and e-mails; API keys made by the administrator (no argon2).
  const internal = async (org: string, profile: string, who: string): Promise<Credentials & { login: string }> => {
    const login = `${S(`login-${who}`)}@corp.test`;
    await c.ok(CREATE_USER, { l: login, n: S(`name-${who}`), e: `${S(`email-${who}`)}@mail.test`, o: org, p: profile }, admin);
    const key = (await c.ok<{ createApiKey: string }>(API_KEY, { l: login }, admin)).createApiKey;
    return { token: key, organisation: org, login };
  };
  const aAdmin = await internal(A, 'org-admin', 'aadmin');
  const insider = await internal(A, 'analyst', 'insider');
  const bAdmin = await internal(B, 'org-admin', 'badmin');
  const lAdmin = await internal(L, 'org-admin', 'ladmin');
  const uAdmin = await internal(U, 'org-admin', 'uadmin');
  let firstCase = '';

  // External users who act in the fuzz (public identities) …
  const invite = async (by: Credentials, org: string, login: string, profile: ExtProfile): Promise<ExtActor> => {
    const name = profile === 'custom' ? extProfile : profile;
    const persona = await inviteExternalUser(server, smtp, by, login, { name: `Contact ${login.split('@')[0]}`, profile: name });
    const [row] = await server.sql<{ id: string }>('SELECT id::text AS id FROM app_user WHERE login = $1', [login]);
    const perms = new Set(profile === 'external-actor' ? PORTAL_PERMISSIONS : profile === 'custom' ? spec.customPerms : []);
    const actor: ExtActor = { index: actors.length, login, userId: row.id, token: persona.token, org, perms };
    actors.push(actor);
    return actor;
  };
  const aActors: ExtActor[] = [];
  for (const [i, p] of spec.aActors.entries()) aActors.push(await invite(aAdmin, A, `fz${k}-a${i}@customer.test`, p));
  const bActors: ExtActor[] = [];
  for (const [i, p] of spec.bActors.entries()) bActors.push(await invite(bAdmin, B, `fz${k}-b${i}@customer.test`, p));

  const model = (id: string, holders: string[]): CaseModel => {
    const m: CaseModel = { id, holders: new Set(holders), grants: new Set(), comments: new Set(), attachments: new Map(), observables: new Set() };
    cases.set(id, m);
    return m;
  };
  const grantTo = async (by: Credentials, m: CaseModel, a: ExtActor) => {
    await c.ok(GRANT, { c: m.id, l: a.login }, by);
    m.grants.add(a.userId);
  };

  // The SOC's cases: random grants, shares, comments, attachments, observables, tasks.
  for (const [i, cs] of spec.aCases.entries()) {
    const anchor = i === 0; // every world's first case is granted to its first actor and holds each kind of item
    const grantsA = new Set(cs.grantsA.map((j) => aActors[j % aActors.length]));
    if (anchor) grantsA.add(aActors[0]);
    const shareB = cs.shareB;
    const grantsB = new Set(shareB && bActors.length ? cs.grantsB.map((j) => bActors[j % bActors.length]) : []);
    const seers = [...grantsA, ...grantsB];
    const visible = seers.length > 0;
    let n = 0;
    const text = (what: string) => (visible ? `pub w${k} c${i} ${what} ${++publicCounter}` : S(`c${i}-${what.replace(/ /g, '-')}-${++n}`));
    const title = text('title');
    const id = (
      await c.ok(CREATE_CASE, { i: { title: cs.retitle ? S(`c${i}-oldtitle`) : title, description: text('description'), tags: [S(`c${i}-tag`)] } }, aAdmin)
    ).createCase.id;
    // The old title is left only in the audit details.
    if (cs.retitle) await c.ok(UPDATE_CASE, { id, i: { title, description: visible ? `pub w${k} c${i} new description` : S(`c${i}-newdescription`) } }, aAdmin);
    if (visible) for (const a of seers) expectedPublic.push({ actor: a, text: title });
    if (cs.assign) await c.ok(ASSIGN, { id, l: insider.login }, aAdmin);
    const m = model(id, [A]);
    firstCase ||= id;
    if (shareB) {
      await c.ok(SHARE, { c: id, o: B, p: cs.bProfile }, aAdmin);
      m.holders.add(B);
    }
    if (cs.shareL) {
      await c.ok(SHARE, { c: id, o: L, p: shareProfile }, aAdmin);
      m.holders.add(L);
    }
    for (const a of grantsA) await grantTo(aAdmin, m, a);
    for (const a of grantsB) await grantTo(aAdmin, m, a);

    const comments = [...cs.comments];
    if (anchor) comments.push({ by: 'admin', external: false }, { by: 'admin', external: true });
    for (const [j, spec2] of comments.entries()) {
      let by: Credentials = aAdmin;
      let mayMarkExternal = true;
      if (spec2.by === 'insider') [by, mayMarkExternal] = [insider, false];
      if (spec2.by === 'b' && shareB && cs.bProfile !== 'read-only') [by, mayMarkExternal] = [bAdmin, cs.bProfile === 'incident-handler'];
      if (spec2.by === 'l' && cs.shareL) [by, mayMarkExternal] = [lAdmin, false];
      const external = spec2.external && mayMarkExternal;
      if (external) {
        const message = text(`comment ${j}`);
        m.comments.add(await addComment(server, by, id, message, true));
        if (visible) for (const a of seers) expectedPublic.push({ actor: a, text: message });
      } else {
        const label = `c${i}-internalcomment-${j}`;
        const commentId = await addComment(server, by, id, S(label), false);
        if (visible) flipTargets.push({ commentId, label: `w${k}-${label}`, caseId: id });
      }
    }
    const attachments = [...cs.attachments];
    if (anchor) attachments.push(false, true);
    for (const [j, external] of attachments.entries()) {
      const [name, content] = external ? [text(`file ${j}`), text(`bytes ${j}`)] : [S(`c${i}-attname-${j}`), S(`c${i}-attcontent-${j}`)];
      const attachmentId = await attach(server, aAdmin, id, { name: `${name}.txt`, content, type: 'text/plain' }, external);
      if (external) m.attachments.set(attachmentId, content);
    }
    for (let j = 0; j < cs.observables + (anchor ? 1 : 0); j++) {
      await c.ok(CREATE_OBSERVABLE, { c: id, i: { dataType: 'other', data: S(`c${i}-obsdata-${j}`), message: S(`c${i}-obsmessage-${j}`) } }, insider);
    }
    for (let j = 0; j < cs.tasks + (anchor ? 1 : 0); j++) {
      await c.ok(CREATE_TASK, { c: id, i: { title: S(`c${i}-tasktitle-${j}`), description: S(`c${i}-taskdescription-${j}`) } }, insider);
    }
    if (cs.deletedTask) {
      const taskId = (await c.ok(CREATE_TASK, { c: id, i: { title: S(`c${i}-deletedtask`) } }, insider)).createTask.id;
      await c.ok(DELETE_TASK, { id: taskId }, insider);
    }
  }

  // The partner's own cases, granted to some of its external users.
  for (const [i, bs] of spec.bCases.entries()) {
    const seers = [...new Set(bActors.length ? bs.grants.map((j) => bActors[j % bActors.length]) : [])];
    const visible = seers.length > 0;
    let n = 0;
    const text = (what: string) => (visible ? `pub w${k} b${i} ${what} ${++publicCounter}` : S(`b${i}-${what.replace(/ /g, '-')}-${++n}`));
    const id = (await c.ok(CREATE_CASE, { i: { title: text('title'), description: text('description'), tags: [S(`b${i}-tag`)] } }, bAdmin)).createCase.id;
    const m = model(id, [B]);
    for (const a of seers) await grantTo(bAdmin, m, a);
    for (const [j, external] of bs.comments.entries()) {
      if (external) m.comments.add(await addComment(server, bAdmin, id, text(`comment ${j}`), true));
      else await addComment(server, bAdmin, id, S(`b${i}-internalcomment-${j}`), false);
    }
    for (const [j, external] of bs.attachments.entries()) {
      const [name, content] = external ? [text(`file ${j}`), text(`bytes ${j}`)] : [S(`b${i}-attname-${j}`), S(`b${i}-attcontent-${j}`)];
      const attachmentId = await attach(server, bAdmin, id, { name: `${name}.txt`, content }, external);
      if (external) m.attachments.set(attachmentId, content);
    }
    for (let j = 0; j < bs.observables; j++)
      await c.ok(CREATE_OBSERVABLE, { c: id, i: { dataType: 'domain', data: `${S(`b${i}-obs-${j}`)}.example` } }, bAdmin);
  }

  // Another external user of the SOC, never a fuzz actor: its identity and everything it wrote are secrets.
  const bystander = await inviteExternalUser(server, smtp, aAdmin, `${S('login-bystander')}@customer.test`, { name: S('name-bystander') });
  const byCase = (await c.ok(CREATE_CASE, { i: { title: S('bystander-case-title'), description: S('bystander-case-description') } }, aAdmin)).createCase.id;
  model(byCase, [A]); // granted to nobody in the fuzz
  await c.ok(GRANT, { c: byCase, l: bystander.login }, aAdmin);
  await addComment(server, aAdmin, byCase, S('bystander-case-external-comment'), true);
  await attach(server, aAdmin, byCase, { name: `${S('bystander-case-external-attname')}.txt`, content: S('bystander-case-external-attcontent') }, true);
  await c.ok(PORTAL_COMMENT, { c: byCase, m: S('bystander-portal-comment') }, bystander, 'portal');
  await c.ok(
    PORTAL_OBSERVABLE,
    { c: byCase, i: { dataType: 'other', data: S('bystander-portal-obsdata'), message: S('bystander-portal-obsmessage') } },
    bystander,
    'portal',
  );
  const up = await uploadRequest(
    server,
    PORTAL_ATTACHMENT,
    { caseId: byCase },
    { name: `${S('bystander-portal-attname')}.txt`, content: S('bystander-portal-attcontent') },
    bystander,
    'portal',
  );
  expect(up.errors).toBeUndefined();
  await c.ok(PORTAL_CASE, { i: { title: S('bystander-reported-title'), description: S('bystander-reported-description') } }, bystander, 'portal');

  // The linked organisation's own case, and an unlinked organisation with its own portal user.
  const lCase = (await c.ok(CREATE_CASE, { i: { title: S('l-case-title'), description: S('l-case-description') } }, lAdmin)).createCase.id;
  await addComment(server, lAdmin, lCase, S('l-case-comment'), false);
  const uCase = (await c.ok(CREATE_CASE, { i: { title: S('u-case-title'), description: S('u-case-description'), tags: [S('u-case-tag')] } }, uAdmin)).createCase
    .id;
  await addComment(server, uAdmin, uCase, S('u-case-external-comment'), true);
  await attach(server, uAdmin, uCase, { name: `${S('u-case-external-attname')}.txt`, content: S('u-case-external-attcontent') }, true);
  const uClient = await inviteExternalUser(server, smtp, uAdmin, `${S('login-u-client')}@customer.test`, { name: S('name-u-client') });
  await c.ok(GRANT, { c: uCase, l: uClient.login }, uAdmin);
  await c.ok(PORTAL_COMMENT, { c: uCase, m: S('u-client-portal-comment') }, uClient, 'portal');
  socAdmins.push({ admin: aAdmin, caseId: firstCase });
}

// ---------------------------------------------------------------------------------------------
// Operations.

/** A field selection, generated from the portal schema (so a new field is fuzzed without editing this file). */
interface Sel {
  name: string;
  alias: boolean;
  /** 0 none, 1 @include(if: true), 2 @skip(if: false), 3 @include(if: false), 4 @skip(if: true). */
  dir: number;
  wrap: 'plain' | 'inline' | 'bare' | 'named';
  sub?: { type: string; sel: Sel[] };
}
const DIRECTIVES = ['', ' @include(if: true)', ' @skip(if: false)', ' @include(if: false)', ' @skip(if: true)'];

function selArb(type: GraphQLObjectType, depth = 0): fc.Arbitrary<Sel[]> {
  const fields = Object.values(type.getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type)));
  const items = fields.map((f) => {
    const inner = getNamedType(f.type);
    const sub = isObjectType(inner) && depth < 3 ? selArb(inner, depth + 1).map((sel) => ({ type: inner.name, sel })) : fc.constant(undefined);
    return fc.option(
      fc.record({
        name: fc.constant(f.name),
        alias: fc.constantFrom(false, false, false, true),
        dir: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4),
        wrap: fc.constantFrom('plain' as const, 'plain' as const, 'plain' as const, 'inline' as const, 'bare' as const, 'named' as const),
        sub,
      }),
      { nil: undefined, freq: 2 },
    );
  });
  return fc.tuple(...items).map((xs) => xs.filter((x): x is NonNullable<typeof x> => !!x) as Sel[]);
}

/** One document being rendered; aliases and directives stay under graphql-armor's limits (30 each). */
class Doc {
  fragments: string[] = [];
  aliases = 0;
  directives = 0;
}

/** Every object selection carries `id __typename`, so the answer can be checked against the model whatever else was asked. */
function renderSel(sel: Sel[], type: string, doc: Doc): string {
  const parts = ['id', '__typename'];
  for (const s of sel) {
    let field = s.alias && doc.aliases < 20 ? `x${doc.aliases++}: ${s.name}` : s.name;
    if (s.dir && doc.directives++ < 20) field += DIRECTIVES[s.dir];
    if (s.sub) field += ` { ${renderSel(s.sub.sel, s.sub.type, doc)} }`;
    if (s.wrap === 'plain') parts.push(field);
    else if (s.wrap === 'inline') parts.push(`... on ${type} { ${field} }`);
    else if (s.wrap === 'bare') parts.push(`... { ${field} }`);
    else {
      const name = `F${doc.fragments.length}`;
      doc.fragments.push(`fragment ${name} on ${type} { ${field} }`);
      parts.push(`...${name}`);
    }
  }
  return parts.join(' ');
}

type IdRef =
  | { pool: 'visible' | 'invisible' | PoolName; i: number }
  | { pool: 'mangled'; i: number; how: 'upper' | 'space' | 'truncate' | 'suffix' | 'braces' | 'nodash' }
  | { pool: 'malformed'; text: string };
type Who = { kind: 'actor'; i: number } | { kind: 'anonymous' } | { kind: 'bogus' };
/** X-Organisation: none, the actor's own, or another (non-secret) organisation. */
type OrgHeader = { kind: 'none' } | { kind: 'own' } | { kind: 'other'; i: number };
type Root = { field: 'me' | 'cases'; alias: boolean; sel: Sel[] } | { field: 'case'; alias: boolean; sel: Sel[]; id: IdRef; asVariable: boolean };
type WriteMutation = 'createCase' | 'addComment' | 'addObservable' | 'addAttachment';
type Op =
  | { kind: 'read'; who: Who; org: OrgHeader; roots: Root[]; named: boolean }
  | { kind: 'introspect'; who: Who; names: string[]; schema: boolean }
  | { kind: 'batch'; who: Who; reads: Root[][] }
  | { kind: 'write'; who: Who; org: OrgHeader; mutation: WriteMutation; id: IdRef; sel: Sel[]; text: string; literal: boolean }
  | { kind: 'download'; who: Who; org: OrgHeader; id: IdRef | { pool: 'visibleAttachment'; i: number } }
  | { kind: 'internal'; who: Who; probe: number; id: IdRef }
  | { kind: 'internalOnPortal'; who: Who; probe: number; id: IdRef };

/** The internal probes the portal schema refuses (some, such as addComment, exist there too). */
let probesInvalidOnPortal: string[] = [];

const INTERNAL_TYPES = [
  'Case',
  'User',
  'Task',
  'AuditEntry',
  'Share',
  'Organisation',
  'Profile',
  'Comment',
  'Attachment',
  'Observable',
  'Membership',
  'Session',
  'AccessExplanation',
  'CaseConnection',
];
const PORTAL_TYPES = ['PortalCase', 'PortalComment', 'PortalAttachment', 'PortalObservable', 'PortalUser', 'Query', 'Mutation'];

/** Internal operations; sent to /graphql with a portal token (R22) and to /portal/graphql (no such fields). */
const INTERNAL_PROBES = [
  '{ me { id login name email memberships { organisation { name description } profile { name } } } }',
  '{ users { login name email } }',
  '{ organisations { name description links { name } } }',
  '{ profiles { name permissions } }',
  '{ cases { totalCount edges { node { id title description tags assignee { login } comments { message } attachments { name } } } } }',
  'query($id: ID!) { case(id: $id) { title description tags shares { organisation { name } profile { name } } tasks { title } observables { data message } comments { message } externalUsers { login } } }',
  'query($id: ID!) { task(id: $id) { title description } }',
  'query($id: ID!) { observable(id: $id) { data message } }',
  'query($id: ID!) { caseHistory(caseId: $id) { action details actor { login } } }',
  '{ audit(first: 200) { edges { node { action details actor { login name } organisation { name } } } } }',
  'query($id: ID!) { explainAccess(caseId: $id, permission: manageCase) { allowed reason userProfile { name } shareProfile { name } } }',
  'query($l: String!) { user(login: $l) { login name memberships { organisation { name } } } }',
  'mutation($id: ID!) { setCommentExternal(id: $id, external: true) { id message } }',
  'mutation($id: ID!) { setAttachmentExternal(id: $id, external: true) { id name } }',
  'mutation($id: ID!) { addComment(caseId: $id, message: "probe") { id } }',
  'mutation($id: ID!) { updateCase(id: $id, input: { title: "probe" }) { id title } }',
  'mutation($id: ID!, $l: String!) { grantExternalAccess(caseId: $id, login: $l) { id title } }',
  'mutation($l: String!) { createApiKey(login: $l) }',
];

const whoArb: fc.Arbitrary<Who> = fc.oneof(
  { weight: 20, arbitrary: fc.record({ kind: fc.constant('actor' as const), i: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'anonymous' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bogus' as const }) },
);
const orgArb: fc.Arbitrary<OrgHeader> = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'own' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('other' as const), i: fc.nat() }) },
);
const OTHER_KINDS: PoolName[] = [
  'comment',
  'task',
  'attachment',
  'observable',
  'share',
  'user',
  'organisation',
  'profile',
  'invitation',
  'credential',
  'audit',
];
const malformedArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.uuid(),
  fc.constantFrom(
    '',
    ' ',
    'not-a-uuid',
    "' OR 1=1 --",
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '1',
    '-1',
    'null',
    'x'.repeat(300),
    '../../etc/passwd',
    '%00',
  ),
);
/** Ids for `case(id)` and the writes' caseId; writes get no mangled ids (whether those name their case is not specified). */
const idRefArb = (writes = false): fc.Arbitrary<IdRef> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ pool: fc.constant('visible' as const), i: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ pool: fc.constant('invisible' as const), i: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ pool: fc.constantFrom(...OTHER_KINDS), i: fc.nat() }) },
    ...(writes
      ? []
      : [
          {
            weight: 1,
            arbitrary: fc.record({
              pool: fc.constant('mangled' as const),
              i: fc.nat(),
              how: fc.constantFrom('upper' as const, 'space' as const, 'truncate' as const, 'suffix' as const, 'braces' as const, 'nodash' as const),
            }) as fc.Arbitrary<IdRef>,
          },
        ]),
    { weight: 1, arbitrary: fc.record({ pool: fc.constant('malformed' as const), text: malformedArb }) },
  );

function opArb(): fc.Arbitrary<Op> {
  const type = (name: string) => schema.getType(name) as GraphQLObjectType;
  const caseSel = selArb(type('PortalCase'));
  const rootArb: fc.Arbitrary<Root> = fc.oneof(
    { weight: 2, arbitrary: fc.record({ field: fc.constant('cases' as const), alias: fc.boolean(), sel: caseSel }) },
    { weight: 4, arbitrary: fc.record({ field: fc.constant('case' as const), alias: fc.boolean(), sel: caseSel, id: idRefArb(), asVariable: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ field: fc.constant('me' as const), alias: fc.boolean(), sel: selArb(type('PortalUser')) }) },
  );
  const rootsArb = fc.array(rootArb, { minLength: 1, maxLength: 3 });
  const writeArb = fc.oneof(
    ...(['createCase', 'addComment', 'addObservable', 'addAttachment'] as const).map((mutation) =>
      fc.record({
        kind: fc.constant('write' as const),
        who: whoArb,
        org: orgArb,
        mutation: fc.constant(mutation),
        id: idRefArb(true),
        sel: selArb(
          type(
            ({ createCase: 'PortalCase', addComment: 'PortalComment', addObservable: 'PortalObservable', addAttachment: 'PortalAttachment' } as const)[
              mutation
            ],
          ),
        ),
        text: fc.stringMatching(/^[a-z0-9 ]{1,16}$/).map((s) => `pub fuzz ${s}`),
        literal: fc.boolean(),
      }),
    ),
  );
  return fc.oneof(
    { weight: 10, arbitrary: fc.record({ kind: fc.constant('read' as const), who: whoArb, org: orgArb, roots: rootsArb, named: fc.boolean() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('introspect' as const),
        who: whoArb,
        names: fc.subarray([...INTERNAL_TYPES, ...PORTAL_TYPES], { minLength: 1, maxLength: 4 }),
        schema: fc.boolean(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('batch' as const), who: whoArb, reads: fc.array(rootsArb, { minLength: 2, maxLength: 3 }) }) },
    { weight: 4, arbitrary: writeArb },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('download' as const),
        who: whoArb,
        org: orgArb,
        id: fc.oneof(
          { weight: 2, arbitrary: fc.record({ pool: fc.constant('visibleAttachment' as const), i: fc.nat() }) },
          { weight: 3, arbitrary: fc.record({ pool: fc.constant('attachment' as const), i: fc.nat() }) },
          { weight: 1, arbitrary: idRefArb() },
        ),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('internal' as const), who: whoArb, probe: fc.nat(), id: idRefArb() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('internalOnPortal' as const), who: whoArb, probe: fc.nat(), id: idRefArb() }) },
  );
}

// ---------------------------------------------------------------------------------------------
// Running an operation.

const pick = <T>(xs: readonly T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);

interface Resolved {
  actor?: ExtActor;
  token?: string;
  org?: string;
  /** ok, or the code every @requires field must answer. */
  auth: 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN';
}

function resolveWho(who: Who, header: OrgHeader = { kind: 'none' }): Resolved {
  if (who.kind === 'anonymous') return { auth: 'UNAUTHENTICATED' };
  if (who.kind === 'bogus') return { token: 'hs_not-a-real-token', auth: 'UNAUTHENTICATED' };
  const actor = pick(actors, who.i)!;
  if (header.kind === 'none') return { actor, token: actor.token, auth: 'ok' };
  if (header.kind === 'own') return { actor, token: actor.token, org: actor.org.toUpperCase(), auth: 'ok' };
  const others = publicOrgs.filter((o) => o.toLowerCase() !== actor.org.toLowerCase());
  return { actor, token: actor.token, org: pick(others, header.i), auth: 'FORBIDDEN' };
}

/** The id an IdRef names now, and whether it is exact (a mangled id may or may not name its case). */
function resolveId(ref: IdRef | { pool: 'visibleAttachment'; i: number }, actor?: ExtActor): { id: string; exact: boolean } {
  if (ref.pool === 'malformed') return { id: ref.text, exact: true };
  if (ref.pool === 'visibleAttachment') {
    const list = actor ? [...visibleSets(actor).attachments.keys()] : [];
    return { id: pick(list.length ? list : pools.attachment, ref.i)!, exact: true };
  }
  if (ref.pool === 'visible' || ref.pool === 'invisible') {
    const seen = actor ? visibleSets(actor).cases : new Set<string>();
    const list = pools.case.filter((id) => seen.has(id) === (ref.pool === 'visible'));
    return { id: pick(list.length ? list : pools.case, ref.i)!, exact: true };
  }
  if (ref.pool === 'mangled') {
    const base = pick(pools.case, ref.i)!;
    const id = {
      upper: base.toUpperCase(),
      space: ` ${base} `,
      truncate: base.slice(0, 35),
      suffix: `${base}0`,
      braces: `{${base}}`,
      nodash: base.replace(/-/g, ''),
    }[ref.how];
    return { id, exact: false };
  }
  return { id: pick(pools[ref.pool], ref.i) ?? 'none', exact: true };
}

interface Exchange {
  request: string;
  status: number;
  body: string;
}

class Failure extends Error {}

async function post(path: '/graphql' | '/portal/graphql', payload: unknown, r: Resolved): Promise<Exchange> {
  const body = JSON.stringify(payload);
  secrets.assertNotIn(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (r.token) headers.authorization = `Bearer ${r.token}`;
  if (r.org !== undefined) headers['x-organisation'] = r.org;
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
  const head = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
  return { request: `POST ${path} ${JSON.stringify(headers)} ${body}`, status: res.status, body: `${head}\n\n${await res.text()}` };
}

const json = (e: Exchange) => JSON.parse(e.body.slice(e.body.indexOf('\n\n') + 2));

interface Stats {
  ops: Record<string, number>;
  requests: number;
  visibleCaseReads: number;
  itemsSeen: number;
  downloadsOk: number;
  writesOk: number;
  refusals: Record<string, number>;
}
const stats: Stats = { ops: {}, requests: 0, visibleCaseReads: 0, itemsSeen: 0, downloadsOk: 0, writesOk: 0, refusals: {} };

interface RunOptions {
  /** false: only the leak detector judges (the self-test). */
  oracles: boolean;
}

function fail(what: string, ex: Exchange | undefined, op: Op): never {
  throw new Failure(`${what}\n  op: ${JSON.stringify(op)}\n  request: ${ex?.request.slice(0, 1500)}\n  answer: ${ex?.status} ${ex?.body.slice(0, 3000)}`);
}

function checkLeak(ex: Exchange, op: Op): void {
  stats.requests++;
  const found = secrets.leaksIn([ex.body]);
  if (found.length) fail(`LEAK of ${found.join(', ')}`, ex, op);
}

/** 5xx and masked errors are failures wherever they appear. */
function checkSane(ex: Exchange, op: Op): void {
  if (ex.status >= 500) fail(`HTTP ${ex.status}`, ex, op);
  if (ex.body.includes('INTERNAL_SERVER_ERROR')) fail('INTERNAL_SERVER_ERROR', ex, op);
}

/** Every portal object in an answer must be one the actor may see (R23–R25); returns how many were checked. */
function checkObjects(value: unknown, actor: ExtActor, ex: Exchange, op: Op): number {
  const seen = visibleSets(actor);
  let n = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const id = o.id as string | undefined;
    switch (o.__typename) {
      case 'PortalCase':
        if (!seen.cases.has(id!)) fail(`R23: case ${id} is not visible to ${actor.login}`, ex, op);
        break;
      case 'PortalComment':
        if (!seen.comments.has(id!)) fail(`R24: comment ${id} is not visible to ${actor.login}`, ex, op);
        break;
      case 'PortalAttachment':
        if (!seen.attachments.has(id!)) fail(`R24: attachment ${id} is not visible to ${actor.login}`, ex, op);
        break;
      case 'PortalObservable':
        if (!seen.observables.has(id!)) fail(`R25: observable ${id} is not visible to ${actor.login}`, ex, op);
        break;
      case 'PortalUser':
        if (id !== actor.userId) fail(`R27: user ${id} is not ${actor.login}`, ex, op);
        break;
      default:
        break;
    }
    if (o.__typename) n++;
    Object.values(o).forEach(walk);
  };
  walk(value);
  return n;
}

/** The answer of a request whose every root field is @requires, for a caller that is refused. */
function checkRefused(ex: Exchange, code: string, op: Op): void {
  const body = json(ex);
  // Nullable root fields answer null next to their error; nothing else may come back.
  if (body.data && Object.values(body.data).some((v) => v !== null)) fail(`expected ${code} and no data`, ex, op);
  const codes = new Set((body.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code));
  if (!codes.size || [...codes].some((c) => c !== code)) fail(`expected only ${code}`, ex, op);
}

function renderRoots(roots: Root[], op: Op, actor: ExtActor | undefined) {
  const doc = new Doc();
  const variables: Record<string, unknown> = {};
  const decls: string[] = [];
  const keys: Array<{ key: string; root: Root; id?: { id: string; exact: boolean } }> = [];
  const fields = roots.map((root, i) => {
    const key = root.field === 'case' || root.alias ? `r${i}` : root.field;
    const prefix = key === root.field ? '' : `${key}: `;
    const type = root.field === 'me' ? 'PortalUser' : 'PortalCase';
    const sel = renderSel(root.sel, type, doc);
    if (root.field !== 'case') {
      keys.push({ key, root });
      return `${prefix}${root.field} { ${sel} }`;
    }
    const id = resolveId(root.id, actor);
    keys.push({ key, root, id });
    if (root.asVariable) {
      variables[`v${i}`] = id.id;
      decls.push(`$v${i}: ID!`);
      return `${prefix}case(id: $v${i}) { ${sel} }`;
    }
    return `${prefix}case(id: ${JSON.stringify(id.id)}) { ${sel} }`;
  });
  const name = op.kind === 'read' && op.named ? ' FuzzRead' : '';
  const query = `query${name}${decls.length ? `(${decls.join(', ')})` : ''} { ${fields.join(' ')} }\n${doc.fragments.join('\n')}`;
  return { query, variables, keys };
}

async function runRead(op: Extract<Op, { kind: 'read' }>, o: RunOptions): Promise<void> {
  const r = resolveWho(op.who, op.org);
  const { query, variables, keys } = renderRoots(op.roots, op, r.actor);
  const ex = await post('/portal/graphql', { query, variables }, r);
  checkLeak(ex, op);
  if (!o.oracles) return;
  checkSane(ex, op);
  if (r.auth !== 'ok') return checkRefused(ex, r.auth, op);
  const body = json(ex);
  const actor = r.actor!;
  if (body.errors?.length || !body.data) fail('a read by a portal user failed', ex, op);
  stats.itemsSeen += checkObjects(body.data, actor, ex, op);
  const seen = visibleSets(actor);
  for (const { key, root, id } of keys) {
    const value = body.data[key];
    if (root.field === 'cases') {
      const got = (value as Array<{ id: string }>).map((x) => x.id).sort();
      if (JSON.stringify(got) !== JSON.stringify([...seen.cases].sort())) fail(`R23: cases of ${actor.login} should be exactly ${[...seen.cases]}`, ex, op);
    } else if (root.field === 'me') {
      if (value.id !== actor.userId) fail('me is not the caller', ex, op);
    } else if (id!.exact) {
      const expected = seen.cases.has(id!.id);
      if (expected !== !!value || (value && value.id !== id!.id)) fail(`R23/R13: case(${id!.id}) should be ${expected ? 'the case' : 'null'}`, ex, op);
      if (value) stats.visibleCaseReads++;
    }
  }
}

async function runIntrospect(op: Extract<Op, { kind: 'introspect' }>, o: RunOptions): Promise<void> {
  const r = resolveWho(op.who);
  const parts = op.names.map((n, i) => `t${i}: __type(name: ${JSON.stringify(n)}) { name kind fields { name type { name ofType { name } } } }`);
  if (op.schema) parts.push('__schema { queryType { name } mutationType { name } types { name fields { name } } }');
  const ex = await post('/portal/graphql', { query: `{ ${parts.join(' ')} }` }, r);
  checkLeak(ex, op);
  if (!o.oracles) return;
  checkSane(ex, op);
  const body = json(ex);
  if (body.errors?.length) fail('introspection failed', ex, op);
  op.names.forEach((n, i) => {
    const internal = INTERNAL_TYPES.includes(n);
    if (internal === !!body.data[`t${i}`]) fail(`R27: __type(${n}) should be ${internal ? 'null' : 'present'} in the portal schema`, ex, op);
  });
  if (op.schema) {
    const names = body.data.__schema.types.map((t: { name: string }) => t.name);
    const internal = names.filter((n: string) => INTERNAL_TYPES.includes(n));
    if (internal.length) fail(`R27: the portal schema has internal types ${internal}`, ex, op);
  }
}

async function runBatch(op: Extract<Op, { kind: 'batch' }>, o: RunOptions): Promise<void> {
  const r = resolveWho(op.who);
  const payload = op.reads.map((roots) => {
    const { query, variables } = renderRoots(roots, op, r.actor);
    return { query, variables };
  });
  const ex = await post('/portal/graphql', payload, r);
  checkLeak(ex, op);
  if (!o.oracles) return;
  checkSane(ex, op);
  // Batching is disabled; were it ever enabled, each answer would still be checked here.
  const body = json(ex);
  if (Array.isArray(body) && r.actor) for (const part of body) stats.itemsSeen += checkObjects(part.data, r.actor, ex, op);
}

const WRITE_PERMISSION: Record<WriteMutation, string> = {
  createCase: 'portalCreateCase',
  addComment: 'portalComment',
  addObservable: 'portalObservable',
  addAttachment: 'portalAttachment',
};
const WRITE_TYPE: Record<WriteMutation, string> = {
  createCase: 'PortalCase',
  addComment: 'PortalComment',
  addObservable: 'PortalObservable',
  addAttachment: 'PortalAttachment',
};

async function runWrite(op: Extract<Op, { kind: 'write' }>, o: RunOptions): Promise<void> {
  const r = resolveWho(op.who, op.org);
  const doc = new Doc();
  const sel = renderSel(op.sel, WRITE_TYPE[op.mutation], doc);
  const target = resolveId(op.id, r.actor);
  const lit = JSON.stringify;
  let ex: Exchange;
  const content = `${op.text} bytes`;
  if (op.mutation === 'addAttachment') {
    const query = `mutation($caseId: ID!, $file: Upload!) { w: addAttachment(caseId: $caseId, file: $file) { ${sel} } }\n${doc.fragments.join('\n')}`;
    secrets.assertNotIn(query + target.id);
    const res = await uploadRequest(
      server,
      query,
      { caseId: target.id },
      { name: `${op.text}.txt`, content, type: 'text/plain' },
      { token: r.token, organisation: r.org },
      'portal',
    );
    const body = JSON.stringify({ data: res.data, errors: res.errors });
    ex = {
      request: `upload ${query} caseId=${target.id}`,
      status: res.status,
      body: `${[...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${body}`,
    };
  } else {
    const call = {
      createCase: op.literal
        ? `createCase(input: { title: ${lit(op.text)}, description: ${lit(op.text)}, severity: 3 })`
        : 'createCase(input: { title: $text, description: $text })',
      addComment: op.literal ? `addComment(caseId: ${lit(target.id)}, message: ${lit(op.text)})` : 'addComment(caseId: $id, message: $text)',
      addObservable: op.literal
        ? `addObservable(caseId: ${lit(target.id)}, input: { dataType: "other", data: ${lit(op.text)}, message: ${lit(op.text)} })`
        : 'addObservable(caseId: $id, input: { dataType: "other", data: $text, message: $text })',
    }[op.mutation];
    const decls = op.literal ? '' : op.mutation === 'createCase' ? '($text: String!)' : '($id: ID!, $text: String!)';
    const variables = op.literal ? {} : op.mutation === 'createCase' ? { text: op.text } : { id: target.id, text: op.text };
    ex = await post('/portal/graphql', { query: `mutation${decls} { w: ${call} { ${sel} } }\n${doc.fragments.join('\n')}`, variables }, r);
  }
  checkLeak(ex, op);
  if (!o.oracles) return;
  checkSane(ex, op);
  if (r.auth !== 'ok') return checkRefused(ex, r.auth, op);
  const actor = r.actor!;
  const body = json(ex);
  const code: string | undefined = body.errors?.[0]?.extensions?.code;
  const visibleCase = op.mutation === 'createCase' || visibleSets(actor).cases.has(target.id);
  const expected = !actor.perms.has(WRITE_PERMISSION[op.mutation]) ? 'FORBIDDEN' : visibleCase ? 'ok' : 'NOT_FOUND';
  if ((code ?? 'ok') !== expected) fail(`R26: ${op.mutation} by ${actor.login} (${[...actor.perms]}) should be ${expected}`, ex, op);
  stats.refusals[code ?? 'ok'] = (stats.refusals[code ?? 'ok'] ?? 0) + 1;
  if (code) {
    if (body.data) fail('a refused write answered data', ex, op);
    return;
  }
  stats.writesOk++;
  const id = body.data.w.id as string;
  // The model learns the write, then the answer must fit it like any read.
  if (op.mutation === 'createCase') {
    cases.set(id, {
      id,
      holders: new Set([actor.org]),
      grants: new Set(),
      creator: actor.userId,
      comments: new Set(),
      attachments: new Map(),
      observables: new Set(),
    });
    pools.case.push(id);
  } else {
    const m = cases.get(target.id)!;
    if (op.mutation === 'addComment') m.comments.add(id);
    if (op.mutation === 'addObservable') m.observables.add(id);
    if (op.mutation === 'addAttachment') m.attachments.set(id, content);
    pools[({ addComment: 'comment', addObservable: 'observable', addAttachment: 'attachment' } as const)[op.mutation]].push(id);
  }
  checkObjects(body.data, actor, ex, op);
}

async function runDownload(op: Extract<Op, { kind: 'download' }>, o: RunOptions): Promise<void> {
  const r = resolveWho(op.who, op.org);
  const { id } = resolveId(op.id, r.actor);
  secrets.assertNotIn(id);
  const headers: Record<string, string> = {};
  if (r.token) headers.authorization = `Bearer ${r.token}`;
  if (r.org !== undefined) headers['x-organisation'] = r.org;
  const res = await fetch(`${server.url}/attachments/${encodeURIComponent(id)}`, { headers });
  const bytes = Buffer.from(await res.arrayBuffer()).toString('utf8');
  const ex: Exchange = {
    request: `GET /attachments/${encodeURIComponent(id)} ${JSON.stringify(headers)}`,
    status: res.status,
    body: `${[...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${bytes}`,
  };
  checkLeak(ex, op);
  if (!o.oracles) return;
  checkSane(ex, op);
  const expectedStatus = r.auth === 'UNAUTHENTICATED' ? 401 : r.auth === 'FORBIDDEN' ? 403 : visibleSets(r.actor!).attachments.has(id) ? 200 : 404;
  if (res.status !== expectedStatus) fail(`R24/R13: GET /attachments/${id} should answer ${expectedStatus}`, ex, op);
  if (res.status === 200) {
    if (bytes !== visibleSets(r.actor!).attachments.get(id)) fail('the download is not the attachment', ex, op);
    stats.downloadsOk++;
  }
}

function probeVariables(probe: string, id: string, actor?: ExtActor): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  if (probe.includes('$id')) variables.id = id;
  if (probe.includes('$l')) variables.l = actor?.login ?? 'nobody@customer.test';
  return variables;
}

async function runInternal(op: Extract<Op, { kind: 'internal' }>, o: RunOptions): Promise<void> {
  const r = resolveWho(op.who);
  const probe = pick(INTERNAL_PROBES, op.probe)!;
  const ex = await post('/graphql', { query: probe, variables: probeVariables(probe, resolveId(op.id, r.actor).id, r.actor) }, r);
  checkLeak(ex, op);
  if (!o.oracles) return;
  checkSane(ex, op);
  // R22: a portal token is refused on the internal endpoint, whatever it asks.
  checkRefused(ex, r.auth === 'ok' ? 'FORBIDDEN' : r.auth, op);
}

async function runInternalOnPortal(op: Extract<Op, { kind: 'internalOnPortal' }>, o: RunOptions): Promise<void> {
  const r = resolveWho(op.who);
  const probe = pick(probesInvalidOnPortal, op.probe)!;
  const ex = await post('/portal/graphql', { query: probe, variables: probeVariables(probe, resolveId(op.id, r.actor).id, r.actor) }, r);
  checkLeak(ex, op);
  if (!o.oracles) return;
  checkSane(ex, op);
  // R27: the portal schema has none of these fields (or not with these selections).
  const body = json(ex);
  if (body.data || body.errors?.[0]?.extensions?.code !== 'GRAPHQL_VALIDATION_FAILED')
    fail('an internal operation was not refused by the portal schema', ex, op);
}

async function runOp(op: Op, o: RunOptions): Promise<void> {
  stats.ops[op.kind] = (stats.ops[op.kind] ?? 0) + 1;
  switch (op.kind) {
    case 'read':
      return runRead(op, o);
    case 'introspect':
      return runIntrospect(op, o);
    case 'batch':
      return runBatch(op, o);
    case 'write':
      return runWrite(op, o);
    case 'download':
      return runDownload(op, o);
    case 'internal':
      return runInternal(op, o);
    case 'internalOnPortal':
      return runInternalOnPortal(op, o);
  }
}

/** The fuzzer: sequences of 5–25 random operations; shrinking is bounded in time. */
function fuzzProperty(o: RunOptions) {
  let failedAt: number | undefined;
  return fc.asyncProperty(fc.array(opArb(), { minLength: 5, maxLength: 25 }), async (ops) => {
    if (failedAt !== undefined && Date.now() - failedAt > SHRINK_MS) fc.pre(false);
    try {
      for (const op of ops) await runOp(op, o);
    } catch (e) {
      failedAt ??= Date.now();
      throw e;
    }
  });
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  smtp = await startSmtpCapture();
  server = await startTestServer({ smtpUrl: smtp.url });
  admin = { token: await server.client.login(ADMIN_LOGIN, ADMIN_PASSWORD) };
  const worlds = fc.sample(worldSpecArb, { numRuns: WORLDS, seed: SEED });
  for (const [k, spec] of worlds.entries()) await buildRandomWorld(k, spec);
  const intro = await fetch(`${server.url}/portal/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${actors[0].token}` },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  schema = buildClientSchema(((await intro.json()) as { data: Parameters<typeof buildClientSchema>[0] }).data);
  probesInvalidOnPortal = INTERNAL_PROBES.filter((p) => validate(schema, parse(p)).length > 0);
  await refreshPools();
});

afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

it('R23–R27: each world shows its external users their cases and items, and no secret (deterministic sweep)', async () => {
  expect(secrets.size).toBeGreaterThan(60 * WORLDS);
  const bodies: string[] = [];
  for (const actor of actors) {
    const r: Resolved = { actor, token: actor.token, auth: 'ok' };
    const doc = new Doc();
    const all = (type: GraphQLObjectType): Sel[] =>
      Object.values(type.getFields()).map((f) => {
        const inner = getNamedType(f.type);
        return { name: f.name, alias: false, dir: 0, wrap: 'plain', sub: isObjectType(inner) ? { type: inner.name, sel: all(inner) } : undefined };
      });
    const sel = renderSel(all(schema.getType('PortalCase') as GraphQLObjectType), 'PortalCase', doc);
    const ex = await post('/portal/graphql', { query: `{ cases { ${sel} } me { id login name email } }` }, r);
    bodies.push(ex.body);
    const data = json(ex).data;
    expect(data.cases.map((c: { id: string }) => c.id).sort()).toEqual([...visibleSets(actor).cases].sort());
    for (const [id, content] of visibleSets(actor).attachments) {
      const res = await fetch(`${server.url}/attachments/${id}`, { headers: { authorization: `Bearer ${actor.token}` } });
      const text = await res.text();
      bodies.push(text);
      expect(text).toBe(content);
    }
  }
  const all = bodies.join('\n');
  for (const { text } of expectedPublic) expect(all).toContain(text);
  expect(secrets.leaksIn(bodies)).toEqual([]);

  // The live feed of the internal endpoint is closed to a portal token, and writes made meanwhile reach nobody there.
  const feed: Subscription<unknown> = await subscribe(server.url, 'subscription { liveFeed { id action details } }', { token: actors[0].token });
  try {
    const { admin: socAdmin, caseId } = socAdmins[0];
    await addComment(server, socAdmin, caseId, secrets.plant('livefeed-comment'), false);
    await new Promise((res) => setTimeout(res, 300));
    expect(feed.received).toEqual([]);
    expect(errorCodes(feed)).toEqual(['FORBIDDEN']);
    expect(secrets.leaksIn([JSON.stringify(feed.errors)])).toEqual([]);
  } finally {
    await feed.close();
  }
});

it(`R13, R21–R27: ${RUNS} random sequences of portal operations by random external users never reveal a secret`, async () => {
  await refreshPools();
  const started = Date.now();
  await fc.assert(fuzzProperty({ oracles: true }), { numRuns: RUNS, seed: SEED, path: PATH, endOnFailure: false });
  if (process.env.FUZZ_STATS) {
    process.stdout.write(
      `portal fuzz: seed ${SEED}, ${WORLDS} worlds, ${actors.length} external users, ${cases.size} cases, ${secrets.size} secrets, ` +
        `${RUNS} sequences in ${Date.now() - started} ms; ${JSON.stringify(stats)}\n`,
    );
  }
  // The fuzz did reach what it was meant to: visible cases, their items, downloads, writes.
  expect(stats.visibleCaseReads).toBeGreaterThan(0);
  expect(stats.itemsSeen).toBeGreaterThan(0);
  expect(stats.writesOk).toBeGreaterThan(0);
  expect(stats.downloadsOk).toBeGreaterThan(0);
});

it('the fuzzer reports a deliberately exposed internal comment (self-test: the suite can fail)', async () => {
  const target = flipTargets[0];
  expect(target).toBeDefined();
  await server.sql('UPDATE comment SET external = true WHERE id = $1', [target.commentId]);
  try {
    await refreshPools();
    // Only the leak detector judges here: the model's checks would also catch the comment by its id.
    // It stops at the first failure (typically within a few seconds); the bound only keeps a broken detector from running forever.
    const details = await fc.check(fuzzProperty({ oracles: false }), { numRuns: 3000, seed: SEED + 1, endOnFailure: true });
    expect(details.failed).toBe(true);
    expect(String((details.errorInstance as Error)?.message)).toContain(`LEAK of ${target.label}`);
  } finally {
    await server.sql('UPDATE comment SET external = false WHERE id = $1', [target.commentId]);
  }
});
