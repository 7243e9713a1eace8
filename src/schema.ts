import fs from 'node:fs';
import path from 'node:path';
import { GraphQLSchema, specifiedDirectives } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { mergeResolvers } from '@graphql-tools/merge';
import { pruneSchema } from '@graphql-tools/utils';
import { applyAuthorization, FieldRequirement, FieldRule } from './authz/directives';
import { internalScalarResolvers, scalarResolvers } from './scalars';
import { internalResolvers } from './modules/internal-resolvers';
import { portalResolvers } from './modules/portal/portal.resolvers';

/** schema/ at the repository root, whether running from src/ (tests) or dist/src/ (npm start). */
const schemaRoot = [path.resolve(__dirname, '../schema'), path.resolve(__dirname, '../../schema')].find((p) => fs.existsSync(p)) as string;

export function readSdl(...folders: string[]): string[] {
  const root = schemaRoot;
  return folders.flatMap((folder) =>
    fs
      .readdirSync(path.join(root, folder))
      .filter((f) => f.endsWith('.graphql'))
      .sort()
      .map((f) => fs.readFileSync(path.join(root, folder, f), 'utf8')),
  );
}

export interface BuiltSchema {
  schema: GraphQLSchema;
  requirements: Map<string, FieldRequirement>;
  /** Object fields with their own rule (Case.externalUsers…). */
  fieldRules: Map<string, FieldRule>;
}

export function buildInternalSchema(): BuiltSchema {
  const schema = makeExecutableSchema({
    typeDefs: readSdl('common', 'internal'),
    resolvers: mergeResolvers([internalScalarResolvers, ...internalResolvers]),
  });
  return applyAuthorization(schema);
}

/**
 * The portal schema is built from its own SDL only, so internal types cannot leak into it by
 * accident. After the rules are generated, the authorization directives (and the Permission enum
 * they reference) are removed, leaving exactly the types the contract lists.
 */
export function buildPortalSchema(): BuiltSchema {
  const built = applyAuthorization(
    makeExecutableSchema({ typeDefs: readSdl('common', 'portal'), resolvers: mergeResolvers([scalarResolvers, portalResolvers]) }),
    // Portal writes act only on cases the caller's grants show (portal scopes, R23, R26): no share profile to check.
    false,
  );
  const stripped = pruneSchema(new GraphQLSchema({ ...built.schema.toConfig(), directives: [...specifiedDirectives] }));
  return { schema: stripped, requirements: built.requirements, fieldRules: built.fieldRules };
}
