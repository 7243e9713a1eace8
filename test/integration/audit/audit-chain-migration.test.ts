import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../../../migrations';
import { createDataSource } from '../../../src/db/data-source';
import { SnakeNamingStrategy } from '../../../src/db/naming-strategy';
import { verifyChain } from '../../../src/modules/audit-trail/audit-chain';
import { chainEntries, chainHead } from '../../../src/modules/audit/audit-chain.service';
import { appendAudit } from '../../../src/modules/audit-trail/audit-append';
import { adminUrl, withDatabase } from '../../support/database-url';

/** R29/R41 on an existing database: entries written with sequence ids are given uuids and chained in their old order. */
const name = `hive_chain_mig_${process.pid}_${randomBytes(4).toString('hex')}`;
const url = withDatabase(adminUrl(), name);

beforeAll(async () => {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
});

afterAll(async () => {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

it('R41: the migration chains the entries that exist, in their old id order, and new entries follow them', async () => {
  const before = migrations.findIndex((m) => m.name.startsWith('AuditHashChain'));
  const old = new DataSource({
    type: 'postgres',
    url,
    migrations: migrations.slice(0, before),
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    migrationsTransactionMode: 'each',
  });
  await old.initialize();
  await old.runMigrations();
  const [{ id: adminOrg }] = await old.query(`INSERT INTO organisation (name, description) VALUES ('admin', '') RETURNING id::text`);
  const [{ id: soc }] = await old.query(`INSERT INTO organisation (name, description) VALUES ('soc', '') RETURNING id::text`);
  for (let i = 0; i < 25; i++) {
    await old.query(
      `INSERT INTO audit (organisation_id, action, object_type, object_id, details, created_at) VALUES ($1, $2, 'Case', $3, $4, now() - make_interval(secs => $5))`,
      [i % 5 === 4 ? null : soc, `case.update`, String(i), JSON.stringify({ n: i, nested: { b: [1, 'x'], a: null } }), 100 - i],
    );
  }
  await old.destroy();

  const ds = await createDataSource({ databaseUrl: url, dataDir: '' });
  try {
    await ds.runMigrations({ transaction: 'each' });
    const ids = await ds.query(`SELECT a.object_id, l.seq::int FROM audit a JOIN audit_link l ON l.audit_id = a.id WHERE a.chain_id = $1 ORDER BY l.seq`, [
      soc,
    ]);
    expect(ids.map((r: { object_id: string }) => Number(r.object_id))).toEqual([...Array(25).keys()].filter((i) => i % 5 !== 4));
    for (const chain of [soc, adminOrg]) expect(await verifyChain(chainEntries(ds, chain), await chainHead(ds, chain))).toMatchObject({ ok: true });
    await ds.transaction((tx) =>
      appendAudit(tx, [
        {
          id: randomUUID(),
          actorId: null,
          organisationId: soc,
          action: 'case.create',
          objectType: 'Case',
          objectId: 'new',
          caseId: null,
          details: {},
          viaPortal: false,
        },
      ]),
    );
    const after = await verifyChain(chainEntries(ds, soc), await chainHead(ds, soc));
    expect(after).toEqual({ ok: true, entries: 21, firstBroken: null, reason: null });
  } finally {
    await ds.destroy();
  }
});
