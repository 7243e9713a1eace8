import 'reflect-metadata';
import { createDataSource } from '../../../src/db/data-source';
import { adminUrl, withDatabase } from '../../support/database-url';

/** The entities describe exactly the schema the migrations build (style.md): nothing left to generate. */
it('entities and migrations agree (the schema diff on a migrated database is empty)', async () => {
  const ds = await createDataSource({ databaseUrl: withDatabase(adminUrl(), process.env.HIVE_TEMPLATE_DB!), dataDir: '' });
  try {
    expect(await ds.showMigrations()).toBe(false);
    const diff = await ds.driver.createSchemaBuilder().log();
    expect(diff.upQueries.map((q) => q.query)).toEqual([]);
  } finally {
    await ds.destroy();
  }
});
