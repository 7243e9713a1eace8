import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { Secrets } from '../../support/leak-detector';
import { Persona } from '../../fixtures/world';
import {
  addComment,
  attach,
  createCase,
  grant,
  inviteExternalUser,
  PORTAL_ADD_ATTACHMENT,
  PORTAL_PASSWORD,
  shareCase,
  uploadRequest,
} from '../../fixtures/portal';
import { useWorldWithSmtp } from '../../support/use-world';

/**
 * R27, proven by exhaustion: a unique secret is planted in every internal field the SOC can fill
 * (of the granted case, of other cases, of other organisations, of users, profiles and
 * organisations); then everything the portal user can reach — every field of every query, for
 * visible, invisible and malformed ids, every portal write's answer, every attachment URL found
 * or guessed — is collected, and no secret may appear in any of it. The last test proves the
 * detector works by exposing one internal comment and one internal attachment in the database.
 */

const { server, world, smtp } = useWorldWithSmtp();
let client: Persona;

const secrets = new Secrets();
/** A lower-case ASCII marker (survives JSON, URLs and login normalisation unchanged); see leak-detector.ts. */
const secret = (label: string) => secrets.plant(label);

const ids = { visible: '', created: '', other: '', stranger: '', partner: '' };
const internalAttachmentIds: string[] = [];
let internalCommentId = '';
let internalAttachmentId = '';
/** Raw bodies of the portal writes made in beforeAll. */
const writeBodies: string[] = [];

async function portalRaw(query: string, variables: Record<string, unknown> = {}, who: Persona = client): Promise<string> {
  const res = await fetch(`${server.url}/portal/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(who.token ? { authorization: `Bearer ${who.token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return res.text();
}

async function downloadRaw(id: string): Promise<string> {
  const res = await fetch(`${server.url}/attachments/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${client.token}` } });
  const headers = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
  return `${res.status}\n${headers}\n\n${Buffer.from(await res.arrayBuffer()).toString('latin1')}`;
}

/** Every field of a type, recursively (the portal types have no cycles; depth-capped anyway). */
function selection(type: GraphQLNamedType, depth = 0): string {
  if (!isObjectType(type) || depth > 5) return '';
  const fields = Object.values(type.getFields())
    .filter((f) => f.args.every((a) => !isNonNullType(a.type)))
    .map((f) => {
      const inner = getNamedType(f.type);
      return isScalarType(inner) || !isObjectType(inner) ? f.name : `${f.name} { ${selection(inner, depth + 1)} }`;
    });
  return ['__typename', ...fields].join(' ');
}

/** One query per root field (and per candidate id for id arguments) selecting everything under it. */
function queriesFor(schema: GraphQLSchema, candidateIds: string[]): Array<{ query: string; variables: Record<string, unknown> }> {
  const out: Array<{ query: string; variables: Record<string, unknown> }> = [];
  for (const field of Object.values(schema.getQueryType()!.getFields()) as Array<GraphQLField<unknown, unknown>>) {
    const sel = selection(getNamedType(field.type));
    const body = sel ? `{ ${sel} }` : '';
    if (!field.args.length) {
      out.push({ query: `{ ${field.name} ${body} }`, variables: {} });
      continue;
    }
    const decl = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
    const pass = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
    for (const id of candidateIds) {
      const variables = Object.fromEntries(field.args.map((a) => [a.name, getNullableType(a.type).toString() === 'ID' ? id : null]));
      out.push({ query: `query(${decl}) { ${field.name}(${pass}) ${body} }`, variables });
    }
  }
  return out;
}

/** Everything the portal user can read: every query's answer and every attachment reachable or guessable. */
async function harvest(): Promise<string[]> {
  const schema = buildClientSchema(JSON.parse(await portalRaw(getIntrospectionQuery())).data);
  const candidates = [...Object.values(ids), 'not-a-uuid', '00000000-0000-4000-8000-000000000000'];
  const bodies: string[] = [];
  const foundAttachments = new Set<string>();
  for (const { query, variables } of queriesFor(schema, candidates)) {
    const body = await portalRaw(query, variables);
    bodies.push(body);
    for (const m of body.matchAll(/"__typename":"PortalAttachment","id":"([^"]+)"/g)) foundAttachments.add(m[1]);
  }
  expect(foundAttachments.size).toBeGreaterThan(0); // the walk does reach attachments
  for (const id of [...foundAttachments, ...internalAttachmentIds]) bodies.push(await downloadRaw(id));
  return bodies;
}

const leaksIn = (bodies: string[]) => secrets.leaksIn(bodies);

beforeAll(async () => {
  const c = server.client;
  const admin = world.admin;
  const handler = world.soc['incident-handler'];

  // Organisation, profile and user names.
  const secretOrg = secret('orgname');
  await c.ok(
    'mutation($n: String!, $d: String!) { createOrganisation(name: $n, description: $d) { id } }',
    { n: secretOrg, d: secret('orgdescription') },
    admin,
  );
  await c.ok('mutation($to: String!) { linkOrganisations(from: "soc", to: $to) { id } }', { to: secretOrg }, admin);
  const secretProfile = secret('profilename');
  await c.ok('mutation($n: String!) { createProfile(name: $n, permissions: [manageCase]) { id } }', { n: secretProfile }, admin);
  const insiderLogin = `${secret('userlogin')}@soc.test`;
  await c.ok(
    `mutation($l: String!, $n: String!, $e: String!) {
    createUser(login: $l, name: $n, email: $e, password: "insider-password-1", organisation: "soc", profile: "incident-handler") { id } }`,
    { l: insiderLogin, n: secret('username'), e: `${secret('useremail')}@mail.test` },
    admin,
  );
  const insider = { token: await c.login(insiderLogin, 'insider-password-1') };
  const partnerLogin = `${secret('partneruserlogin')}@partner.test`;
  await c.ok(
    `mutation($l: String!, $n: String!) {
    createUser(login: $l, name: $n, email: "p@partner.test", password: "insider-password-1", organisation: "partner", profile: "analyst") { id } }`,
    { l: partnerLogin, n: secret('partnerusername') },
    admin,
  );
  const partnerInsider = { token: await c.login(partnerLogin, 'insider-password-1') };

  client = await inviteExternalUser(server, smtp, world.soc['org-admin'], 'client@customer.test', { name: 'Customer Contact' });
  const otherExternal = await inviteExternalUser(server, smtp, world.soc['org-admin'], `${secret('extlogin')}@customer.test`, { name: secret('extname') });

  // The granted case: its title, description, number, severity and status are meant for the portal.
  ids.visible = await createCase(server, handler, 'Incident shared with the customer', { description: 'What the customer may read' });
  await c.ok(
    'mutation($id: ID!, $t: [String!]) { updateCase(id: $id, input: { tags: $t, tlp: RED, pap: RED }) { id } }',
    { id: ids.visible, t: [secret('tag')] },
    handler,
  );
  await c.ok('mutation($id: ID!, $l: String) { assignCase(id: $id, login: $l) { id } }', { id: ids.visible, l: insiderLogin }, handler);
  await shareCase(server, handler, ids.visible, 'partner', 'analyst', { tasks: 'ALL', observables: 'ALL' });
  await shareCase(server, handler, ids.visible, secretOrg, secretProfile);
  await grant(server, handler, ids.visible, client.login);
  internalCommentId = await addComment(server, world.soc.analyst, ids.visible, secret('comment'));
  await addComment(server, partnerInsider, ids.visible, secret('partnercomment'));
  await addComment(server, insider, ids.visible, 'A note for the customer, written by a named analyst', true);
  internalAttachmentId = await attach(server, world.soc.analyst, ids.visible, {
    name: `${secret('attname')}.txt`,
    content: secret('attcontent'),
    type: 'text/plain',
  });
  internalAttachmentIds.push(internalAttachmentId);
  await attach(server, insider, ids.visible, { name: 'for-the-customer.txt', content: 'public content', type: 'text/plain' }, true);
  await c.ok(
    'mutation($c: ID!, $i: CreateObservableInput!) { createObservable(caseId: $c, input: $i) { id } }',
    { c: ids.visible, i: { dataType: 'other', data: secret('obsdata'), message: secret('obsmessage'), ioc: true } },
    insider,
  );
  await c.ok(
    'mutation($c: ID!, $i: CreateTaskInput!) { createTask(caseId: $c, input: $i) { id } }',
    { c: ids.visible, i: { title: secret('tasktitle'), description: secret('taskdescription') } },
    insider,
  );

  // R31–R33: the tag catalogue, custom fields (definition and value), observable tags and case templates.
  const cfName = secret('cfname');
  await c.ok(
    'mutation($n: String!, $d: String!) { createTag(name: $n, description: $d) { id } }',
    { n: secret('catalogtag'), d: secret('catalogdesc') },
    admin,
  );
  await c.ok(
    'mutation($i: CreateCustomFieldInput!) { createCustomField(input: $i) { id } }',
    { i: { name: cfName, type: 'STRING', displayName: secret('cfdisplay'), description: secret('cfdesc') } },
    admin,
  );
  await c.ok(
    'mutation($id: ID!, $n: String!, $v: JSON) { setCustomField(caseId: $id, name: $n, value: $v) { id } }',
    { id: ids.visible, n: cfName, v: secret('cfvalue') },
    handler,
  );
  await c.ok(
    'mutation($c: ID!, $i: CreateObservableInput!) { createObservable(caseId: $c, input: $i) { id } }',
    { c: ids.visible, i: { dataType: 'domain', data: 'tagged.example', tags: [secret('obstag')] } },
    insider,
  );
  await c.ok(
    'mutation($i: CreateCaseTemplateInput!) { createCaseTemplate(input: $i) { id } }',
    { i: { name: 'Leak template', description: secret('tpldescription'), tags: [secret('tpltag')], tasks: [{ title: secret('tpltask') }] } },
    world.soc['org-admin'],
  );

  // Another soc case, granted to someone else, full of external items.
  ids.other = await createCase(server, handler, secret('othertitle'), { description: secret('otherdescription') });
  await grant(server, handler, ids.other, otherExternal.login);
  await addComment(server, handler, ids.other, secret('otherexternalcomment'), true);
  internalAttachmentIds.push(await attach(server, handler, ids.other, { name: `${secret('otherattname')}.txt`, content: secret('otherattcontent') }, true));
  await c.ok(
    'mutation($c: ID!, $m: String!) { addComment(caseId: $c, message: $m) { id } }',
    { c: ids.other, m: secret('otherclientcomment') },
    otherExternal,
    'portal',
  );
  await c.ok(
    'mutation($c: ID!, $i: PortalObservableInput!) { addObservable(caseId: $c, input: $i) { id } }',
    { c: ids.other, i: { dataType: 'domain', data: `${secret('otherportalobs')}.example` } },
    otherExternal,
    'portal',
  );

  // Other organisations' cases.
  ids.stranger = await createCase(server, world.stranger['incident-handler'], secret('strangertitle'), { description: secret('strangerdescription') });
  await addComment(server, world.stranger['incident-handler'], ids.stranger, secret('strangercomment'), true);
  internalAttachmentIds.push(
    await attach(server, world.stranger['incident-handler'], ids.stranger, { name: 'stranger.txt', content: secret('strangerattcontent') }, true),
  );
  ids.partner = await createCase(server, world.partner.analyst, secret('partnertitle'), { description: secret('partnerdescription') });

  // The client's own writes: their answers are read too.
  writeBodies.push(
    await portalRaw(
      'mutation($i: PortalCreateCaseInput!) { createCase(input: $i) { id number title description severity status createdAt updatedAt sharedExternally comments { id message author } attachments { id name } observables { id data } } }',
      { i: { title: 'Reported by the customer', description: 'their words' } },
    ),
  );
  ids.created = JSON.parse(writeBodies[0]).data.createCase.id;
  writeBodies.push(
    await portalRaw('mutation($c: ID!) { addComment(caseId: $c, message: "from the customer") { id message createdAt author } }', { c: ids.visible }),
  );
  writeBodies.push(
    await portalRaw('mutation($c: ID!) { addObservable(caseId: $c, input: { dataType: "ip", data: "203.0.113.9" }) { id dataType data message createdAt } }', {
      c: ids.visible,
    }),
  );
  const up = await uploadRequest(server, PORTAL_ADD_ATTACHMENT, { caseId: ids.visible }, { name: 'customer.txt', content: 'customer bytes' }, client, 'portal');
  writeBodies.push(JSON.stringify(up.data), JSON.stringify(up.errors ?? []));
  // Writes aimed at cases the client cannot see: their errors are read too.
  for (const id of [ids.other, ids.stranger, ids.partner]) {
    writeBodies.push(await portalRaw('mutation($c: ID!) { addComment(caseId: $c, message: "probe") { id author } }', { c: id }));
    writeBodies.push(await portalRaw('mutation($c: ID!) { addObservable(caseId: $c, input: { dataType: "ip", data: "192.0.2.1" }) { id } }', { c: id }));
  }
  writeBodies.push(
    await portalRaw(
      'mutation { login(login: "client@customer.test", password: "' + PORTAL_PASSWORD + '") { token user { id login name email } } }',
      {},
      { ...client, token: '' },
    ),
  );
});

it('R27: nothing internal reaches the portal user, whatever they query, write or download', async () => {
  expect(secrets.size).toBeGreaterThanOrEqual(25);
  const bodies = [...writeBodies, ...(await harvest())];
  // The walk did see the legitimate content (so an empty answer cannot pass for a clean one).
  const all = bodies.join('\n');
  expect(all).toContain('What the customer may read');
  expect(all).toContain('A note for the customer, written by a named analyst');
  expect(all).toContain('public content');
  expect(all).toContain('203.0.113.9');
  expect(leaksIn(bodies)).toEqual([]);
});

it('the leak detector catches an exposed internal comment and attachment (self-test of the test above)', async () => {
  await server.sql('UPDATE comment SET external = true WHERE id = $1', [internalCommentId]);
  await server.sql('UPDATE attachment SET external = true WHERE id = $1', [internalAttachmentId]);
  try {
    const found = leaksIn(await harvest());
    expect(found).toEqual(expect.arrayContaining(['comment', 'attname', 'attcontent']));
  } finally {
    await server.sql('UPDATE comment SET external = false WHERE id = $1', [internalCommentId]);
    await server.sql('UPDATE attachment SET external = false WHERE id = $1', [internalAttachmentId]);
  }
  expect(leaksIn(await harvest())).toEqual([]);
});
