import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AppServices } from '../../src/context';
import { createContext } from '../../src/create-context';
import { loadConfig } from '../../src/config';
import { defineLoader, loaderOf, organisationById, profileById } from '../../src/loaders';
import { jobsByObject } from '../../src/modules/cortex/cortex.loaders';

/**
 * The loader registry without a database: the data source is a stand-in that records each
 * statement (db/sql rows sends statements outside a transaction straight to pg's pool) and
 * answers with the rows `answer` gives for its text.
 */
function fakeApp(answer: (text: string, values: unknown[]) => unknown[]) {
  const statements: Array<{ text: string; values: unknown[] }> = [];
  const pool = {
    query: async ({ text, values }: { text: string; values: unknown[] }) => {
      statements.push({ text, values });
      return { rows: answer(text, values) };
    },
  };
  const logger = { child: () => logger };
  const db = { driver: { master: pool }, transaction: async (fn: (tx: unknown) => Promise<unknown>) => fn({}) };
  const app = { config: loadConfig({}), logger, db } as unknown as AppServices;
  return { app, statements };
}

const request = (app: AppServices) => createContext(app, 'internal', {});

it('builds each declared loader once per request, and a fresh one for another request (loaders carry the caller scope)', async () => {
  const { app } = fakeApp(() => []);
  const ctx = await request(app);
  const organisations = loaderOf(ctx, organisationById);
  expect(loaderOf(ctx, organisationById)).toBe(organisations);
  expect(loaderOf(ctx, profileById)).not.toBe(organisations);
  const other = await request(app);
  expect(loaderOf(other, organisationById)).not.toBe(organisations);
  expect(loaderOf(ctx, organisationById)).toBe(organisations);
});

it('builds a loader with the context that asks first: Apollo runs an operation on a copy of the context, whose principal a login replaces', async () => {
  const { app, statements } = fakeApp(() => []);
  const { app: asCopy, statements: copyStatements } = fakeApp(() => []);
  const ctx = await request(app);
  statements.length = 0;
  // As @apollo/server's cloneObject: same registry, own fields.
  const copy = Object.assign(Object.create(Object.getPrototypeOf(ctx)), ctx, { db: asCopy.db });
  await loaderOf(copy, organisationById).load('a');
  expect([statements.length, copyStatements.length]).toEqual([0, 1]);
  expect(loaderOf(ctx, organisationById)).toBe(loaderOf(copy, organisationById));
});

it('forgets every loader when a write commits, not when it rolls back', async () => {
  const { app } = fakeApp(() => []);
  const ctx = await request(app);
  const before = loaderOf(ctx, organisationById);
  await expect(ctx.transaction(() => Promise.reject(new Error('rolled back')))).rejects.toThrow('rolled back');
  expect(loaderOf(ctx, organisationById)).toBe(before);
  await ctx.transaction(async () => undefined);
  expect(loaderOf(ctx, organisationById)).not.toBe(before);
});

it('one: one `= ANY($1)` statement per batch, answered in key order, missing → null', async () => {
  const { app, statements } = fakeApp((text, [ids]) =>
    text.includes('FROM organisation') ? (ids as string[]).filter((id) => id !== 'gone').map((id) => ({ id, name: id.toUpperCase() })) : [],
  );
  const ctx = await request(app);
  statements.length = 0;
  const loader = loaderOf(ctx, organisationById);
  const found = await Promise.all(['b', 'gone', 'a'].map((id) => loader.load(id)));
  expect(found.map((o) => o?.name ?? null)).toEqual(['B', null, 'A']);
  expect(statements).toHaveLength(1);
  expect(statements[0].text).toMatch(/WHERE o\.id = ANY\(\$1\)$/);
  expect(statements[0].values).toEqual([['b', 'gone', 'a']]);
});

it('many: rows grouped by keyOf in the statement order, [] for a key without rows', async () => {
  const { app, statements } = fakeApp((text) =>
    text.includes('FROM cortex_job')
      ? [
          { id: 'j1', objectId: 'x' },
          { id: 'j2', objectId: 'y' },
          { id: 'j3', objectId: 'x' },
        ]
      : [],
  );
  const ctx = await request(app);
  statements.length = 0;
  const loader = loaderOf(ctx, jobsByObject);
  const [x, none, y] = await Promise.all(['x', 'z', 'y'].map((id) => loader.load(id)));
  expect([x.map((j) => j.id), none, y.map((j) => j.id)]).toEqual([['j1', 'j3'], [], ['j2']]);
  expect(statements).toHaveLength(1);
});

it('a name is declared once: a second declaration would share its request loader', () => {
  expect(() => defineLoader({ name: 'organisation', one: () => 'SELECT 1' })).toThrow(/declared twice/);
});

it('nothing forgets loaders by hand: only the commit in create-context.ts does', () => {
  const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
  const src = join(__dirname, '../../src');
  const clearing = files(src)
    .filter((f) => f.endsWith('.ts') && /loaders\.clear\(|\.clearAll\(/.test(readFileSync(f, 'utf8')))
    .map((f) => f.slice(src.length + 1));
  expect(clearing).toEqual(['create-context.ts']);
});
