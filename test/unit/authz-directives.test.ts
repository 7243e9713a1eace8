import { makeExecutableSchema } from '@graphql-tools/schema';
import { graphql } from 'graphql';
import { applyAuthorization, readRequirements, UnguardedFieldError } from '../../src/authz/directives';
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
