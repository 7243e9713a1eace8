import { countStatements as statements } from '../../support/count-statements';
import { Persona } from '../../fixtures/world';
import { addComment, attach, createCase, download, grant, inviteExternalUser, PORTAL_ADD_ATTACHMENT, shareCase, uploadRequest } from '../../fixtures/portal';
import { useWorldWithSmtp } from '../../support/use-world';

const { server, world, smtp } = useWorldWithSmtp();
/** soc's external users: actor (external-actor), reader (external-reader); partner's: partnerActor. */
let actor: Persona;
let reader: Persona;
let partnerActor: Persona;

const CASES = '{ cases { id title } }';
const CASE =
  'query($id: ID!) { case(id: $id) { id title description severity status sharedExternally comments { id message author } attachments { id name size contentType } observables { id dataType data message } } }';
const GRANT = 'mutation($c: ID!, $l: String!) { grantExternalAccess(caseId: $c, login: $l) { id sharedExternally externalUsers { login } } }';
const REVOKE = 'mutation($c: ID!, $l: String!) { revokeExternalAccess(caseId: $c, login: $l) }';
const INTERNAL_CASE = 'query($id: ID!) { case(id: $id) { sharedExternally externalUsers { login type } } }';
const P_CREATE = 'mutation($input: PortalCreateCaseInput!) { createCase(input: $input) { id number title description severity status sharedExternally } }';
const P_COMMENT = 'mutation($c: ID!, $m: String!) { addComment(caseId: $c, message: $m) { id message author } }';
const P_OBSERVABLE = 'mutation($c: ID!, $i: PortalObservableInput!) { addObservable(caseId: $c, input: $i) { id dataType data message } }';
const CREATE_OBSERVABLE = 'mutation($c: ID!, $i: CreateObservableInput!) { createObservable(caseId: $c, input: $i) { id } }';

const portal = (query: string, variables: Record<string, unknown>, who: Persona) => server.client.request(query, variables, who, 'portal');
const portalOk = (query: string, variables: Record<string, unknown>, who: Persona) => server.client.ok(query, variables, who, 'portal');
const portalCode = (query: string, variables: Record<string, unknown>, who: Persona) => server.client.code(query, variables, who, 'portal');
const handler = () => world.soc['incident-handler'];

/** A soc case granted to the given external users. */
async function grantedCase(title: string, ...users: Persona[]): Promise<string> {
  const id = await createCase(server, handler(), title);
  for (const u of users) await grant(server, handler(), id, u.login);
  return id;
}

beforeAll(async () => {
  actor = await inviteExternalUser(server, smtp, world.soc['org-admin'], 'actor@client.test', { name: 'Client Actor' });
  reader = await inviteExternalUser(server, smtp, world.soc['org-admin'], 'reader@client.test', { name: 'Client Reader', profile: 'external-reader' });
  partnerActor = await inviteExternalUser(server, smtp, world.partner['org-admin'], 'actor@partner-client.test', { name: 'Partner Client' });
});

describe('grants (R23)', () => {
  it('R23: an external user sees exactly the cases granted to them; Case.sharedExternally and externalUsers say so', async () => {
    const granted = await createCase(server, handler(), 'R23 granted');
    const other = await createCase(server, handler(), 'R23 not granted');
    expect((await server.client.ok(INTERNAL_CASE, { id: granted }, handler())).case).toEqual({ sharedExternally: false, externalUsers: [] });
    const data = await server.client.ok(GRANT, { c: granted, l: actor.login }, handler());
    expect(data.grantExternalAccess).toEqual({ id: granted, sharedExternally: true, externalUsers: [{ login: actor.login }] });
    const cases = (await portalOk(CASES, {}, actor)).cases.map((c: { id: string }) => c.id);
    expect(cases).toContain(granted);
    expect(cases).not.toContain(other);
    expect((await portalOk(CASE, { id: granted }, actor)).case.title).toBe('R23 granted');
    expect((await portalOk(CASE, { id: other }, actor)).case).toBeNull();
    expect((await portalOk(CASE, { id: granted }, reader)).case).toBeNull();
    expect((await portalOk(CASE, { id: 'not-a-uuid' }, actor)).case).toBeNull();
    // Every organisation that sees the case sees the indicator (partner through a share).
    await shareCase(server, handler(), granted, 'partner', 'read-only');
    expect((await server.client.ok(INTERNAL_CASE, { id: granted }, world.partner['read-only'])).case.sharedExternally).toBe(true);
  });

  it('R23: revoking takes effect on the next request (also for a session opened before)', async () => {
    const id = await grantedCase('R23 revoke', actor);
    expect((await portalOk(CASE, { id }, actor)).case).not.toBeNull();
    expect((await server.client.ok(REVOKE, { c: id, l: actor.login }, handler())).revokeExternalAccess).toBe(true);
    expect((await portalOk(CASE, { id }, actor)).case).toBeNull();
    expect((await portalOk(CASES, {}, actor)).cases.map((c: { id: string }) => c.id)).not.toContain(id);
    expect((await server.client.ok(INTERNAL_CASE, { id }, handler())).case).toEqual({ sharedExternally: false, externalUsers: [] });
    expect(await server.client.code(REVOKE, { c: id, l: actor.login }, handler())).toBe('NOT_FOUND');
    const entries = await server.sql('SELECT action FROM audit WHERE case_id = $1 AND object_type = $2 ORDER BY created_at, id', [id, 'ExternalGrant']);
    expect(entries.map((e) => e.action)).toEqual(['externalgrant.create', 'externalgrant.delete']);
  });

  it('R19/R23: granting and revoking need manageExternalShare on the case: analyst → FORBIDDEN, through a share without it → FORBIDDEN, invisible case → NOT_FOUND', async () => {
    const id = await createCase(server, handler(), 'R23 who may grant');
    await shareCase(server, handler(), id, 'partner', 'analyst');
    expect(await server.client.code(GRANT, { c: id, l: actor.login }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await server.client.code(GRANT, { c: id, l: partnerActor.login }, world.partner['incident-handler'])).toBe('FORBIDDEN');
    expect(await server.client.code(GRANT, { c: id, l: actor.login }, world.stranger['incident-handler'])).toBe('NOT_FOUND');
    expect(await server.client.code(GRANT, { c: 'nope', l: actor.login }, handler())).toBe('NOT_FOUND');
    await server.client.ok(GRANT, { c: id, l: actor.login }, world.soc['org-admin']);
    expect(await server.client.code(REVOKE, { c: id, l: actor.login }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await server.client.code(REVOKE, { c: id, l: actor.login }, world.stranger['incident-handler'])).toBe('NOT_FOUND');
    expect((await portalOk(CASE, { id }, actor)).case).not.toBeNull();
  });

  it('R23: only external users who belong to an organisation holding the case; internal users → BAD_USER_INPUT; unknown → NOT_FOUND; twice is harmless', async () => {
    const id = await createCase(server, handler(), 'R23 who may be granted');
    expect(await server.client.code(GRANT, { c: id, l: world.soc.analyst.login }, handler())).toBe('BAD_USER_INPUT');
    expect(await server.client.code(GRANT, { c: id, l: partnerActor.login }, handler())).toBe('BAD_USER_INPUT');
    expect(await server.client.code(GRANT, { c: id, l: 'nobody@nowhere.test' }, handler())).toBe('NOT_FOUND');
    await shareCase(server, handler(), id, 'partner', 'read-only');
    await server.client.ok(GRANT, { c: id, l: partnerActor.login }, handler());
    await server.client.ok(GRANT, { c: id, l: partnerActor.login }, handler());
    expect(await server.sql('SELECT 1 FROM external_grant WHERE case_id = $1', [id])).toHaveLength(1);
    expect((await portalOk(CASE, { id }, partnerActor)).case.title).toBe('R23 who may be granted');
  });

  it("R23: when the external user's organisation loses its share, the grant no longer shows the case", async () => {
    const id = await createCase(server, handler(), 'R23 unshared');
    await shareCase(server, handler(), id, 'partner', 'read-only');
    await grant(server, handler(), id, partnerActor.login);
    expect((await portalOk(CASE, { id }, partnerActor)).case).not.toBeNull();
    await server.client.ok('mutation($c: ID!) { unshareCase(caseId: $c, organisation: "partner") }', { c: id }, handler());
    expect((await portalOk(CASE, { id }, partnerActor)).case).toBeNull();
  });

  it('R20/R23: an external user can never be assigned a case', async () => {
    const id = await grantedCase('R20 no external assignee', actor);
    expect(await server.client.code('mutation($c: ID!, $l: String) { assignCase(id: $c, login: $l) { id } }', { c: id, l: actor.login }, handler())).toBe(
      'BAD_USER_INPUT',
    );
  });
});

describe('external flags (R24, R25)', () => {
  it('R24: only comments marked external are shown; unmarking hides them on the next request', async () => {
    const id = await grantedCase('R24 comments', actor);
    await addComment(server, world.soc.analyst, id, 'internal only');
    const shown = await addComment(server, handler(), id, 'for the client', true);
    const later = await addComment(server, world.soc.analyst, id, 'flagged later');
    const messages = async () => (await portalOk(CASE, { id }, actor)).case.comments.map((c: { message: string }) => c.message);
    expect(await messages()).toEqual(['for the client']);
    await server.client.ok('mutation($id: ID!) { setCommentExternal(id: $id, external: true) { id } }', { id: later }, handler());
    expect(await messages()).toEqual(['for the client', 'flagged later']);
    await server.client.ok('mutation($id: ID!) { setCommentExternal(id: $id, external: false) { id } }', { id: shown }, handler());
    expect(await messages()).toEqual(['flagged later']);
  });

  it('R27: an internal author is shown as the owner organisation, never by name; a portal author by name', async () => {
    const id = await grantedCase('R27 authors', actor);
    await shareCase(server, handler(), id, 'partner', 'incident-handler');
    await addComment(server, handler(), id, 'from soc', true);
    await addComment(server, world.partner['incident-handler'], id, 'from partner', true);
    await portalOk(P_COMMENT, { c: id, m: 'from the client' }, actor);
    const comments = (await portalOk(CASE, { id }, actor)).case.comments;
    expect(comments.map((c: { message: string; author: string }) => [c.message, c.author])).toEqual([
      ['from soc', 'soc'],
      ['from partner', 'soc'],
      ['from the client', 'Client Actor'],
    ]);
  });

  it('R24: only attachments marked external are listed and downloadable; unmarking hides them on the next request', async () => {
    const id = await grantedCase('R24 attachments', actor);
    const internal = await attach(server, world.soc.analyst, id, { name: 'internal.txt', content: 'internal bytes' });
    const external = await attach(server, handler(), id, { name: 'external.txt', content: 'external bytes', type: 'text/plain' }, true);
    const names = async () => (await portalOk(CASE, { id }, actor)).case.attachments.map((a: { name: string }) => a.name);
    expect(await names()).toEqual(['external.txt']);
    const ok = await download(server, external, actor);
    expect([ok.status, ok.body.toString()]).toEqual([200, 'external bytes']);
    expect(ok.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect((await download(server, internal, actor)).status).toBe(404);
    expect((await download(server, external, reader)).status).toBe(404);
    await server.client.ok('mutation($id: ID!) { setAttachmentExternal(id: $id, external: false) { id } }', { id: external }, handler());
    expect(await names()).toEqual([]);
    expect((await download(server, external, actor)).status).toBe(404);
  });

  it('R25: observables of analysts are never shown; observables added through the portal are shown there and internally', async () => {
    const id = await grantedCase('R25 observables', actor);
    await server.client.ok(CREATE_OBSERVABLE, { c: id, i: { dataType: 'domain', data: 'analyst.example', message: 'analyst finding' } }, world.soc.analyst);
    const added = await portalOk(P_OBSERVABLE, { c: id, i: { dataType: 'ip', data: '198.51.100.7', message: 'seen on our proxy' } }, actor);
    expect(added.addObservable).toMatchObject({ dataType: 'ip', data: '198.51.100.7', message: 'seen on our proxy' });
    expect((await portalOk(CASE, { id }, actor)).case.observables.map((o: { data: string }) => o.data)).toEqual(['198.51.100.7']);
    const internal = await server.client.ok('query($id: ID!) { case(id: $id) { observables { data createdByExternal } } }', { id }, world.soc['read-only']);
    expect(internal.case.observables).toEqual(
      expect.arrayContaining([
        { data: 'analyst.example', createdByExternal: false },
        { data: '198.51.100.7', createdByExternal: true },
      ]),
    );
  });

  it('R25: no mutation can make an analyst observable visible (the internal schema has no such argument)', async () => {
    const data = await server.client.ok(
      `{
      update: __type(name: "UpdateObservableInput") { inputFields { name } }
      create: __type(name: "CreateObservableInput") { inputFields { name } }
      mutation: __type(name: "Mutation") { fields { name args { name } } } }`,
      {},
      world.soc.analyst,
    );
    const names = [...data.update.inputFields, ...data.create.inputFields].map((f: { name: string }) => f.name);
    expect(names.filter((n) => /external/i.test(n))).toEqual([]);
    const observableMutations = data.mutation.fields.filter((f: { name: string }) => /observable/i.test(f.name));
    expect(observableMutations.flatMap((f: { args: Array<{ name: string }> }) => f.args.map((a) => a.name)).filter((n: string) => /external/i.test(n))).toEqual(
      [],
    );
  });
});

describe('portal writes (R26)', () => {
  it("R26 R28: portalCreateCase: the case belongs to the caller's organisation and is granted to the caller, audited once", async () => {
    const data = await portalOk(P_CREATE, { input: { title: 'Reported by client', description: 'phishing mail received', severity: 3 } }, actor);
    const created = data.createCase;
    expect(created).toMatchObject({ title: 'Reported by client', description: 'phishing mail received', severity: 3, status: 'NEW', sharedExternally: true });
    expect((await portalOk(CASES, {}, actor)).cases.map((c: { id: string }) => c.id)).toContain(created.id);
    const internal = await server.client.ok(
      'query($id: ID!) { case(id: $id) { organisation { name } createdBy { login type } sharedExternally externalUsers { login } } }',
      { id: created.id },
      world.soc['incident-handler'],
    );
    expect(internal.case).toEqual({
      organisation: { name: 'soc' },
      createdBy: { login: actor.login, type: 'EXTERNAL' },
      sharedExternally: true,
      externalUsers: [{ login: actor.login }],
    });
    // Who has portal access is for those who manage it (Case.externalUsers @requires manageExternalShare);
    // a read-only member still sees the indicator.
    const readOnly = await server.client.ok(
      'query($id: ID!) { case(id: $id) { sharedExternally externalUsers { login } } }',
      { id: created.id },
      world.soc['read-only'],
    );
    expect(readOnly.case).toEqual({ sharedExternally: true, externalUsers: [] });
    expect((await portalOk(CASE, { id: created.id }, reader)).case).toBeNull();
    // R28: one write, one entry — the reporter's grant is part of the creation and named in it.
    const audit = await server.sql('SELECT action, via_portal, details FROM audit WHERE case_id = $1 ORDER BY created_at, id', [created.id]);
    expect(audit).toEqual([
      { action: 'case.create', via_portal: true, details: expect.objectContaining({ title: 'Reported by client', externalGrant: { login: actor.login } }) },
    ]);
    const history = await server.client.ok(
      'query($id: ID!) { caseHistory(caseId: $id) { action viaPortal actor { login } details } }',
      { id: created.id },
      world.soc['read-only'],
    );
    expect(history.caseHistory).toEqual([
      { action: 'case.create', viaPortal: true, actor: { login: actor.login }, details: expect.objectContaining({ externalGrant: { login: actor.login } }) },
    ]);
    // R23: "or they created it": the reporter keeps seeing the case without a grant.
    expect((await server.client.ok(REVOKE, { c: created.id, l: actor.login }, handler())).revokeExternalAccess).toBe(true);
    expect((await portalOk(CASE, { id: created.id }, actor)).case).toMatchObject({ id: created.id, sharedExternally: true });
    expect((await server.client.ok(INTERNAL_CASE, { id: created.id }, handler())).case).toEqual({
      sharedExternally: true,
      externalUsers: [{ login: actor.login, type: 'EXTERNAL' }],
    });
  });

  it('R26: comments, attachments and observables are added to visible cases, external and via the portal, and audited as portal actions', async () => {
    const id = await grantedCase('R26 additions', actor);
    const comment = (await portalOk(P_COMMENT, { c: id, m: 'here is the header dump' }, actor)).addComment;
    expect(comment).toMatchObject({ message: 'here is the header dump', author: 'Client Actor' });
    const up = await uploadRequest(
      server,
      PORTAL_ADD_ATTACHMENT,
      { caseId: id },
      { name: 'headers.eml', content: 'Received: from x', type: 'message/rfc822' },
      actor,
      'portal',
    );
    expect(up.errors).toBeUndefined();
    expect(up.data.addAttachment).toMatchObject({ name: 'headers.eml', size: 16, contentType: 'message/rfc822' });
    const obs = (await portalOk(P_OBSERVABLE, { c: id, i: { dataType: 'mail', data: 'attacker@evil.test' } }, actor)).addObservable;
    const [c] = await server.sql('SELECT external, via_portal FROM comment WHERE id = $1', [comment.id]);
    const [a] = await server.sql('SELECT external, via_portal FROM attachment WHERE id = $1', [up.data.addAttachment.id]);
    const [o] = await server.sql('SELECT created_by_external FROM observable WHERE id = $1', [obs.id]);
    expect([c, a, o]).toEqual([{ external: true, via_portal: true }, { external: true, via_portal: true }, { created_by_external: true }]);
    const internal = await server.client.ok(
      'query($id: ID!) { case(id: $id) { comments { message external viaPortal } attachments { name external viaPortal } } }',
      { id },
      world.soc.analyst,
    );
    expect(internal.case.comments).toEqual([{ message: 'here is the header dump', external: true, viaPortal: true }]);
    expect(internal.case.attachments).toEqual([{ name: 'headers.eml', external: true, viaPortal: true }]);
    expect((await download(server, up.data.addAttachment.id, actor)).body.toString()).toBe('Received: from x');
    const audit = await server.sql('SELECT action, via_portal FROM audit WHERE case_id = $1 AND object_type <> $2 ORDER BY created_at, id', [
      id,
      'ExternalGrant',
    ]);
    expect(audit.slice(1)).toEqual([
      { action: 'comment.create', via_portal: true },
      { action: 'attachment.create', via_portal: true },
      { action: 'observable.create', via_portal: true },
    ]);
  });

  it("R17/R25: a portal observable is shared like a new one: the caller's organisation and every share with rule ALL", async () => {
    const id = await createCase(server, handler(), 'R17 portal observable shares');
    await shareCase(server, handler(), id, 'partner', 'read-only', { observables: 'ALL' });
    await grant(server, handler(), id, actor.login);
    const obs = (await portalOk(P_OBSERVABLE, { c: id, i: { dataType: 'domain', data: 'shared.example' } }, actor)).addObservable;
    const partnerView = await server.client.ok('query($id: ID!) { case(id: $id) { observables { id } } }', { id }, world.partner['read-only']);
    expect(partnerView.case.observables).toEqual([{ id: obs.id }]);
  });

  it('R26: without the portal permission (external-reader) → FORBIDDEN, and nothing is written', async () => {
    const id = await grantedCase('R26 reader', reader);
    expect(await portalCode(P_CREATE, { input: { title: 'reader case' } }, reader)).toBe('FORBIDDEN');
    expect(await portalCode(P_COMMENT, { c: id, m: 'reader comment' }, reader)).toBe('FORBIDDEN');
    expect(await portalCode(P_OBSERVABLE, { c: id, i: { dataType: 'domain', data: 'reader.example' } }, reader)).toBe('FORBIDDEN');
    const up = await uploadRequest(server, PORTAL_ADD_ATTACHMENT, { caseId: id }, { name: 'reader.txt', content: 'reader' }, reader, 'portal');
    expect(up.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await server.sql('SELECT 1 FROM comment WHERE case_id = $1', [id])).toHaveLength(0);
    expect(await server.sql('SELECT 1 FROM "case" WHERE title = \'reader case\'')).toHaveLength(0);
  });

  it('R23/R26: a case the caller cannot see is absent for every write (NOT_FOUND)', async () => {
    const id = await createCase(server, handler(), 'R26 not granted');
    expect(await portalCode(P_COMMENT, { c: id, m: 'sneaky' }, actor)).toBe('NOT_FOUND');
    expect(await portalCode(P_OBSERVABLE, { c: id, i: { dataType: 'domain', data: 'sneaky.example' } }, actor)).toBe('NOT_FOUND');
    const up = await uploadRequest(server, PORTAL_ADD_ATTACHMENT, { caseId: id }, { name: 'sneaky.txt', content: 'sneaky' }, actor, 'portal');
    expect(up.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await portalCode(P_COMMENT, { c: 'nope', m: 'sneaky' }, actor)).toBe('NOT_FOUND');
    expect(
      await server.sql(
        'SELECT 1 FROM comment WHERE case_id = $1 UNION ALL SELECT 1 FROM attachment WHERE case_id = $1 UNION ALL SELECT 1 FROM observable WHERE case_id = $1',
        [id],
      ),
    ).toHaveLength(0);
  });

  it('validates portal input like the internal API (BAD_USER_INPUT)', async () => {
    const id = await grantedCase('R26 validation', actor);
    expect(await portalCode(P_CREATE, { input: { title: '  ' } }, actor)).toBe('BAD_USER_INPUT');
    expect(await portalCode(P_CREATE, { input: { title: 'x', severity: 9 } }, actor)).toBe('BAD_USER_INPUT');
    expect(await portalCode(P_COMMENT, { c: id, m: '' }, actor)).toBe('BAD_USER_INPUT');
    expect(await portalCode(P_OBSERVABLE, { c: id, i: { dataType: 'no-such-type', data: 'x' } }, actor)).toBe('BAD_USER_INPUT');
  });
});

describe('the portal surface (R27)', () => {
  it('R27: external users cannot edit or delete: the portal has no such mutation, and internal mutations are unknown there', async () => {
    const res = await portal('mutation { updateCase(id: "x", input: { title: "y" }) { id } }', {}, actor);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const del = await portal('mutation { deleteCase(id: "x") }', {}, actor);
    expect(del.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const users = await portal('{ users { login } }', {}, actor);
    expect(users.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('R11/R22: a locked external user is refused at once; logout ends the session', async () => {
    const temp = await inviteExternalUser(server, smtp, world.soc['org-admin'], 'temp@client.test');
    expect((await portalOk('{ me { login } }', {}, temp)).me.login).toBe('temp@client.test');
    await server.client.ok('mutation { lockUser(login: "temp@client.test", locked: true) { id } }', {}, world.soc['org-admin']);
    expect(await portalCode('{ me { login } }', {}, temp)).toBe('UNAUTHENTICATED');
    const session = { ...actor, token: await server.client.login(actor.login, 'portal-password-1', 'portal') };
    expect((await portalOk('mutation { logout }', {}, session)).logout).toBe(true);
    expect(await portalCode('{ me { login } }', {}, session)).toBe('UNAUTHENTICATED');
  });
});

describe('statements per request (performance.md)', () => {
  async function caseWithEverything(title: string, who: Persona): Promise<string> {
    const id = await grantedCase(title, who);
    await addComment(server, handler(), id, `${title} comment`, true);
    await attach(server, handler(), id, { name: `${title}.txt`, content: title }, true);
    await portalOk(P_OBSERVABLE, { c: id, i: { dataType: 'domain', data: `${title.replace(/\W/g, '')}.example` } }, who);
    return id;
  }

  it('a page of cases costs the same number of statements whatever its size (internal Case fields and portal lists)', async () => {
    const perf = await inviteExternalUser(server, smtp, world.soc['org-admin'], 'perf@client.test');
    // Four aliased cases: with one distinct case they are the same case four times, then four cases.
    const internalQuery = `query($c0: ID!, $c1: ID!, $c2: ID!, $c3: ID!) { ${[0, 1, 2, 3]
      .map(
        (i) =>
          `c${i}: case(id: $c${i}) { comments { id createdBy { login } } attachments { id createdBy { login } } externalUsers { login } sharedExternally }`,
      )
      .join(' ')} }`;
    const internal = (ids: string[]) =>
      server.client.ok(internalQuery, Object.fromEntries([0, 1, 2, 3].map((i) => [`c${i}`, ids[i % ids.length]])), world.soc.analyst);
    const portalList = () => portalOk('{ cases { id comments { author } attachments { id } observables { id } } }', {}, perf);

    const first = await caseWithEverything('perf one', perf);
    const oneCase = [await statements(() => internal([first])), await statements(portalList)];
    const more = [first];
    for (const t of ['perf two', 'perf three', 'perf four']) more.push(await caseWithEverything(t, perf));
    const fourCases = [await statements(() => internal(more)), await statements(portalList)];
    expect((await portalList()).cases).toHaveLength(4);
    expect(oneCase.every((n) => n > 0)).toBe(true); // the counter does see the server's statements
    expect(fourCases).toEqual(oneCase);
  });
});
