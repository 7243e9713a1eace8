import { uploadRequest } from '../fixtures/portal';
import { subscribe } from '../support/ws-client';
import { CASE_KINDS, CaseKind, FreshCase, Harness, ITEM_KINDS, ItemKind, shareProfileOf, uniq, Who } from './harness';
import { defineOps, Observed, Op, outcome, present, sameSet, wrong } from './ops';
import { casePermissions, CODE_TOKEN, DEFAULT_PROFILES, Org, PROFILE_PERMISSIONS } from './personas';

/**
 * The internal schema's root fields (/graphql, and liveFeed over graphql-ws): how each is
 * performed on each object of the table. Writes act on objects made for the cell; reads on
 * objects made once per file (h.once), which no cell changes.
 */

const I = 'internal' as const;
const NEW_PASSWORD = 'changed-password-1';

/** The five case situations most case operations are tabled on (socCaseSharedHandler only where a share profile with manageShare matters). */
const CASES = ['socCase', 'socCaseSharedRO', 'socCaseSharedAnalyst', 'partnerCase', 'strangerCase'] as const;
const ITEMS = Object.keys(ITEM_KINDS) as ItemKind[];

const readCase = (h: Harness, kind: CaseKind) => h.once(`case:${kind}`, () => h.freshCase(kind));
const readItem = (h: Harness, type: 'task' | 'observable', kind: ItemKind) => h.once(`${type}:${kind}`, () => h.freshItem(type, kind));

/** Fixed users (world personas and an external user) read by users/user. */
const USER_OBJECTS: Record<string, (h: Harness) => string> = {
  socUser: () => 'read-only@soc.test',
  partnerUser: () => 'read-only@partner.test',
  strangerUser: () => 'read-only@stranger.test',
  socExternalUser: (h) => h.extTarget.soc,
};

/** `kind/org` → [kind, org]. */
const split = (object: string) => object.split('/') as [string, string | undefined];

/** The analyst of the organisation `org` reads the case: true when it is visible to that organisation. */
async function visibleTo(h: Harness, org: Org, caseId: string): Promise<boolean> {
  return !!(await h.ok(h.internal(org, 'analyst'), 'query($id: ID!) { case(id: $id) { id } }', { id: caseId })).case;
}

async function tokenWorks(h: Harness, token: string, login: string): Promise<Observed | string> {
  const me = await h.req({ token }, '{ me { login } }');
  return me.data?.me?.login === login ? 'ok' : wrong(`the new credential does not authenticate ${login}: ${JSON.stringify(me.errors ?? me.data)}`);
}

/** A fresh user of the object's organisation, or the persona's fresh double for "self". */
async function accountTarget(h: Harness, who: Who, object: string): Promise<{ actor: Who; login: string }> {
  if (object === 'self') {
    const clone = await h.cloneOf(who);
    return { actor: clone, login: clone.login ?? 'nobody@nowhere.test' };
  }
  const org = ({ socUser: 'soc', partnerUser: 'partner', strangerUser: 'stranger' } as const)[object as 'socUser'];
  return { actor: who, login: (await h.freshUser(org)).login };
}

// ---------------------------------------------------------------------------------------------

const queries: Op[] = [
  {
    endpoint: I,
    field: 'Query.me',
    objects: ['-'],
    run: async (h, who) => outcome(await h.req(who, '{ me { login } }'), (d) => (d.me.login === who.login ? 'ok' : wrong(`me is ${d.me.login}`))),
  },
  {
    endpoint: I,
    field: 'Query.users',
    objects: Object.keys(USER_OBJECTS),
    run: async (h, who, object) =>
      outcome(await h.req(who, '{ users { login } }'), (d) => present(d.users.some((u: { login: string }) => u.login === USER_OBJECTS[object](h)))),
  },
  {
    endpoint: I,
    field: 'Query.user',
    objects: Object.keys(USER_OBJECTS),
    run: async (h, who, object) => {
      const login = USER_OBJECTS[object](h);
      return outcome(await h.req(who, 'query($l: String!) { user(login: $l) { login } }', { l: login }), (d) =>
        present(!!d.user, d.user?.login === login || `user is ${d.user?.login}`),
      );
    },
  },
  {
    endpoint: I,
    field: 'Query.organisations',
    objects: ['soc', 'partner', 'stranger', 'admin'],
    run: async (h, who, object) =>
      outcome(await h.req(who, '{ organisations { name } }'), (d) => present(d.organisations.some((o: { name: string }) => o.name === object))),
  },
  {
    endpoint: I,
    field: 'Query.organisation',
    objects: ['soc', 'partner', 'stranger', 'admin'],
    run: async (h, who, object) =>
      outcome(await h.req(who, 'query($n: String!) { organisation(name: $n) { name } }', { n: object }), (d) =>
        present(!!d.organisation, d.organisation?.name === object || `got ${d.organisation?.name}`),
      ),
  },
  {
    endpoint: I,
    field: 'Query.profiles',
    objects: ['-'],
    run: async (h, who) =>
      outcome(await h.req(who, '{ profiles { name } }'), (d) => {
        const names = d.profiles.map((p: { name: string }) => p.name);
        const missing = DEFAULT_PROFILES.filter((n) => !names.includes(n));
        return missing.length ? wrong(`default profiles missing: ${missing}`) : 'ok';
      }),
  },
  {
    endpoint: I,
    field: 'Query.profile',
    objects: ['analyst'],
    run: async (h, who, object) =>
      outcome(await h.req(who, 'query($n: String!) { profile(name: $n) { name permissions } }', { n: object }), (d) =>
        present(!!d.profile, sameSet(d.profile?.permissions ?? [], PROFILE_PERMISSIONS[object]) || `permissions ${d.profile?.permissions}`),
      ),
  },
  {
    endpoint: I,
    field: 'Query.cases',
    objects: CASES,
    run: async (h, who, object) => {
      const c = await readCase(h, object as CaseKind);
      const res = await h.req(who, 'query($t: String) { cases(first: 100, filter: { title: $t }) { totalCount edges { node { id } } } }', { t: c.title });
      return outcome(res, (d) => {
        const ids = d.cases.edges.map((e: { node: { id: string } }) => e.node.id);
        if (ids.includes(c.id)) return d.cases.totalCount === 1 && ids.length === 1 ? 'ok' : wrong(`totalCount ${d.cases.totalCount}, ${ids.length} edges`);
        return d.cases.totalCount === 0 && ids.length === 0 ? '∅' : wrong(`not listed, yet totalCount ${d.cases.totalCount} and ${ids.length} edges`);
      });
    },
  },
  {
    endpoint: I,
    field: 'Query.case',
    objects: CASES,
    run: async (h, who, object) => {
      const c = await readCase(h, object as CaseKind);
      const res = await h.req(who, 'query($id: ID!) { case(id: $id) { id myPermissions } }', { id: c.id });
      return outcome(res, (d) => {
        if (!d.case) return '∅';
        // R15: what the caller may do there = effective user permissions ∩ the organisation's share profile.
        const share = shareProfileOf(c.kind, who.org);
        const expected = share && who.profile ? casePermissions(who.profile, share) : null;
        if (d.case.id !== c.id) return wrong(`another case ${d.case.id}`);
        return expected && sameSet(d.case.myPermissions, expected) ? 'ok' : wrong(`myPermissions ${d.case.myPermissions}, rules say ${expected}`);
      });
    },
  },
  {
    endpoint: I,
    field: 'Query.caseHistory',
    objects: CASES,
    run: async (h, who, object) => {
      const c = await readCase(h, object as CaseKind);
      return outcome(await h.req(who, 'query($id: ID!) { caseHistory(caseId: $id) { action objectId } }', { id: c.id }), (d) => {
        if (!d.caseHistory.length) return '∅';
        return d.caseHistory.some((e: { action: string; objectId: string }) => e.action === 'case.create' && e.objectId === c.id)
          ? 'ok'
          : wrong('no case.create entry');
      });
    },
  },
  {
    endpoint: I,
    field: 'Query.explainAccess',
    objects: CASES,
    run: async (h, who, object) => {
      const c = await readCase(h, object as CaseKind);
      const res = await h.req(
        who,
        'query($id: ID!) { explainAccess(caseId: $id, permission: manageCase) { allowed userProfile { name } shareProfile { name } } }',
        { id: c.id },
      );
      return outcome(res, (d) => {
        const e = d.explainAccess;
        if (e.userProfile?.name !== who.profile) return wrong(`userProfile ${e.userProfile?.name}`);
        if (!e.shareProfile) return e.allowed ? wrong('allowed without a share') : '∅';
        if (e.shareProfile.name !== shareProfileOf(c.kind, who.org)) return wrong(`shareProfile ${e.shareProfile.name}`);
        return e.allowed ? 'yes' : 'no';
      });
    },
  },
  {
    endpoint: I,
    field: 'Query.task',
    objects: ITEMS,
    run: async (h, who, object) => {
      const t = await readItem(h, 'task', object as ItemKind);
      return outcome(await h.req(who, 'query($id: ID!) { task(id: $id) { id } }', { id: t.id }), (d) =>
        present(!!d.task, d.task?.id === t.id || 'another task'),
      );
    },
  },
  {
    endpoint: I,
    field: 'Query.observable',
    objects: ITEMS,
    run: async (h, who, object) => {
      const o = await readItem(h, 'observable', object as ItemKind);
      return outcome(await h.req(who, 'query($id: ID!) { observable(id: $id) { id } }', { id: o.id }), (d) =>
        present(!!d.observable, d.observable?.id === o.id || 'another observable'),
      );
    },
  },
  {
    endpoint: I,
    field: 'Query.observableDataTypes',
    objects: ['-'],
    run: async (h, who) => outcome(await h.req(who, '{ observableDataTypes }'), (d) => (d.observableDataTypes.includes('domain') ? 'ok' : wrong('no domain'))),
  },
  {
    endpoint: I,
    field: 'Query.audit',
    objects: [...CASES, 'socUserEntry', 'socOrgEntry', 'profileEntry'],
    run: async (h, who, object) => {
      const filter = await auditFilter(h, object);
      const res = await h.req(who, 'query($f: AuditFilter) { audit(first: 5, filter: $f) { totalCount edges { node { objectId action } } } }', { f: filter });
      return outcome(res, (d) => {
        const n = d.audit.edges.length;
        if (!n) return d.audit.totalCount === 0 ? '∅' : wrong(`no edge but totalCount ${d.audit.totalCount}`);
        return d.audit.edges.every((e: { node: { objectId: string } }) => e.node.objectId === filter.objectId) ? 'ok' : wrong('filter ignored');
      });
    },
  },
  {
    endpoint: I,
    field: 'Query.caseReads',
    objects: ['socCase', 'socCaseSharedRO', 'partnerCase', 'strangerCase'],
    run: async (h, who, object) => {
      const c = await readCase(h, object as CaseKind);
      return outcome(await h.req(who, 'query($id: ID!) { caseReads(caseId: $id) { totalCount } }', { id: c.id }), (d) =>
        d.caseReads.totalCount >= 0 ? 'ok' : wrong('no count'),
      );
    },
  },
  {
    endpoint: I,
    field: 'Query.disclosure',
    objects: ['socCase', 'socCaseSharedRO', 'socCaseSharedHandler', 'partnerCase'],
    run: async (h, who, object) => {
      const c = await readCase(h, object as CaseKind);
      return outcome(
        await h.req(who, 'query($id: ID!) { disclosure(caseId: $id) { organisations { organisation { name } share { expired } } externalUsers { access } } }', {
          id: c.id,
        }),
        (d) => (Array.isArray(d.disclosure.organisations) && Array.isArray(d.disclosure.externalUsers) ? 'ok' : wrong('no disclosure')),
      );
    },
  },
  {
    endpoint: I,
    field: 'Query.verifyAudit',
    objects: ['soc', 'nowhere'],
    run: async (h, who, object) =>
      outcome(await h.req(who, 'query($o: String!) { verifyAudit(organisation: $o) { ok entries } }', { o: object }), (d) =>
        d.verifyAudit.ok && d.verifyAudit.entries > 0 ? 'ok' : wrong(`chain of ${object} not verified`),
      ),
  },
];

/** One audit entry per object: a case's creation, a soc user's creation, the soc→partner link, a profile's creation. */
async function auditFilter(h: Harness, object: string): Promise<{ objectType: string; action: string; objectId: string }> {
  const idOf = async (sql: string, p: string) => (await h.server.sql<{ id: string }>(sql, [p]))[0].id;
  if (object in CASE_KINDS) return { objectType: 'Case', action: 'case.create', objectId: (await readCase(h, object as CaseKind)).id };
  if (object === 'socUserEntry')
    return { objectType: 'User', action: 'user.create', objectId: await idOf('SELECT id::text FROM app_user WHERE login = $1', 'read-only@soc.test') };
  if (object === 'socOrgEntry')
    return { objectType: 'Organisation', action: 'organisation.link', objectId: await idOf('SELECT id::text FROM organisation WHERE name = $1', 'soc') };
  const name = await h.once('profile', () => h.freshProfile());
  return { objectType: 'Profile', action: 'profile.create', objectId: await idOf('SELECT id::text FROM profile WHERE name = $1', name) };
}

// ---------------------------------------------------------------------------------------------

const CREATE_USER = `mutation($l: String!, $o: String!, $pw: String) {
  createUser(login: $l, name: "matrix", email: $l, password: $pw, organisation: $o, profile: "read-only") { login memberships { organisation { name } } } }`;

const accounts: Op[] = [
  {
    endpoint: I,
    field: 'Mutation.login',
    objects: ['ownCredentials', 'wrongPassword'],
    run: async (h, who, object) => {
      // The persona is the one whose credentials are sent; the unauthenticated caller has none that work.
      const login = who.login ?? 'nobody@nowhere.test';
      const password = object === 'wrongPassword' || !who.password ? 'wrong-password-1' : who.password;
      const res = await h.req({}, 'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token user { login } } }', { l: login, p: password });
      return outcome(res, (d) => tokenWorks(h, d.login.token, login));
    },
  },
  {
    endpoint: I,
    field: 'Mutation.logout',
    objects: ['-'],
    run: async (h, who) => {
      // A session of its own, so that ending it leaves the persona's token alone.
      const token = who.kind === 'anon' ? undefined : await h.server.client.login(who.login!, who.password!, who.kind === 'external' ? 'portal' : 'internal');
      const actor = { token, organisation: who.actor.organisation };
      return outcome(await h.req(actor, 'mutation { logout }'), async (d) => {
        if (d.logout !== true) return wrong(`logout answered ${d.logout}`);
        const after = await h.req(actor, '{ me { login } }');
        return after.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED' ? 'ok' : wrong('the session still works after logout');
      });
    },
  },
  {
    endpoint: I,
    field: 'Mutation.createUser',
    objects: ['soc', 'partner', 'stranger', 'admin'],
    run: async (h, who, object) => {
      const login = `${uniq('new')}@${object}.test`;
      return outcome(await h.req(who, CREATE_USER, { l: login, o: object, pw: 'fixture-password-1' }), (d) =>
        d.createUser.login === login && d.createUser.memberships.some((m: any) => m.organisation.name === object) ? 'ok' : wrong(JSON.stringify(d.createUser)),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.setMembership',
    objects: ['socMember', 'partnerMember', 'strangerMember'],
    run: async (h, who, object) => {
      const org = object.replace('Member', '') as Org;
      const { login } = await h.freshUser(org);
      const res = await h.req(
        who,
        'mutation($l: String!, $o: String!) { setMembership(login: $l, organisation: $o, profile: "analyst") { login memberships { organisation { name } profile { name } } } }',
        { l: login, o: org },
      );
      return outcome(res, (d) =>
        d.setMembership.memberships.some((m: any) => m.organisation.name === org && m.profile.name === 'analyst')
          ? 'ok'
          : wrong(JSON.stringify(d.setMembership)),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.removeMembership',
    objects: ['socMember', 'partnerMember', 'strangerMember'],
    run: async (h, who, object) => {
      const org = object.replace('Member', '') as Org;
      const { login } = await h.freshUser(org);
      // A second membership, in an organisation no persona sees, so that R5's last-organisation rule is not at stake.
      await h.ok(h.who.admin, 'mutation($l: String!, $o: String!) { setMembership(login: $l, organisation: $o, profile: "read-only") { id } }', {
        l: login,
        o: await h.sideOrg(),
      });
      return outcome(
        await h.req(who, 'mutation($l: String!, $o: String!) { removeMembership(login: $l, organisation: $o) }', { l: login, o: org }),
        async (d) => {
          if (d.removeMembership !== true) return wrong(`answered ${d.removeMembership}`);
          const u = await h.ok(h.who.admin, 'query($l: String!) { user(login: $l) { memberships { organisation { name } } } }', { l: login });
          return u.user.memberships.some((m: any) => m.organisation.name === org) ? wrong('membership still there') : 'ok';
        },
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.lockUser',
    objects: ['socUser', 'partnerUser', 'strangerUser', 'self'],
    run: async (h, who, object) => {
      const t = await accountTarget(h, who, object);
      return outcome(await h.req(t.actor, 'mutation($l: String!) { lockUser(login: $l, locked: true) { login locked } }', { l: t.login }), (d) =>
        d.lockUser.login === t.login && d.lockUser.locked === true ? 'ok' : wrong(JSON.stringify(d.lockUser)),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.setPassword',
    objects: ['socUser', 'partnerUser', 'strangerUser', 'self'],
    run: async (h, who, object) => {
      const t = await accountTarget(h, who, object);
      return outcome(
        await h.req(t.actor, 'mutation($l: String!, $p: String!) { setPassword(login: $l, password: $p) { login } }', { l: t.login, p: NEW_PASSWORD }),
        async () => {
          const res = await h.req({}, 'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }', { l: t.login, p: NEW_PASSWORD });
          return res.data?.login?.token ? 'ok' : wrong(`the new password does not log in: ${JSON.stringify(res.errors)}`);
        },
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.createApiKey',
    objects: ['socUser', 'partnerUser', 'strangerUser', 'self'],
    run: async (h, who, object) => {
      const t = await accountTarget(h, who, object);
      return outcome(await h.req(t.actor, 'mutation($l: String!) { createApiKey(login: $l) }', { l: t.login }), (d) => tokenWorks(h, d.createApiKey, t.login));
    },
  },
  {
    endpoint: I,
    field: 'Mutation.createExternalUser',
    objects: ['externalProfile', 'internalProfile'],
    run: async (h, who, object) => {
      const login = `${uniq('ext')}@client.test`;
      const profile = object === 'externalProfile' ? 'external-reader' : 'analyst';
      return outcome(
        await h.req(who, 'mutation($l: String!, $p: String!) { createExternalUser(login: $l, name: "matrix", email: $l, profile: $p) { login type } }', {
          l: login,
          p: profile,
        }),
        (d) => (d.createExternalUser.type === 'EXTERNAL' && d.createExternalUser.login === login ? 'ok' : wrong(JSON.stringify(d.createExternalUser))),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.resendInvitation',
    objects: ['socExternal', 'partnerExternal', 'strangerExternal', 'socInternal'],
    run: async (h, who, object) => {
      const login = object === 'socInternal' ? (await h.freshUser('soc')).login : (await h.freshExternal(object.replace('External', '') as Org)).login;
      return outcome(await h.req(who, 'mutation($l: String!) { resendInvitation(login: $l) }', { l: login }), (d) =>
        d.resendInvitation === true ? 'ok' : wrong('not sent'),
      );
    },
  },
];

// ---------------------------------------------------------------------------------------------

const ORG_FIELDS = '{ name description }';

const organisationsAndProfiles: Op[] = [
  {
    endpoint: I,
    field: 'Mutation.createOrganisation',
    objects: ['fresh', 'takenName'],
    run: async (h, who, object) => {
      const name = object === 'fresh' ? uniq('neworg-') : 'SOC';
      return outcome(await h.req(who, `mutation($n: String!) { createOrganisation(name: $n, description: "matrix") ${ORG_FIELDS} }`, { n: name }), (d) =>
        d.createOrganisation.name === name ? 'ok' : wrong(JSON.stringify(d.createOrganisation)),
      );
    },
  },
  {
    // No cell reads an organisation's description, so updating soc's leaves every other cell as it was.
    endpoint: I,
    field: 'Mutation.updateOrganisation',
    objects: ['soc', 'admin', 'fresh'],
    run: async (h, who, object) => {
      const name = object === 'fresh' ? await h.freshOrg() : object;
      const description = object === 'fresh' ? 'changed' : 'fixture';
      return outcome(
        await h.req(who, `mutation($n: String!, $d: String) { updateOrganisation(name: $n, description: $d) ${ORG_FIELDS} }`, { n: name, d: description }),
        (d) => (d.updateOrganisation.name === name && d.updateOrganisation.description === description ? 'ok' : wrong(JSON.stringify(d.updateOrganisation))),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.linkOrganisations',
    objects: ['freshToFresh', 'freshToAdmin', 'freshToItself', 'ownToFresh'],
    run: async (h, who, object) => {
      const a = await h.freshOrg();
      const own = who.org ?? 'soc';
      const [from, to] = await (
        {
          freshToFresh: async () => [a, await h.freshOrg()],
          freshToAdmin: async () => [a, 'admin'],
          freshToItself: async () => [a, a],
          ownToFresh: async () => [own, a],
        } as Record<string, () => Promise<string[]>>
      )[object]();
      return outcome(
        await h.req(who, 'mutation($f: String!, $t: String!) { linkOrganisations(from: $f, to: $t) { name links { name } } }', { f: from, t: to }),
        (d) =>
          d.linkOrganisations.name === from && d.linkOrganisations.links.some((l: { name: string }) => l.name === to)
            ? 'ok'
            : wrong(JSON.stringify(d.linkOrganisations)),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.unlinkOrganisations',
    objects: ['linkedFreshPair', 'adminToFresh'],
    run: async (h, who, object) => {
      const a = await h.freshOrg();
      let from = 'admin';
      if (object === 'linkedFreshPair') {
        from = await h.freshOrg();
        await h.link(from, a);
      }
      return outcome(await h.req(who, 'mutation($f: String!, $t: String!) { unlinkOrganisations(from: $f, to: $t) }', { f: from, t: a }), async (d) => {
        if (d.unlinkOrganisations !== true) return wrong(`answered ${d.unlinkOrganisations}`);
        const o = await h.ok(h.who.admin, 'query($n: String!) { organisation(name: $n) { links { name } } }', { n: from });
        return o.organisation.links.length === 0 ? 'ok' : wrong('the link is still there');
      });
    },
  },
  {
    endpoint: I,
    field: 'Mutation.createProfile',
    objects: ['internal', 'external', 'mixedPermissions', 'takenName'],
    run: async (h, who, object) => {
      const name = object === 'takenName' ? 'analyst' : uniq('newprofile-');
      const [permissions, external] = (
        {
          internal: [['manageCase'], false],
          external: [['portalComment'], true],
          mixedPermissions: [['manageCase', 'portalComment'], false],
          takenName: [['manageCase'], false],
        } as Record<string, [string[], boolean]>
      )[object];
      return outcome(
        await h.req(
          who,
          'mutation($n: String!, $p: [Permission!]!, $e: Boolean) { createProfile(name: $n, permissions: $p, external: $e) { name permissions external } }',
          { n: name, p: permissions, e: external },
        ),
        (d) =>
          d.createProfile.name === name && sameSet(d.createProfile.permissions, permissions) && d.createProfile.external === external
            ? 'ok'
            : wrong(JSON.stringify(d.createProfile)),
      );
    },
  },
  {
    // `all` is sent its own permissions: even a wrongly allowed update changes nothing.
    endpoint: I,
    field: 'Mutation.updateProfile',
    objects: ['freshUnused', 'freshInUse', 'all'],
    run: async (h, who, object) => {
      const name = object === 'all' ? 'all' : await h.freshProfile(object === 'freshInUse');
      const permissions = object === 'all' ? PROFILE_PERMISSIONS.all : ['manageCase', 'manageTask'];
      return outcome(
        await h.req(who, 'mutation($n: String!, $p: [Permission!]!) { updateProfile(name: $n, permissions: $p) { name permissions } }', {
          n: name,
          p: permissions,
        }),
        (d) => (sameSet(d.updateProfile.permissions, permissions) ? 'ok' : wrong(JSON.stringify(d.updateProfile))),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.deleteProfile',
    objects: ['freshUnused', 'freshInUse', 'all'],
    run: async (h, who, object) => {
      const name = object === 'all' ? 'all' : await h.freshProfile(object === 'freshInUse');
      return outcome(await h.req(who, 'mutation($n: String!) { deleteProfile(name: $n) }', { n: name }), async (d) => {
        const left = await h.ok(h.who.admin, 'query($n: String!) { profile(name: $n) { name } }', { n: name });
        return d.deleteProfile === true && !left.profile ? 'ok' : wrong('the profile is still there');
      });
    },
  },
];

// ---------------------------------------------------------------------------------------------

const caseOps: Op[] = [
  {
    // socTemplate: R33, only soc's members can create from soc's template (others: unknown → BI).
    endpoint: I,
    field: 'Mutation.createCase',
    objects: ['-', 'socTemplate'],
    run: async (h, who, object) => {
      const template = object === 'socTemplate' ? await h.once('socTemplate', () => freshSocTemplate(h)) : undefined;
      return outcome(
        await h.req(who, 'mutation($i: CreateCaseInput!) { createCase(input: $i) { id title organisation { name } myPermissions } }', {
          i: { title: uniq('created-'), template },
        }),
        (d) => {
          // R12: owned by the active organisation through an owner share of profile `all`.
          const expected = who.profile ? casePermissions(who.profile, 'all') : [];
          if (template && !d.createCase.title.startsWith('[T] ')) return wrong(`the template was not applied: ${d.createCase.title}`);
          return d.createCase.organisation.name === who.org && sameSet(d.createCase.myPermissions, expected) ? 'ok' : wrong(JSON.stringify(d.createCase));
        },
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.updateCase',
    objects: CASES,
    run: async (h, who, object) => {
      const c = await h.freshCase(object as CaseKind);
      return outcome(await h.req(who, 'mutation($id: ID!) { updateCase(id: $id, input: { title: "changed by matrix" }) { id title } }', { id: c.id }), (d) =>
        d.updateCase.id === c.id && d.updateCase.title === 'changed by matrix' ? 'ok' : wrong(JSON.stringify(d.updateCase)),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.deleteCase',
    objects: CASES,
    run: async (h, who, object) => {
      const c = await h.freshCase(object as CaseKind);
      return outcome(await h.req(who, 'mutation($id: ID!) { deleteCase(id: $id) }', { id: c.id }), async (d) => {
        const owner = CASE_KINDS[c.kind].owner;
        return d.deleteCase === true && !(await visibleTo(h, owner, c.id)) ? 'ok' : wrong('the case is still there');
      });
    },
  },
  {
    // The assignee is the analyst of the caller's organisation (R20: eligible wherever that organisation holds manageCase), or its external user.
    endpoint: I,
    field: 'Mutation.assignCase',
    objects: [...CASES, 'socCase/externalAssignee'],
    run: async (h, who, object) => {
      const [kind, variant] = split(object);
      const c = await h.freshCase(kind as CaseKind);
      const login = variant === 'externalAssignee' ? h.extTarget[h.homeOrg(who)] : `analyst@${h.homeOrg(who)}.test`;
      return outcome(
        await h.req(who, 'mutation($id: ID!, $l: String) { assignCase(id: $id, login: $l) { id assignee { login } } }', { id: c.id, l: login }),
        (d) => (d.assignCase.assignee?.login === login ? 'ok' : wrong(JSON.stringify(d.assignCase))),
      );
    },
  },
];

// ---------------------------------------------------------------------------------------------

const SHARE_CASE_OBJECTS = ['socCase/partner', 'socCase/stranger', 'socCaseSharedRO/partner', 'socCaseSharedAnalyst/partner', 'partnerCase/soc'];
const CHANGE_SHARE_OBJECTS = ['socCaseSharedRO/partner', 'socCaseSharedHandler/partner', 'socCaseSharedHandler/soc', 'socCase/partner', 'partnerCase/partner'];

const shareOps: Op[] = [
  {
    endpoint: I,
    field: 'Mutation.shareCase',
    objects: SHARE_CASE_OBJECTS,
    run: async (h, who, object) => {
      const [kind, org] = split(object);
      const c = await h.freshCase(kind as CaseKind);
      const res = await h.req(
        who,
        `mutation($id: ID!, $o: String!) { shareCase(caseId: $id, organisation: $o, profile: "read-only") { organisation { name } profile { name } owner } }`,
        { id: c.id, o: org },
      );
      return outcome(res, async (d) => {
        const s = d.shareCase;
        if (s.organisation.name !== org || s.profile.name !== 'read-only' || s.owner) return wrong(JSON.stringify(s));
        return (await visibleTo(h, org as Org, c.id)) ? 'ok' : wrong(`${org} does not see the case after the share`);
      });
    },
  },
  {
    endpoint: I,
    field: 'Mutation.unshareCase',
    objects: [...CHANGE_SHARE_OBJECTS.slice(0, 1), 'socCaseSharedAnalyst/partner', ...CHANGE_SHARE_OBJECTS.slice(1)],
    run: async (h, who, object) => {
      const [kind, org] = split(object);
      const c = await h.freshCase(kind as CaseKind);
      return outcome(await h.req(who, 'mutation($id: ID!, $o: String!) { unshareCase(caseId: $id, organisation: $o) }', { id: c.id, o: org }), async (d) => {
        if (d.unshareCase !== true) return wrong(`answered ${d.unshareCase}`);
        return (await visibleTo(h, org as Org, c.id)) ? wrong(`${org} still sees the case`) : 'ok';
      });
    },
  },
  {
    endpoint: I,
    field: 'Mutation.updateShare',
    objects: CHANGE_SHARE_OBJECTS,
    run: async (h, who, object) => {
      const [kind, org] = split(object);
      const c = await h.freshCase(kind as CaseKind);
      return outcome(
        await h.req(
          who,
          'mutation($id: ID!, $o: String!) { updateShare(caseId: $id, organisation: $o, profile: "analyst") { organisation { name } profile { name } } }',
          { id: c.id, o: org },
        ),
        (d) => (d.updateShare.organisation.name === org && d.updateShare.profile.name === 'analyst' ? 'ok' : wrong(JSON.stringify(d.updateShare))),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.setShareExpiry',
    objects: CHANGE_SHARE_OBJECTS,
    run: async (h, who, object) => {
      const [kind, org] = split(object);
      const c = await h.freshCase(kind as CaseKind);
      const at = new Date(Date.now() + 3_600_000).toISOString();
      return outcome(
        await h.req(
          who,
          'mutation($id: ID!, $o: String!, $at: DateTime) { setShareExpiry(caseId: $id, organisation: $o, expiresAt: $at) { organisation { name } expiresAt expired } }',
          { id: c.id, o: org, at },
        ),
        (d) =>
          d.setShareExpiry.organisation.name === org && d.setShareExpiry.expiresAt === at && d.setShareExpiry.expired === false
            ? 'ok'
            : wrong(JSON.stringify(d.setShareExpiry)),
      );
    },
  },
  ...(['task', 'observable'] as const).flatMap((type): Op[] => {
    const T = type === 'task' ? 'Task' : 'Observable';
    const arg = type === 'task' ? 'taskId' : 'observableId';
    return [
      {
        endpoint: I,
        field: `Mutation.share${T}`,
        objects: [
          'socCaseSharedRO-manual/partner',
          'socCaseSharedRO-sharedOne/partner',
          'socCaseSharedAnalyst/partner',
          'socCase/partner',
          'partnerCase/partner',
          'socCase/stranger',
        ],
        run: async (h, who, object) => {
          const [kind, org] = split(object);
          const item = await h.freshItem(type, kind as ItemKind);
          return outcome(
            await h.req(who, `mutation($id: ID!, $o: String!) { share${T}(${arg}: $id, organisation: $o) { id sharedWith { name } } }`, {
              id: item.id,
              o: org,
            }),
            (d) => (d[`share${T}`].sharedWith.some((o: { name: string }) => o.name === org) ? 'ok' : wrong(JSON.stringify(d[`share${T}`]))),
          );
        },
      },
      {
        endpoint: I,
        field: `Mutation.unshare${T}`,
        objects: [
          'socCaseSharedRO-sharedOne/partner',
          'socCaseSharedAnalyst/partner',
          'socCaseSharedRO-manual/partner',
          'socCase/soc',
          'partnerCase/partner',
          'socCase/stranger',
        ],
        run: async (h, who, object) => {
          const [kind, org] = split(object);
          const item = await h.freshItem(type, kind as ItemKind);
          return outcome(
            await h.req(who, `mutation($id: ID!, $o: String!) { unshare${T}(${arg}: $id, organisation: $o) }`, { id: item.id, o: org }),
            async (d) => {
              if (d[`unshare${T}`] !== true) return wrong(`answered ${d[`unshare${T}`]}`);
              const seen = await h.ok(h.internal(org as Org, 'analyst'), `query($id: ID!) { ${type}(id: $id) { id } }`, { id: item.id });
              return seen[type] ? wrong(`${org} still sees the ${type}`) : 'ok';
            },
          );
        },
      },
    ];
  }),
];

// ---------------------------------------------------------------------------------------------

const itemOps: Op[] = (['task', 'observable'] as const).flatMap((type): Op[] => {
  const T = type === 'task' ? 'Task' : 'Observable';
  const createInput = type === 'task' ? { title: 'matrix task' } : { dataType: 'domain', data: 'matrix.example' };
  const updateInput = type === 'task' ? { title: 'changed by matrix' } : { message: 'changed by matrix' };
  const updated = type === 'task' ? 'title' : 'message';
  return [
    {
      endpoint: I,
      field: `Mutation.create${T}`,
      objects: CASES,
      run: async (h, who, object) => {
        const c = await h.freshCase(object as CaseKind);
        return outcome(
          await h.req(who, `mutation($id: ID!, $i: Create${T}Input!) { create${T}(caseId: $id, input: $i) { id case { id } sharedWith { name } } }`, {
            id: c.id,
            i: createInput,
          }),
          // R17: the new item is shared with the creator's organisation.
          (d) =>
            d[`create${T}`].case.id === c.id && d[`create${T}`].sharedWith.some((o: { name: string }) => o.name === who.org)
              ? 'ok'
              : wrong(JSON.stringify(d[`create${T}`])),
        );
      },
    },
    {
      endpoint: I,
      field: `Mutation.update${T}`,
      objects: ITEMS,
      run: async (h, who, object) => {
        const item = await h.freshItem(type, object as ItemKind);
        return outcome(
          await h.req(who, `mutation($id: ID!, $i: Update${T}Input!) { update${T}(id: $id, input: $i) { id ${updated} } }`, { id: item.id, i: updateInput }),
          (d) => (d[`update${T}`][updated] === 'changed by matrix' ? 'ok' : wrong(JSON.stringify(d[`update${T}`]))),
        );
      },
    },
    {
      endpoint: I,
      field: `Mutation.delete${T}`,
      objects: ITEMS,
      run: async (h, who, object) => {
        const item = await h.freshItem(type, object as ItemKind);
        return outcome(await h.req(who, `mutation($id: ID!) { delete${T}(id: $id) }`, { id: item.id }), async (d) => {
          const owner = CASE_KINDS[ITEM_KINDS[item.kind as ItemKind]].owner;
          const seen = await h.ok(h.internal(owner, 'analyst'), `query($id: ID!) { ${type}(id: $id) { id } }`, { id: item.id });
          return d[`delete${T}`] === true && !seen[type] ? 'ok' : wrong(`the ${type} is still there`);
        });
      },
    },
  ];
});

// ---------------------------------------------------------------------------------------------

const ADD_ATTACHMENT =
  'mutation($caseId: ID!, $file: Upload!, $external: Boolean) { addAttachment(caseId: $caseId, file: $file, external: $external) { id external } }';

const commentsAndAttachments: Op[] = [
  {
    endpoint: I,
    field: 'Mutation.addComment',
    objects: [...CASES, 'socCase/external', 'socCaseSharedAnalyst/external'],
    run: async (h, who, object) => {
      const [kind, variant] = split(object);
      const c = await h.freshCase(kind as CaseKind);
      const external = variant === 'external';
      return outcome(
        await h.req(who, 'mutation($id: ID!, $e: Boolean) { addComment(caseId: $id, message: "matrix", external: $e) { id message external } }', {
          id: c.id,
          e: external,
        }),
        (d) => (d.addComment.message === 'matrix' && d.addComment.external === external ? 'ok' : wrong(JSON.stringify(d.addComment))),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.addAttachment',
    objects: [...CASES, 'socCase/external', 'socCaseSharedAnalyst/external'],
    run: async (h, who, object) => {
      const [kind, variant] = split(object);
      const c = await h.freshCase(kind as CaseKind);
      const external = variant === 'external';
      const res = await uploadRequest(
        h.server,
        ADD_ATTACHMENT,
        { caseId: c.id, external },
        { name: 'matrix.txt', content: 'matrix', type: 'text/plain' },
        who.actor,
      );
      return outcome(res, (d) => (d.addAttachment.external === external ? 'ok' : wrong(JSON.stringify(d.addAttachment))));
    },
  },
  {
    endpoint: I,
    field: 'Mutation.setCommentExternal',
    objects: CASES,
    run: async (h, who, object) => {
      const cm = await h.freshComment(object as CaseKind);
      return outcome(await h.req(who, 'mutation($id: ID!) { setCommentExternal(id: $id, external: true) { id external } }', { id: cm.id }), (d) =>
        d.setCommentExternal.id === cm.id && d.setCommentExternal.external === true ? 'ok' : wrong(JSON.stringify(d.setCommentExternal)),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.setAttachmentExternal',
    objects: CASES,
    run: async (h, who, object) => {
      const a = await h.freshAttachment(object as CaseKind);
      return outcome(await h.req(who, 'mutation($id: ID!) { setAttachmentExternal(id: $id, external: true) { id external } }', { id: a.id }), (d) =>
        d.setAttachmentExternal.id === a.id && d.setAttachmentExternal.external === true ? 'ok' : wrong(JSON.stringify(d.setAttachmentExternal)),
      );
    },
  },
];

// ---------------------------------------------------------------------------------------------

/** Grants go to the external user of the caller's own organisation (R23: a member of an organisation holding a share). */
const externalAccess: Op[] = [
  {
    endpoint: I,
    field: 'Mutation.grantExternalAccess',
    objects: [...CASES, 'socCaseSharedHandler', 'socCase/internalLogin'],
    run: async (h, who, object) => {
      const [kind, variant] = split(object);
      const c = await h.freshCase(kind as CaseKind);
      const login = variant === 'internalLogin' ? `analyst@${h.homeOrg(who)}.test` : h.extTarget[h.homeOrg(who)];
      return outcome(
        await h.req(who, 'mutation($id: ID!, $l: String!) { grantExternalAccess(caseId: $id, login: $l) { id sharedExternally externalUsers { login } } }', {
          id: c.id,
          l: login,
        }),
        (d) =>
          d.grantExternalAccess.sharedExternally && d.grantExternalAccess.externalUsers.some((u: { login: string }) => u.login === login)
            ? 'ok'
            : wrong(JSON.stringify(d.grantExternalAccess)),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.revokeExternalAccess',
    objects: [...CASES, 'socCaseSharedHandler', 'socCase/notGranted'],
    run: async (h, who, object) => {
      const [kind, variant] = split(object);
      const c = await h.freshCase(kind as CaseKind);
      const home = h.homeOrg(who);
      const login = h.extTarget[home];
      // Granted beforehand by the owner wherever the grant is possible (the caller's organisation holds a share).
      if (variant !== 'notGranted' && shareProfileOf(c.kind, home)) {
        await h.ok(
          h.internal(CASE_KINDS[c.kind].owner, 'incident-handler'),
          'mutation($id: ID!, $l: String!) { grantExternalAccess(caseId: $id, login: $l) { id } }',
          { id: c.id, l: login },
        );
      }
      return outcome(
        await h.req(who, 'mutation($id: ID!, $l: String!) { revokeExternalAccess(caseId: $id, login: $l) }', { id: c.id, l: login }),
        async (d) => {
          const left = await h.server.sql('SELECT 1 FROM external_grant g JOIN app_user u ON u.id = g.user_id WHERE g.case_id = $1 AND u.login = $2', [
            c.id,
            login,
          ]);
          return d.revokeExternalAccess === true && left.length === 0 ? 'ok' : wrong('the grant is still there');
        },
      );
    },
  },
];

// ---------------------------------------------------------------------------------------------

const FEED = 'subscription { liveFeed { action objectType objectId details } }';

/**
 * R30: the subscriber sees an entry iff its active organisation may see it (R29). After the
 * trigger, a sentinel entry every subscriber may see (its own organisation's update, by the
 * administrator) is written; entries stream in commit order, so once the sentinel has arrived,
 * a trigger entry that did not arrive is not coming.
 */
const liveFeed: Op = {
  endpoint: I,
  field: 'Subscription.liveFeed',
  objects: [...CASES, 'socUserCreated', 'partnerUserCreated'],
  run: async (h, who, object) => {
    const c: FreshCase | null = object in CASE_KINDS ? await h.freshCase(object as CaseKind) : null;
    const sub = await subscribe<{ liveFeed: { action: string; objectType: string; objectId: string; details: any } }>(h.server.url, FEED, who.actor);
    // A refusal answers the operation with the HTTP endpoint's error (U/F); it may reach the sink
    // just after subscribe() returned. A socket closed without a code is a finding, not a refusal.
    const refused = (): Observed | null => {
      if (!sub.errors.length || sub.received.length) return null;
      const first = sub.errors[0] as { message?: string; extensions?: { code?: string }; code?: number };
      const code = first.extensions?.code;
      return code ? { token: CODE_TOKEN[code] ?? code, detail: first.message } : wrong(`refused without an error code (close ${String(first.code ?? first)})`);
    };
    try {
      await new Promise((r) => setTimeout(r, 50));
      if (refused()) return refused()!;
      let target: { objectId: string; action: string };
      if (c) {
        await h.ok(h.internal(CASE_KINDS[c.kind].owner, 'analyst'), 'mutation($id: ID!) { updateCase(id: $id, input: { title: "feed trigger" }) { id } }', {
          id: c.id,
        });
        target = { objectId: c.id, action: 'case.update' };
      } else {
        const { login } = await h.freshUser(object === 'socUserCreated' ? 'soc' : 'partner');
        const [u] = await h.server.sql<{ id: string }>('SELECT id::text FROM app_user WHERE login = $1', [login]);
        target = { objectId: u.id, action: 'user.create' };
      }
      const sentinelOrg = who.org && who.org !== 'admin' ? who.org : 'soc';
      const mark = uniq('sentinel-');
      await h.ok(h.who.admin, 'mutation($n: String!, $d: String) { updateOrganisation(name: $n, description: $d) { id } }', { n: sentinelOrg, d: mark });
      const started = Date.now();
      const isMark = (e: { liveFeed: { action: string; details: any } }) =>
        e.liveFeed.action === 'organisation.update' && e.liveFeed.details?.description?.to === mark;
      while (!sub.received.some(isMark)) {
        if (refused()) return refused()!;
        if (Date.now() - started > 8000) return wrong(`the sentinel never arrived (${sub.received.length} entries, errors ${JSON.stringify(sub.errors)})`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const seen = sub.received.some((e) => e.liveFeed.objectId === target.objectId && e.liveFeed.action === target.action);
      return { token: seen ? 'ok' : '∅' };
    } finally {
      await sub.close();
    }
  },
};

// ---------------------------------------------------------------------------------------------
// R31 tags, R32 custom fields (global, in admin: R6), R33 case templates (per organisation).

/** A fresh catalogue tag, custom field or soc template, made by whoever may (setup, not the operation under test). */
const freshTag = async (h: Harness) => {
  const name = uniq('tag-');
  await h.ok(h.who.admin, 'mutation($n: String!) { createTag(name: $n) { id } }', { n: name });
  return name;
};
const freshField = async (h: Harness, inUse = false) => {
  const name = uniq('cf-');
  await h.ok(h.who.admin, 'mutation($n: String!) { createCustomField(input: { name: $n, type: STRING }) { id } }', { n: name });
  if (inUse) {
    await h.ok(h.internal('soc', 'analyst'), 'mutation($i: CreateCaseInput!) { createCase(input: $i) { id } }', {
      i: { title: uniq('cf-user-'), customFields: [{ name, value: 'used' }] },
    });
  }
  return name;
};
export const freshSocTemplate = async (h: Harness) => {
  const name = uniq('tpl-');
  await h.ok(h.internal('soc', 'org-admin'), 'mutation($n: String!) { createCaseTemplate(input: { name: $n, titlePrefix: "[T]" }) { id } }', { n: name });
  return name;
};

const caseWorkOps: Op[] = [
  {
    endpoint: I,
    field: 'Query.tags',
    objects: ['-'],
    run: async (h, who) => {
      const name = await h.once('tag', () => freshTag(h));
      return outcome(await h.req(who, '{ tags { name } }'), (d) => present(d.tags.some((t: { name: string }) => t.name === name)));
    },
  },
  {
    endpoint: I,
    field: 'Query.customFields',
    objects: ['-'],
    run: async (h, who) => {
      const name = await h.once('customField', () => freshField(h));
      return outcome(await h.req(who, '{ customFields { name } }'), (d) => present(d.customFields.some((f: { name: string }) => f.name === name)));
    },
  },
  {
    endpoint: I,
    field: 'Query.caseTemplates',
    objects: ['socTemplate'],
    run: async (h, who) => {
      const name = await h.once('socTemplate', () => freshSocTemplate(h));
      return outcome(await h.req(who, '{ caseTemplates { name } }'), (d) => present(d.caseTemplates.some((t: { name: string }) => t.name === name)));
    },
  },
  {
    endpoint: I,
    field: 'Mutation.createTag',
    objects: ['fresh', 'takenName'],
    run: async (h, who, object) => {
      const name = object === 'fresh' ? uniq('tag-') : (await freshTag(h)).toUpperCase();
      return outcome(await h.req(who, 'mutation($n: String!) { createTag(name: $n) { name } }', { n: name }), (d) =>
        d.createTag.name === name ? 'ok' : wrong(JSON.stringify(d.createTag)),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.updateTag',
    objects: ['fresh'],
    run: async (h, who) => {
      const name = await freshTag(h);
      const renamed = uniq('renamed-');
      return outcome(
        await h.req(who, 'mutation($n: String!, $r: String!) { updateTag(name: $n, input: { name: $r }) { name } }', { n: name, r: renamed }),
        (d) => (d.updateTag.name === renamed ? 'ok' : wrong(JSON.stringify(d.updateTag))),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.deleteTag',
    objects: ['fresh'],
    run: async (h, who) =>
      outcome(await h.req(who, 'mutation($n: String!) { deleteTag(name: $n) }', { n: await freshTag(h) }), (d) =>
        d.deleteTag === true ? 'ok' : wrong(JSON.stringify(d)),
      ),
  },
  {
    endpoint: I,
    field: 'Mutation.createCustomField',
    objects: ['fresh', 'takenName'],
    run: async (h, who, object) => {
      const name = object === 'fresh' ? uniq('cf-') : await freshField(h);
      return outcome(await h.req(who, 'mutation($n: String!) { createCustomField(input: { name: $n, type: INTEGER }) { name type } }', { n: name }), (d) =>
        d.createCustomField.name === name && d.createCustomField.type === 'INTEGER' ? 'ok' : wrong(JSON.stringify(d.createCustomField)),
      );
    },
  },
  {
    // R32: a type change of a definition holding values is CONFLICT.
    endpoint: I,
    field: 'Mutation.updateCustomField',
    objects: ['fresh', 'inUse'],
    run: async (h, who, object) => {
      const name = await freshField(h, object === 'inUse');
      return outcome(
        await h.req(who, 'mutation($n: String!) { updateCustomField(name: $n, input: { type: INTEGER, mandatory: true }) { type mandatory } }', { n: name }),
        (d) => (d.updateCustomField.type === 'INTEGER' && d.updateCustomField.mandatory ? 'ok' : wrong(JSON.stringify(d.updateCustomField))),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.deleteCustomField',
    objects: ['fresh', 'inUse'],
    run: async (h, who, object) =>
      outcome(await h.req(who, 'mutation($n: String!) { deleteCustomField(name: $n) }', { n: await freshField(h, object === 'inUse') }), (d) =>
        d.deleteCustomField === true ? 'ok' : wrong(JSON.stringify(d)),
      ),
  },
  {
    endpoint: I,
    field: 'Mutation.setCustomField',
    objects: CASES,
    run: async (h, who, object) => {
      const name = await h.once('customField', () => freshField(h));
      const c = await h.freshCase(object as CaseKind);
      return outcome(
        await h.req(who, 'mutation($id: ID!, $n: String!) { setCustomField(caseId: $id, name: $n, value: "set") { id customFields { name value } } }', {
          id: c.id,
          n: name,
        }),
        (d) =>
          d.setCustomField.customFields.some((v: { name: string; value: unknown }) => v.name === name && v.value === 'set')
            ? 'ok'
            : wrong(JSON.stringify(d.setCustomField)),
      );
    },
  },
  {
    // Each persona creates in its own active organisation (R33).
    endpoint: I,
    field: 'Mutation.createCaseTemplate',
    objects: ['fresh'],
    run: async (h, who) => {
      const name = uniq('tpl-');
      return outcome(await h.req(who, 'mutation($n: String!) { createCaseTemplate(input: { name: $n }) { name } }', { n: name }), (d) =>
        d.createCaseTemplate.name === name ? 'ok' : wrong(JSON.stringify(d.createCaseTemplate)),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.updateCaseTemplate',
    objects: ['socTemplate'],
    run: async (h, who) =>
      outcome(
        await h.req(who, 'mutation($n: String!) { updateCaseTemplate(name: $n, input: { severity: 4 }) { severity } }', { n: await freshSocTemplate(h) }),
        (d) => (d.updateCaseTemplate.severity === 4 ? 'ok' : wrong(JSON.stringify(d.updateCaseTemplate))),
      ),
  },
  {
    endpoint: I,
    field: 'Mutation.deleteCaseTemplate',
    objects: ['socTemplate'],
    run: async (h, who) =>
      outcome(await h.req(who, 'mutation($n: String!) { deleteCaseTemplate(name: $n) }', { n: await freshSocTemplate(h) }), (d) =>
        d.deleteCaseTemplate === true ? 'ok' : wrong(JSON.stringify(d)),
      ),
  },
];

// ---------------------------------------------------------------------------------------------
// R36 configuration and R37 Cortex.

const JOB_STARTED = (field: string, kind: string) => (d: Record<string, any>) =>
  d[field].status === 'WAITING' && d[field].kind === kind ? 'ok' : wrong(JSON.stringify(d[field]));

const configAndCortex: Op[] = [
  {
    endpoint: I,
    field: 'Query.config',
    objects: ['-'],
    run: async (h, who) =>
      outcome(await h.req(who, '{ config { key source } }'), (d) =>
        d.config.some((c: { key: string }) => c.key === 'cortexEnabled') ? 'ok' : wrong(JSON.stringify(d.config)),
      ),
  },
  {
    endpoint: I,
    field: 'Query.analyzerTemplates',
    objects: ['-'],
    run: async (h, who) => {
      const analyzer = await h.once('analyzerTemplate', async () => {
        const a = uniq('Matrix_read_');
        await h.ok(h.who.admin, 'mutation($a: String!) { createAnalyzerTemplate(analyzer: $a, content: "read") { id } }', { a });
        return a;
      });
      return outcome(await h.req(who, '{ analyzerTemplates { analyzer } }'), (d) =>
        present(d.analyzerTemplates.some((t: { analyzer: string }) => t.analyzer === analyzer)),
      );
    },
  },
  {
    // The environment's own value: even a wrongly allowed change changes nothing for the other cells.
    endpoint: I,
    field: 'Mutation.setConfig',
    objects: ['sessionTtlSeconds', 'badValue'],
    run: async (h, who, object) => {
      const value = object === 'badValue' ? 'eight hours' : h.server.config.sessionTtlSeconds;
      return outcome(await h.req(who, 'mutation($v: JSON) { setConfig(key: "sessionTtlSeconds", value: $v) { key value source } }', { v: value }), (d) =>
        d.setConfig.value === value && d.setConfig.source === 'CHANGED' ? 'ok' : wrong(JSON.stringify(d.setConfig)),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.resetConfig',
    objects: ['sessionTtlSeconds'],
    run: async (h, who) =>
      outcome(await h.req(who, 'mutation { resetConfig(key: "sessionTtlSeconds") { value source } }'), (d) =>
        d.resetConfig.source === 'ENVIRONMENT' && d.resetConfig.value === h.server.config.sessionTtlSeconds ? 'ok' : wrong(JSON.stringify(d.resetConfig)),
      ),
  },
  ...(['create', 'update', 'delete'] as const).map((verb): Op => ({
    endpoint: I,
    field: `Mutation.${verb}AnalyzerTemplate`,
    objects: verb === 'create' ? ['fresh', 'taken'] : verb === 'update' ? ['fresh', 'absent'] : ['fresh'],
    run: async (h, who, object) => {
      const analyzer = uniq('Matrix_');
      if ((verb !== 'create' && object === 'fresh') || object === 'taken') {
        await h.ok(h.who.admin, 'mutation($a: String!) { createAnalyzerTemplate(analyzer: $a, content: "before") { id } }', { a: analyzer });
      }
      const q =
        verb === 'delete'
          ? 'mutation($a: String!) { deleteAnalyzerTemplate(analyzer: $a) }'
          : `mutation($a: String!) { ${verb}AnalyzerTemplate(analyzer: $a, content: "by matrix") { analyzer content } }`;
      return outcome(await h.req(who, q, { a: analyzer }), async (d) => {
        const left = (await h.ok(h.who.admin, '{ analyzerTemplates { analyzer content } }')).analyzerTemplates.find(
          (t: { analyzer: string }) => t.analyzer === analyzer,
        );
        if (verb === 'delete') return d.deleteAnalyzerTemplate === true && !left ? 'ok' : wrong('the template is still there');
        return left?.content === 'by matrix' ? 'ok' : wrong(JSON.stringify(left));
      });
    },
  })),
  {
    endpoint: I,
    field: 'Mutation.runAnalyzer',
    objects: ITEMS,
    run: async (h, who, object) => {
      const item = await h.freshItem('observable', object as ItemKind);
      return outcome(
        await h.req(who, 'mutation($id: ID!) { runAnalyzer(observableId: $id, analyzer: "Matrix_1_0") { status kind } }', { id: item.id }),
        JOB_STARTED('runAnalyzer', 'ANALYZER'),
      );
    },
  },
  {
    endpoint: I,
    field: 'Mutation.runResponder',
    objects: [...CASES, 'task:socCaseSharedAnalyst', 'task:socCaseSharedRO-manual', 'observable:socCaseSharedRO-sharedOne'],
    run: async (h, who, object) => {
      const [type, kind] = object.includes(':') ? (object.split(':') as ['task' | 'observable', ItemKind]) : (['case', object] as const);
      const id = type === 'case' ? (await h.freshCase(kind as CaseKind)).id : (await h.freshItem(type, kind as ItemKind)).id;
      return outcome(
        await h.req(who, 'mutation($t: ResponderTarget!, $id: ID!) { runResponder(target: $t, id: $id, responder: "Matrix_1_0") { status kind } }', {
          t: type.toUpperCase(),
          id,
        }),
        JOB_STARTED('runResponder', 'RESPONDER'),
      );
    },
  },
];

export const INTERNAL_OPS = defineOps([
  ...queries,
  ...accounts,
  ...organisationsAndProfiles,
  ...caseOps,
  ...shareOps,
  ...itemOps,
  ...commentsAndAttachments,
  ...externalAccess,
  ...configAndCortex,
  liveFeed,
  ...caseWorkOps,
]);
