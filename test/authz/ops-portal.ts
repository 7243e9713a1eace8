import { ACCEPT_INVITATION, addComment, grant, PORTAL_ADD_ATTACHMENT, uploadRequest } from '../fixtures/portal';
import { createObservableAs } from '../fixtures/cases';
import { Harness, uniq, Who } from './harness';
import { defineOps, Op, outcome, present, wrong } from './ops';

/**
 * The portal schema's root fields (/portal/graphql). The portal personas are soc's
 * external-reader and external-actor; their cases are soc cases granted to them or reported
 * by them (R23). Internal personas are refused at this endpoint (R22).
 */

const P = 'portal' as const;
const REVOKE = 'mutation($c: ID!, $l: String!) { revokeExternalAccess(caseId: $c, login: $l) }';

interface PortalFixture {
  id: string;
  externalComment: string;
}

/**
 * A soc case as the portal may see it: an internal and an external comment and an analyst's
 * observable (R24, R25: only the external comment may ever reach the portal).
 */
async function portalCase(h: Harness, situation: string): Promise<PortalFixture> {
  const handler = h.internal('soc', 'incident-handler').actor;
  const id = situation === 'reportedByActor' ? await h.reportedCase() : (await h.freshCase('socCase')).id;
  await addComment(h.server, handler, id, 'internal only');
  const externalComment = await addComment(h.server, handler, id, 'for the client', true);
  await createObservableAs(h.server.client, handler, id, `${uniq('internal-obs')}.example`);
  const granted =
    ({ grantedToBoth: ['ext/reader', 'ext/actor'], grantedToActorOnly: ['ext/actor'], revoked: ['ext/reader', 'ext/actor'] } as Record<string, string[]>)[
      situation
    ] ?? [];
  for (const k of granted) await grant(h.server, handler, id, h.who[k as 'ext/actor'].login!);
  if (situation === 'revoked') for (const k of granted) await h.ok(handler, REVOKE, { c: id, l: h.who[k as 'ext/actor'].login });
  return { id, externalComment };
}

const READ_OBJECTS = ['grantedToBoth', 'grantedToActorOnly', 'reportedByActor', 'notGranted', 'revoked'];
const readFixture = (h: Harness, object: string) => h.once(`portal:${object}`, () => portalCase(h, object));

/** What a visible portal case must hold: the external comment only, no analyst observable, no internal attachment (R24, R25, R27). */
function portalContent(c: { comments: Array<{ id: string }>; observables: unknown[]; attachments: unknown[] }, f: PortalFixture): true | string {
  const comments = c.comments.map((x) => x.id);
  if (comments.length !== 1 || comments[0] !== f.externalComment) return `comments ${JSON.stringify(comments)}: only the external one may show`;
  if (c.observables.length || c.attachments.length) return 'an internal observable or attachment is shown';
  return true;
}

/** A case the caller may write to in the portal, or not, per the object's situation. */
async function writeTarget(h: Harness, who: Who, object: string): Promise<string> {
  if (object === 'reportedByActor') return h.reportedCase();
  if (object === 'notGranted') return (await h.freshCase('socCase')).id;
  const id = await h.grantedCase(who);
  if (object === 'revoked' && who.kind === 'external') await h.ok(h.internal('soc', 'incident-handler'), REVOKE, { c: id, l: who.login });
  return id;
}

const WRITE_OBJECTS = ['grantedToCaller', 'notGranted', 'revoked', 'reportedByActor'];

const ops: Op[] = [
  {
    endpoint: P,
    field: 'Query.me',
    objects: ['-'],
    run: async (h, who) => outcome(await h.req(who, '{ me { login } }', {}, P), (d) => (d.me.login === who.login ? 'ok' : wrong(`me is ${d.me.login}`))),
  },
  {
    endpoint: P,
    field: 'Query.cases',
    objects: READ_OBJECTS,
    run: async (h, who, object) => {
      const f = await readFixture(h, object);
      return outcome(await h.req(who, '{ cases { id comments { id } observables { id } attachments { id } } }', {}, P), (d) => {
        const c = d.cases.find((x: { id: string }) => x.id === f.id);
        return present(!!c, c ? portalContent(c, f) : true);
      });
    },
  },
  {
    endpoint: P,
    field: 'Query.case',
    objects: READ_OBJECTS,
    run: async (h, who, object) => {
      const f = await readFixture(h, object);
      return outcome(await h.req(who, 'query($id: ID!) { case(id: $id) { id comments { id } observables { id } attachments { id } } }', { id: f.id }, P), (d) =>
        present(!!d.case, d.case ? portalContent(d.case, f) : true),
      );
    },
  },
  {
    endpoint: P,
    field: 'Mutation.login',
    objects: ['ownCredentials', 'wrongPassword'],
    run: async (h, who, object) => {
      const login = who.login ?? 'nobody@nowhere.test';
      const password = object === 'wrongPassword' || !who.password ? 'wrong-password-1' : who.password;
      return outcome(
        await h.req({}, 'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token user { login } } }', { l: login, p: password }, P),
        async (d) => {
          const me = await h.req({ token: d.login.token }, '{ me { login } }', {}, P);
          return me.data?.me?.login === login ? 'ok' : wrong('the portal session does not work');
        },
      );
    },
  },
  {
    endpoint: P,
    field: 'Mutation.logout',
    objects: ['-'],
    run: async (h, who) => {
      const token = who.kind === 'anon' ? undefined : await h.server.client.login(who.login!, who.password!, who.kind === 'external' ? 'portal' : 'internal');
      const actor = { token, organisation: who.actor.organisation };
      return outcome(await h.req(actor, 'mutation { logout }', {}, P), async (d) => {
        const after = await h.req(actor, '{ me { login } }', {}, P);
        return d.logout === true && after.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED' ? 'ok' : wrong('the session still works after logout');
      });
    },
  },
  {
    // @public: the invitation token is the credential; whatever the caller's own headers say (R21).
    endpoint: P,
    field: 'Mutation.acceptInvitation',
    objects: ['validToken', 'usedToken'],
    run: async (h, who, object) => {
      const { login, invitation } = await h.freshExternal('soc');
      if (object === 'usedToken') await h.ok({}, ACCEPT_INVITATION, { token: invitation, password: 'first-password-1' }, P);
      return outcome(await h.req(who, ACCEPT_INVITATION, { token: invitation, password: 'portal-password-2' }, P), async (d) => {
        const me = await h.req({ token: d.acceptInvitation.token }, '{ me { login } }', {}, P);
        return d.acceptInvitation.user.login === login && me.data?.me?.login === login ? 'ok' : wrong('the new session does not work');
      });
    },
  },
  {
    endpoint: P,
    field: 'Mutation.createCase',
    objects: ['-'],
    run: async (h, who) =>
      outcome(await h.req(who, 'mutation($i: PortalCreateCaseInput!) { createCase(input: $i) { id } }', { i: { title: uniq('portal-') } }, P), async (d) => {
        // R26: the reporter sees the case at once.
        const seen = await h.req(who, 'query($id: ID!) { case(id: $id) { id } }', { id: d.createCase.id }, P);
        return seen.data?.case?.id === d.createCase.id ? 'ok' : wrong('the reporter does not see the new case');
      }),
  },
  {
    endpoint: P,
    field: 'Mutation.addComment',
    objects: WRITE_OBJECTS,
    run: async (h, who, object) => {
      const id = await writeTarget(h, who, object);
      return outcome(await h.req(who, 'mutation($c: ID!) { addComment(caseId: $c, message: "from the portal") { id message } }', { c: id }, P), (d) =>
        d.addComment.message === 'from the portal' ? 'ok' : wrong(JSON.stringify(d.addComment)),
      );
    },
  },
  {
    endpoint: P,
    field: 'Mutation.addAttachment',
    objects: WRITE_OBJECTS,
    run: async (h, who, object) => {
      const id = await writeTarget(h, who, object);
      const res = await uploadRequest(
        h.server,
        PORTAL_ADD_ATTACHMENT,
        { caseId: id },
        { name: 'portal.txt', content: 'from the portal', type: 'text/plain' },
        who.actor,
        P,
      );
      return outcome(res, (d) => (d.addAttachment.name === 'portal.txt' ? 'ok' : wrong(JSON.stringify(d.addAttachment))));
    },
  },
  {
    endpoint: P,
    field: 'Mutation.addObservable',
    objects: WRITE_OBJECTS,
    run: async (h, who, object) => {
      const id = await writeTarget(h, who, object);
      return outcome(
        await h.req(who, 'mutation($c: ID!) { addObservable(caseId: $c, input: { dataType: "domain", data: "portal.example" }) { id data } }', { c: id }, P),
        (d) => (d.addObservable.data === 'portal.example' ? 'ok' : wrong(JSON.stringify(d.addObservable))),
      );
    },
  },
];

export const PORTAL_OPS = defineOps(ops);
