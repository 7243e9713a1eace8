import { makeExecutableSchema } from '@graphql-tools/schema';
import { graphql } from 'graphql';
import { applyAuthorization, readFieldRules, readRequirements, UnguardedFieldError } from '../../src/authz/directives';
import { buildInternalSchema, buildPortalSchema, readSdl } from '../../src/schema';

const common = readSdl('common').join('\n');

function schemaWith(sdl: string) {
  const resolvers = { Query: { open: () => 'yes', ...(sdl.includes('secret') ? { secret: () => 'leaked' } : {}) } };
  return makeExecutableSchema({ typeDefs: [common, sdl], resolvers });
}

describe('boot check: every root field declares its rule', () => {
  it('R15: refuses a mutation whose ID argument no @requires(on:) checks', () => {
    const sdl = 'type Query { open: String @public } type Mutation { updateThing(caseId: ID!): Boolean @requires(permission: manageCase) }';
    expect(() => readRequirements(schemaWith(sdl))).toThrow(/Mutation\.updateThing: argument caseId names an object/);
    const declared =
      'type Query { open: String @public } type Mutation { updateThing(caseId: ID!): Boolean @requires(permission: manageCase, on: CASE, arg: "caseId") }';
    expect(readRequirements(schemaWith(declared)).get('Mutation.updateThing')).toMatchObject({
      objects: [{ on: 'CASE', arg: 'caseId', permission: 'manageCase' }],
    });
  });

  it('R15: refuses an object rule naming no argument, or an unknown kind', () => {
    expect(() => readRequirements(schemaWith('type Query { open: String @public  x(id: ID!): String @requires(on: CASE, arg: "caseId") }'))).toThrow(
      /names no argument/,
    );
  });

  it('refuses a schema with an unannotated root field', () => {
    const schema = schemaWith('type Query { open: String @public  secret: String }');
    expect(() => readRequirements(schema)).toThrow(UnguardedFieldError);
    expect(() => readRequirements(schema)).toThrow(/Query\.secret has neither @requires nor @public/);
  });

  it('refuses unannotated mutation and subscription fields too', () => {
    expect(() => readRequirements(schemaWith('type Query { open: String @public } type Mutation { doIt: Boolean }'))).toThrow(/Mutation\.doIt/);
    expect(() => readRequirements(schemaWith('type Query { open: String @public } type Subscription { feed: String }'))).toThrow(/Subscription\.feed/);
  });

  it('refuses a field that is both @public and @requires', () => {
    expect(() => readRequirements(schemaWith('type Query { open: String @public @requires }'))).toThrow(/both/);
  });

  it('accepts a fully annotated schema, and the rules deny anonymous callers', async () => {
    const { schema, requirements } = applyAuthorization(schemaWith('type Query { open: String @public  secret: String @requires(permission: manageCase) }'));
    expect([...requirements.keys()].sort()).toEqual(['Query.open', 'Query.secret']);
    const res = await graphql({ schema, source: '{ open secret }', contextValue: {} });
    expect(res.data).toEqual({ open: 'yes', secret: null });
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('the served schemas boot: every root field of both has a rule', () => {
    const internal = buildInternalSchema();
    const portal = buildPortalSchema();
    for (const built of [internal, portal]) {
      const roots = [built.schema.getQueryType(), built.schema.getMutationType(), built.schema.getSubscriptionType()].filter(Boolean);
      for (const root of roots) {
        for (const field of Object.keys(root!.getFields())) expect(built.requirements.has(`${root!.name}.${field}`)).toBe(true);
      }
    }
  });
});

describe('object-field rules (issue #9 item 2)', () => {
  const caseType = (field: string) => `type Query { c: Case @public } type Case { id: ID! ${field} }`;
  const fieldSchema = (sdl: string) => makeExecutableSchema({ typeDefs: [common, sdl] });

  it('refuses rules it could not enforce: on a type without a share, with on:/arg:, without a permission, on a non-null single value', () => {
    const refused = (sdl: string, why: RegExp) => expect(() => readFieldRules(fieldSchema(sdl))).toThrow(why);
    refused('type Query { t: Thing @public } type Thing { people: [String!]! @requires(permission: manageCase) }', /only on Case/);
    refused(caseType('people: [String!]! @requires(permission: manageCase, on: CASE, arg: "id")'), /names only a permission/);
    refused(caseType('people: [String!]! @requires'), /needs a known permission/);
    refused(caseType('note: String! @requires(permission: manageCase)'), /no empty value/);
    refused(caseType('note: String @public'), /@public is for root fields/);
    expect(() => applyAuthorization(fieldSchema(caseType('note: String! @requires(permission: manageCase)')))).toThrow(UnguardedFieldError);
  });

  it('lets a reader holding the permission in user ∩ share profile through; any other reader sees the empty value, the rest of the object stays', async () => {
    const { fieldRules } = applyAuthorization(
      fieldSchema(caseType('people: [String!]! @requires(permission: manageExternalShare) note: String @requires(permission: manageExternalShare)')),
    );
    expect(fieldRules.get('Case.people')).toEqual({ permission: 'manageExternalShare', empty: [] });
    expect(fieldRules.get('Case.note')).toEqual({ permission: 'manageExternalShare', empty: null });
    const run = async (user: string[], share: string[] | undefined) => {
      const built = applyAuthorization(
        makeExecutableSchema({
          typeDefs: [common, caseType('people: [String!]! @requires(permission: manageExternalShare) note: String @requires(permission: manageExternalShare)')],
          resolvers: { Query: { c: () => ({ id: '1', shareProfilePermissions: share }) }, Case: { people: () => ['ann'], note: () => 'hi' } },
        }),
      );
      const res = await graphql({
        schema: built.schema,
        source: '{ c { id people note } }',
        contextValue: { principal: { permissions: new Set(user) }, settings: { cortexEnabled: true } },
      });
      expect(res.errors).toBeUndefined();
      return res.data!.c;
    };
    expect(await run(['manageExternalShare'], ['manageExternalShare', 'manageCase'])).toEqual({ id: '1', people: ['ann'], note: 'hi' });
    expect(await run(['manageCase'], ['manageExternalShare', 'manageCase'])).toEqual({ id: '1', people: [], note: null });
    expect(await run(['manageExternalShare'], ['manageCase'])).toEqual({ id: '1', people: [], note: null });
    expect(await run(['manageExternalShare'], undefined)).toEqual({ id: '1', people: [], note: null });
  });

  it('the served internal schema declares Case.externalUsers', () => {
    expect(buildInternalSchema().fieldRules.get('Case.externalUsers')).toEqual({ permission: 'manageExternalShare', empty: [] });
    expect(buildPortalSchema().fieldRules.size).toBe(0);
  });
});
