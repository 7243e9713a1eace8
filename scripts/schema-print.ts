import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildInternalSchema, buildPortalSchema } from '../src/schema';

/**
 * `npm run schema:print`: the schema each endpoint serves, as SDL, for client tooling (codegen,
 * IDEs, trusted-document manifests): schema/printed/internal.graphql and portal.graphql (or the
 * folder given as the first argument). Built from the same code the server runs, so the portal's
 * file has its authorization directives stripped exactly as served. Applied directives are not
 * part of introspection and are not printed.
 */
const out = path.resolve(process.argv[2] ?? path.join(__dirname, '../../schema/printed'));
fs.mkdirSync(out, { recursive: true });
for (const [name, built] of [
  ['internal', buildInternalSchema()],
  ['portal', buildPortalSchema()],
] as const) {
  const file = path.join(out, `${name}.graphql`);
  fs.writeFileSync(file, `${printSchema(lexicographicSortSchema(built.schema))}\n`);
  console.log(`wrote ${file}`);
}
