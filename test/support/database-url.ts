/** The PostgreSQL server the tests (and migration tooling) use. */
export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * The two templates of a run, built once by globalSetup: `migrated` (the migrations only, what a
 * first start sees) and `world` (migrated, then the named world of test/fixtures/world.ts built on
 * it through the API; HIVE_WORLD holds its personas).
 */
export type Template = 'migrated' | 'world';

export const TEMPLATE_ENV: Record<Template, string> = { migrated: 'HIVE_TEMPLATE_DB', world: 'HIVE_WORLD_TEMPLATE_DB' };

/** The name of a run's template database; throws outside jest (no globalSetup ran). */
export function templateDatabase(template: Template = 'migrated'): string {
  const name = process.env[TEMPLATE_ENV[template]];
  if (!name) throw new Error(`${TEMPLATE_ENV[template]} is not set: run the tests through jest (globalSetup)`);
  return name;
}
