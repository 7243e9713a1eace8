import fs from 'node:fs';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { buildInternalSchema, buildPortalSchema, BuiltSchema } from '../../src/schema';
import { describeFieldRule, describeRequirement } from '../../src/authz/directives';
import type { Endpoint } from './harness';
import { ALL_ROWS } from './matrix.table';
import { opKey } from './ops';
import { OPS, opOf } from './runner';
import { COLUMN_GROUPS, parseExpect, PERSONAS } from './personas';

/**
 * Guards around the authorization matrix (matrix.table.ts), no server needed:
 *   - every root field of both served schemas has at least one row, so a new field cannot
 *     land without its authorization being tabled;
 *   - the table is well formed and states R22 and authentication the same way everywhere;
 *   - the field → permission map of both schemas matches the reviewed snapshot next to this
 *     file: a difference is a security change. Review it as one, then refresh the file with
 *       UPDATE_PERMISSION_MAP=1 npx jest test/authz/coverage
 */

const SNAPSHOT = path.join(__dirname, 'permission-map.snapshot.txt');
const built: Record<Endpoint, BuiltSchema> = { internal: buildInternalSchema(), portal: buildPortalSchema() };

function rootFields(schema: GraphQLSchema): string[] {
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) =>
    t ? Object.keys(t.getFields()).map((f) => `${t.name}.${f}`) : [],
  );
}

const served = (Object.keys(built) as Endpoint[]).flatMap((e) => rootFields(built[e].schema).map((f) => opKey(e, f)));
const tabled = new Set(ALL_ROWS.map((r) => opKey(r.endpoint, r.field)));

it('every root field of both served schemas has a row in the matrix', () => {
  expect(served.length).toBeGreaterThan(50);
  expect(served.filter((k) => !tabled.has(k))).toEqual([]);
});

it('every row names a served root field, a known object and one expectation per persona; no row twice', () => {
  expect([...tabled].filter((k) => !served.includes(k))).toEqual([]);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const row of ALL_ROWS) {
    const id = `${row.endpoint} ${row.field} ${row.object}`;
    try {
      opOf(row);
      parseExpect(row.expect);
    } catch (e) {
      problems.push(`${id}: ${(e as Error).message}`);
    }
    if (seen.has(id)) problems.push(`${id}: twice`);
    seen.add(id);
    if (!/^(R\d+|api-contract)( (R\d+|api-contract))*$/.test(row.rules)) problems.push(`${id}: rules "${row.rules}" must be rule ids`);
  }
  // An object an operation knows how to build but no row uses is an untested case.
  for (const [key, op] of Object.entries(OPS)) {
    for (const object of op.objects)
      if (!ALL_ROWS.some((r) => opKey(r.endpoint, r.field) === key && r.object === object)) problems.push(`${key} ${object}: no row`);
  }
  expect(problems).toEqual([]);
});

it('R22 and authentication are tabled uniformly: no credentials → U; portal users on /graphql and internal users on /portal/graphql → F', () => {
  const internalPersonas = COLUMN_GROUPS.slice(0, 4).flat();
  const problems: string[] = [];
  for (const row of ALL_ROWS) {
    const req = built[row.endpoint].requirements.get(row.field);
    if (!req || req.public) continue; // login and acceptInvitation are tabled row by row
    const e = parseExpect(row.expect);
    const wrongSide = row.endpoint === 'internal' ? (['ext/reader', 'ext/actor'] as const) : internalPersonas;
    for (const k of wrongSide) if (e[k] !== 'F') problems.push(`${row.endpoint} ${row.field} ${row.object}: ${k} must be F (R22)`);
    if (e.anon !== 'U') problems.push(`${row.endpoint} ${row.field} ${row.object}: anon must be U`);
  }
  expect(problems).toEqual([]);
  expect(PERSONAS).toHaveLength(16);
});

/** One line per root field and per object field with a rule: endpoint, field, and what its directive requires. */
function permissionMap(): string {
  const line = (e: Endpoint, field: string, rule: string) => `${e.padEnd(9)}${field.padEnd(42)}${rule}`;
  const roots = (Object.keys(built) as Endpoint[]).flatMap((e) => [...built[e].requirements.entries()].map(([f, req]) => line(e, f, describeRequirement(req))));
  const fields = (Object.keys(built) as Endpoint[]).flatMap((e) => [...built[e].fieldRules.entries()].map(([f, rule]) => line(e, f, describeFieldRule(rule))));
  return (
    `# Root field → authorization requirement of the served schemas (src/schema.ts). Reviewed: a change here is a security change.\n${roots.sort().join('\n')}\n` +
    `# Object fields with their own rule (both levels: the organisation's share on the parent case, R15).\n${fields.sort().join('\n')}\n`
  );
}

it('the field → permission map of both schemas matches the reviewed snapshot', () => {
  const current = permissionMap();
  if (process.env.UPDATE_PERMISSION_MAP === '1') fs.writeFileSync(SNAPSHOT, current);
  expect(fs.existsSync(SNAPSHOT)).toBe(true);
  expect(current).toBe(fs.readFileSync(SNAPSHOT, 'utf8'));
});
