import type { Actor, GqlResponse } from '../support/gql-client';
import { ADMIN_PASSWORD, TestServer } from '../support/test-server';
import { PASSWORD, startWorldServer, World } from '../fixtures/world';
import { createCaseAs, createObservableAs, createTaskAs, shareCaseAs } from '../fixtures/cases';
import {
  addComment,
  attach,
  CREATE_EXTERNAL_USER,
  grant,
  inviteExternalUser,
  invitationToken,
  PORTAL_PASSWORD,
  SmtpCapture,
  startSmtpCapture,
} from '../fixtures/portal';
import { Org, ORG_PROFILES, ORGS, PersonaKey, PERSONAS } from './personas';

/**
 * The named world of the matrix (test/fixtures/world.ts: soc → partner linked, stranger
 * unlinked, one user per default profile in each) plus two portal users of soc, and the
 * factories that give every cell objects of its own (cells never share anything they write).
 */

export type Endpoint = 'internal' | 'portal';

export interface Who {
  key: PersonaKey;
  kind: 'admin' | 'internal' | 'external' | 'anon';
  /** The active organisation (external users: the organisation they belong to). */
  org: 'admin' | Org | null;
  profile: string | null;
  login: string | null;
  password: string | null;
  actor: Actor;
}

/** Case situations, named from the owner's side; "partner" is linked from soc (R3). */
export const CASE_KINDS = {
  socCase: { owner: 'soc', share: null },
  socCaseSharedRO: { owner: 'soc', share: { org: 'partner', profile: 'read-only', rule: 'MANUAL' } },
  socCaseSharedAnalyst: { owner: 'soc', share: { org: 'partner', profile: 'analyst', rule: 'ALL' } },
  socCaseSharedHandler: { owner: 'soc', share: { org: 'partner', profile: 'incident-handler', rule: 'MANUAL' } },
  partnerCase: { owner: 'partner', share: null },
  strangerCase: { owner: 'stranger', share: null },
} as const satisfies Record<string, { owner: Org; share: null | { org: Org; profile: string; rule: string } }>;
export type CaseKind = keyof typeof CASE_KINDS;

/**
 * Task/observable situations: an item of each case kind; in socCaseSharedRO (rule MANUAL) one
 * item is not shared with partner ("RO-manual") and one is shared with it one by one ("RO-sharedOne", R18).
 */
export const ITEM_KINDS = {
  socCase: 'socCase',
  'socCaseSharedRO-manual': 'socCaseSharedRO',
  'socCaseSharedRO-sharedOne': 'socCaseSharedRO',
  socCaseSharedAnalyst: 'socCaseSharedAnalyst',
  partnerCase: 'partnerCase',
  strangerCase: 'strangerCase',
} as const satisfies Record<string, CaseKind>;
export type ItemKind = keyof typeof ITEM_KINDS;

/** The share profile an organisation holds on a case of this kind (R12: the owner holds `all`), or null. */
export function shareProfileOf(kind: CaseKind, org: string | null): string | null {
  const k = CASE_KINDS[kind];
  if (org === k.owner) return 'all';
  return k.share && k.share.org === org ? k.share.profile : null;
}

let seq = 0;
/**
 * A unique name (per process) for names, logins and titles. Fixed width, so that one is never a
 * substring of another with the same prefix (the cases title filter is a substring match).
 */
export const uniq = (prefix = 'x') => `${prefix}${process.pid.toString(36)}-${(++seq).toString(36).padStart(5, '0')}`;

export interface FreshCase {
  id: string;
  kind: CaseKind;
  title: string;
}
export interface FreshItem<K extends string = ItemKind> {
  id: string;
  caseId: string;
  kind: K;
}

export class Harness {
  server!: TestServer;
  smtp!: SmtpCapture;
  world!: World;
  who = {} as Record<PersonaKey, Who>;
  private cache = new Map<string, Promise<unknown>>();

  /** Shared objects for READ cells only (reads change nothing, so sharing them keeps cells independent). */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as Promise<T>;
  }
  /** An external user of each organisation (never logged in): targets of grants, invitations and assignments. */
  extTarget = {} as Record<Org, string>;

  static async start(): Promise<Harness> {
    const h = new Harness();
    h.smtp = await startSmtpCapture();
    ({ server: h.server, world: h.world } = await startWorldServer({ smtpUrl: h.smtp.url }));
    const w = h.world;
    h.who.admin = { key: 'admin', kind: 'admin', org: 'admin', profile: 'admin', login: w.admin.login, password: ADMIN_PASSWORD, actor: w.admin };
    for (const org of ORGS) {
      for (const profile of ORG_PROFILES) {
        const p = w[org][profile];
        h.who[`${org}/${profile}`] = { key: `${org}/${profile}`, kind: 'internal', org, profile, login: p.login, password: PASSWORD, actor: p };
      }
    }
    const [reader, actor] = await Promise.all([
      inviteExternalUser(h.server, h.smtp, w.soc['org-admin'], 'reader@soc-client.test', { profile: 'external-reader' }),
      inviteExternalUser(h.server, h.smtp, w.soc['org-admin'], 'actor@soc-client.test', { profile: 'external-actor' }),
    ]);
    h.who['ext/reader'] = {
      key: 'ext/reader',
      kind: 'external',
      org: 'soc',
      profile: 'external-reader',
      login: reader.login,
      password: PORTAL_PASSWORD,
      actor: reader,
    };
    h.who['ext/actor'] = { key: 'ext/actor', kind: 'external', org: 'soc', profile: 'external-actor', login: actor.login, password: PORTAL_PASSWORD, actor };
    h.who.anon = { key: 'anon', kind: 'anon', org: null, profile: null, login: null, password: null, actor: {} };
    for (const org of ORGS) {
      const login = `ext-target@${org}-client.test`;
      await h.server.client.ok(CREATE_EXTERNAL_USER, { login, name: `target of ${org}`, email: login, profile: 'external-reader' }, w[org]['org-admin']);
      h.extTarget[org] = login;
    }
    for (const k of PERSONAS) if (!h.who[k]) throw new Error(`persona ${k} missing`);
    return h;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.smtp?.stop();
  }

  // -------------------------------------------------------------------------------------------
  // Requests

  req<T = any>(who: Who | Actor, query: string, variables: Record<string, unknown> = {}, endpoint: Endpoint = 'internal'): Promise<GqlResponse<T>> {
    return this.server.client.request<T>(query, variables, 'actor' in who ? who.actor : who, endpoint);
  }

  /** A request that must succeed (setup steps of a cell, never the operation under test). */
  ok<T = any>(who: Who | Actor, query: string, variables: Record<string, unknown> = {}, endpoint: Endpoint = 'internal'): Promise<T> {
    return this.server.client.ok<T>(query, variables, 'actor' in who ? who.actor : who, endpoint);
  }

  internal(org: Org, profile: (typeof ORG_PROFILES)[number]): Who {
    return this.who[`${org}/${profile}`];
  }

  /** The organisation the persona acts in, for persona-relative arguments ("own organisation"); soc for those without one. */
  homeOrg(who: Who): Org {
    return who.org && who.org !== 'admin' ? who.org : 'soc';
  }

  // -------------------------------------------------------------------------------------------
  // Factories: every call creates new objects, through the API, as their owners would.

  async freshCase(kind: CaseKind): Promise<FreshCase> {
    const k = CASE_KINDS[kind];
    const title = uniq(`${kind}-`);
    const c = await createCaseAs(this.server.client, this.internal(k.owner, 'analyst').actor, { title });
    if (k.share)
      await shareCaseAs(this.server.client, this.internal(k.owner, 'incident-handler').actor, c.id, k.share.org, k.share.profile, k.share.rule, k.share.rule);
    return { id: c.id, kind, title };
  }

  /** A task or observable of the given situation (created before the share, so rule ALL carries it and MANUAL does not). */
  async freshItem(type: 'task' | 'observable', kind: ItemKind): Promise<FreshItem> {
    const caseKind: CaseKind = ITEM_KINDS[kind];
    const k = CASE_KINDS[caseKind];
    const owner = this.internal(k.owner, 'analyst').actor;
    const c = await createCaseAs(this.server.client, owner, { title: uniq(`${kind}-`) });
    const id =
      type === 'task'
        ? await createTaskAs(this.server.client, owner, c.id)
        : await createObservableAs(this.server.client, owner, c.id, `${uniq('obs')}.example`);
    const sharer = this.internal(k.owner, 'incident-handler');
    if (k.share) await shareCaseAs(this.server.client, sharer.actor, c.id, k.share.org, k.share.profile, k.share.rule, k.share.rule);
    if (kind === 'socCaseSharedRO-sharedOne') {
      const q =
        type === 'task'
          ? 'mutation($id: ID!) { shareTask(taskId: $id, organisation: "partner") { id } }'
          : 'mutation($id: ID!) { shareObservable(observableId: $id, organisation: "partner") { id } }';
      await this.ok(sharer, q, { id });
    }
    return { id, caseId: c.id, kind };
  }

  async freshComment(kind: CaseKind): Promise<FreshItem<CaseKind>> {
    const c = await this.freshCase(kind);
    const id = await addComment(this.server, this.internal(CASE_KINDS[kind].owner, 'analyst').actor, c.id, uniq('comment '));
    return { id, caseId: c.id, kind };
  }

  async freshAttachment(kind: CaseKind): Promise<FreshItem<CaseKind>> {
    const c = await this.freshCase(kind);
    const id = await attach(this.server, this.internal(CASE_KINDS[kind].owner, 'analyst').actor, c.id, {
      name: `${uniq('file')}.txt`,
      content: 'evidence',
      type: 'text/plain',
    });
    return { id, caseId: c.id, kind };
  }

  /** A new internal user, member of `org` only (profile read-only unless given); a password (slow to hash) only when asked for. */
  async freshUser(org: Org | 'admin', profile = 'read-only', withPassword = false): Promise<{ login: string; password: string | null }> {
    const login = `${uniq('u')}@${org}.test`;
    const password = withPassword ? PASSWORD : null;
    await this.ok(
      this.who.admin,
      'mutation($l: String!, $o: String!, $p: String!, $pw: String) { createUser(login: $l, name: "fresh", email: $l, password: $pw, organisation: $o, profile: $p) { id } }',
      { l: login, o: org, p: profile, pw: password },
    );
    return { login, password };
  }

  /** A new external user of `org`, invited by its org-admin and not activated; returns the login and the e-mailed token. */
  async freshExternal(org: Org, profile = 'external-reader'): Promise<{ login: string; invitation: string }> {
    const login = `${uniq('x')}@${org}-client.test`;
    await this.ok(this.internal(org, 'org-admin'), CREATE_EXTERNAL_USER, { login, name: 'fresh external', email: login, profile });
    const mail = await this.smtp.waitFor((m) => m.to.includes(login));
    return { login, invitation: invitationToken(mail, this.server.config.portalUrl) };
  }

  /**
   * A new account standing in for the persona (same kind, organisation and profile), for
   * operations on "oneself" that would otherwise change a persona other cells use.
   */
  async cloneOf(who: Who): Promise<Who> {
    if (who.kind === 'anon') return who;
    if (who.kind === 'external') {
      const login = `${uniq('clone')}@soc-client.test`;
      const p = await inviteExternalUser(this.server, this.smtp, this.world.soc['org-admin'], login, { profile: who.profile! });
      return { ...who, login, password: PORTAL_PASSWORD, actor: p };
    }
    const org = who.org as Org | 'admin';
    const u = await this.freshUser(org, who.profile!, true);
    const token = await this.server.client.login(u.login, u.password!);
    return { ...who, login: u.login, password: u.password, actor: { token, organisation: org } };
  }

  private side?: Promise<string>;

  /** One organisation, created on first use, that no persona belongs to or links to. */
  sideOrg(): Promise<string> {
    return (this.side ??= this.freshOrg());
  }

  async freshOrg(): Promise<string> {
    const name = uniq('org-');
    await this.ok(this.who.admin, 'mutation($n: String!) { createOrganisation(name: $n, description: "fresh") { id } }', { n: name });
    return name;
  }

  async link(from: string, to: string): Promise<void> {
    await this.ok(this.who.admin, 'mutation($f: String!, $t: String!) { linkOrganisations(from: $f, to: $t) { id } }', { f: from, t: to });
  }

  async freshProfile(inUse = false): Promise<string> {
    const name = uniq('profile-');
    await this.ok(this.who.admin, 'mutation($n: String!) { createProfile(name: $n, permissions: [manageCase]) { id } }', { n: name });
    if (inUse) {
      await this.ok(
        this.who.admin,
        'mutation($l: String!, $p: String!) { createUser(login: $l, name: "uses profile", organisation: "stranger", profile: $p) { id } }',
        { l: `${uniq('pu')}@stranger.test`, p: name },
      );
    }
    return name;
  }

  /** A soc case granted to the persona when it is an external user (R23); otherwise granted to nobody. */
  async grantedCase(who: Who): Promise<string> {
    const c = await this.freshCase('socCase');
    if (who.kind === 'external') await grant(this.server, this.internal('soc', 'incident-handler').actor, c.id, who.login!);
    return c.id;
  }

  /** A case reported through the portal by the external-actor persona (R26). */
  async reportedCase(): Promise<string> {
    const data = await this.ok(
      this.who['ext/actor'],
      'mutation($i: PortalCreateCaseInput!) { createCase(input: $i) { id } }',
      { i: { title: uniq('reported-') } },
      'portal',
    );
    return data.createCase.id;
  }
}

/** Runs fn over items with at most `limit` at a time, results in item order. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
