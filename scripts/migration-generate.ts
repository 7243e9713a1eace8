/**
 * Writes a migration with the difference between the entities and the schema the existing
 * migrations build, computed on a scratch database of the PostgreSQL server at
 * TEST_DATABASE_URL. Usage: npm run migration:generate -- AddSomething
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { createDataSource } from '../src/db/data-source';
import { adminUrl, withDatabase } from '../test/support/database-url';

async function main() {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('usage: npm run migration:generate -- PascalCaseName');
  const scratch = `hive_migration_${Date.now()}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${scratch}`);
  try {
    const ds = await createDataSource({ databaseUrl: withDatabase(adminUrl(), scratch), dataDir: '' });
    await ds.runMigrations();
    const sql = await ds.driver.createSchemaBuilder().log();
    await ds.destroy();
    if (sql.upQueries.length === 0) {
      console.log('entities and migrations agree: nothing to generate');
      return;
    }
    const ts = Date.now();
    const cls = `${name}${ts}`;
    const q = (list: typeof sql.upQueries) =>
      list.map((x) => `    await queryRunner.query(${JSON.stringify(x.query)}${x.parameters?.length ? `, ${JSON.stringify(x.parameters)}` : ''});`).join('\n');
    const file = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${cls} implements MigrationInterface {
  name = '${cls}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${q(sql.upQueries)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${q([...sql.downQueries].reverse())}
  }
}
`;
    const dir = path.join(__dirname, '..', '..', 'migrations');
    const base = `${ts}-${name}`;
    fs.writeFileSync(path.join(dir, `${base}.ts`), file);
    const index = path.join(dir, 'index.ts');
    let src = fs.readFileSync(index, 'utf8');
    src = src.replace(/(\n\n\/\/ Every migration)/, `\nimport { ${cls} } from './${base}';$1`).replace(/= \[(.*)\];/s, (_m, inner: string) => {
      const items = inner
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return `= [${[...items, cls].join(', ')}];`;
    });
    fs.writeFileSync(index, src);
    console.log(`wrote migrations/${base}.ts — read it line by line before committing`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
