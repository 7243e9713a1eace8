import { Client } from 'pg';
import { useSharedDatabase } from '../../support/shared-database';
import { RECORD_LISTS } from '../../support/record-lists';

const db = useSharedDatabase('columns');

/**
 * The select lists are derived from the entities (src/db/columns.ts), and the entities are checked
 * against the migrations (migrations.test.ts); this closes the loop on the migrated database itself,
 * hand-written computed columns (assignee, expired) included.
 */
it('every select list of src/db/records runs on the migrated schema, each name once', async () => {
  const client = new Client({ connectionString: db.databaseUrl });
  await client.connect();
  try {
    for (const [name, { sql, from }] of Object.entries(RECORD_LISTS)) {
      const { fields } = await client.query(`SELECT ${sql} FROM ${from} LIMIT 0`).catch((e: Error) => {
        throw new Error(`${name}: ${e.message}`);
      });
      const names = fields.map((f) => f.name);
      expect([name, new Set(names).size]).toEqual([name, names.length]);
    }
  } finally {
    await client.end();
  }
  expect(Object.keys(RECORD_LISTS).length).toBeGreaterThanOrEqual(15);
});
