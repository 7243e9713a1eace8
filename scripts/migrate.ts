/** npm run migrate: applies pending migrations to DATABASE_URL (or the embedded database in DATA_DIR). */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { createDataSource } from '../src/db/data-source';

async function main() {
  const config = loadConfig();
  const ds = await createDataSource({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await ds.runMigrations({ transaction: 'each' });
  console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'database is up to date');
  await ds.destroy();
}

main().catch((e) => {
  console.error(`migration failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
