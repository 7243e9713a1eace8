import fs from 'node:fs';
import path from 'node:path';
import { isInputObjectType, isObjectType, printSchema, specifiedDirectives } from 'graphql';
import { buildPortalSchema } from '../../../src/schema';
import { startTestServer, TestServer } from '../../support/test-server';

/**
 * The portal schema is a security boundary (R27): its printed form is committed next to this test,
 * and any difference fails. Review a change as a security change, then refresh the file with
 *   UPDATE_PORTAL_SCHEMA=1 npx jest test/integration/portal/portal-schema
 */
const SNAPSHOT = path.join(__dirname, 'portal-schema.snapshot.graphql');

/** api-contract.md, "Portal schema": every type and field that may exist, nothing else. */
const CONTRACT: Record<string, string[]> = {
  Query: ['me', 'cases', 'case'],
  Mutation: ['login', 'logout', 'acceptInvitation', 'createCase', 'addComment', 'addAttachment', 'addObservable'],
  PortalCase: [
    'id',
    'number',
    'title',
    'description',
    'severity',
    'status',
    'createdAt',
    'updatedAt',
    'sharedExternally',
    'comments',
    'attachments',
    'observables',
  ],
  PortalComment: ['id', 'message', 'createdAt', 'author'],
  PortalAttachment: ['id', 'name', 'size', 'contentType', 'createdAt'],
  PortalObservable: ['id', 'dataType', 'data', 'message', 'createdAt'],
  PortalUser: ['id', 'login', 'name', 'email', 'permissions', 'maxUploadBytes', 'observableDataTypes'],
  PortalSession: ['token', 'user'],
  PortalCreateCaseInput: ['title', 'description', 'severity'],
  PortalObservableInput: ['dataType', 'data', 'message'],
};
const SCALARS = ['ID', 'String', 'Int', 'Boolean', 'DateTime', 'Upload'];

const schema = buildPortalSchema().schema;

it('R27: the printed portal schema matches the reviewed snapshot', () => {
  const printed = printSchema(schema) + '\n';
  if (process.env.UPDATE_PORTAL_SCHEMA === '1') fs.writeFileSync(SNAPSHOT, printed);
  expect(fs.existsSync(SNAPSHOT)).toBe(true);
  expect(printed).toBe(fs.readFileSync(SNAPSHOT, 'utf8'));
});

it('R27: the portal schema holds no type and no field outside the contract (no User, Profile, Permission, Task, Share…)', () => {
  const types = Object.keys(schema.getTypeMap()).filter((t) => !t.startsWith('__'));
  expect(types.sort()).toEqual([...Object.keys(CONTRACT), ...SCALARS].sort());
  for (const [name, fields] of Object.entries(CONTRACT)) {
    const type = schema.getType(name);
    expect(isObjectType(type) || isInputObjectType(type)).toBe(true);
    expect(Object.keys((type as { getFields(): Record<string, unknown> }).getFields()).sort()).toEqual([...fields].sort());
  }
  // The authorization directives are stripped after the rules are built (they would name permissions).
  expect(
    schema
      .getDirectives()
      .map((d) => d.name)
      .sort(),
  ).toEqual(specifiedDirectives.map((d) => d.name).sort());
});

describe('introspection over HTTP', () => {
  let server: TestServer;
  afterEach(() => server?.stop());

  it('R27: the served portal schema knows none of the internal types', async () => {
    server = await startTestServer();
    const res = await server.client.request(
      '{ a: __type(name: "User") { name } b: __type(name: "Permission") { name } c: __type(name: "Case") { name } d: __type(name: "PortalCase") { name } }',
      {},
      {},
      'portal',
    );
    expect(res.data).toEqual({ a: null, b: null, c: null, d: { name: 'PortalCase' } });
  });

  it('is disabled in production mode (NODE_ENV=production)', async () => {
    server = await startTestServer({ production: true });
    const res = await server.client.request('{ __schema { types { name } } }', {}, {}, 'portal');
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
