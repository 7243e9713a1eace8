import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, Kind } from 'graphql';
import { readSdl } from '../../src/schema';

/**
 * Issue #9: permissions are declared in the SDL (root and object-field rules) and in src/authz,
 * never in a service. A service that names one is deciding authorization outside the declared
 * rules, so even a comment or a message naming one is a sign to move it (errors that must name
 * one are built in src/authz, e.g. authz/managers.leftWithoutManager).
 */
function permissionNames(): string[] {
  const doc = parse(readSdl('common').join('\n'));
  for (const def of doc.definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name.value === 'Permission') return def.values!.map((v) => v.name.value);
  }
  throw new Error('enum Permission not found in schema/common');
}

function serviceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return serviceFiles(p);
    return e.name.endsWith('.service.ts') ? [p] : [];
  });
}

describe('services name no permission (#9)', () => {
  const names = permissionNames();
  const files = serviceFiles(path.resolve(__dirname, '../../src/modules'));

  it('finds the permissions and the services it checks', () => {
    expect(names).toEqual(expect.arrayContaining(['manageCase', 'manageShare', 'manageUser', 'portalComment']));
    expect(files.length).toBeGreaterThan(15);
  });

  it('no src/modules/**/*.service.ts names a permission', () => {
    const pattern = new RegExp(`\\b(${names.join('|')})\\b`);
    const found = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (pattern.test(line) ? [`${path.relative(process.cwd(), f)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });
});
