import { MigrationInterface, QueryRunner } from 'typeorm';
import { entryHash } from '../src/modules/audit/audit-chain';
import { AUDIT_TIME_SQL } from '../src/modules/audit/audit-append';

const BATCH = 1000;

/**
 * R29: audit ids become random uuids (the bigint sequence counted every organisation's writes);
 * lists order by (created_at, id). R41: every entry gets its organisation's chain position, the
 * previous entry's hash and its own (entries of no organisation: admin's chain), and each chain
 * a head row. Existing entries are chained in their old id order, in batches, hashed by the same
 * module as new ones.
 */
export class AuditHashChain1796516724659 implements MigrationInterface {
  name = 'AuditHashChain1796516724659';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"audit_chain_head\" (\"organisation_id\" uuid NOT NULL, \"seq\" bigint NOT NULL DEFAULT '0', \"hash\" text, CONSTRAINT \"pk_audit_chain_head\" PRIMARY KEY (\"organisation_id\"))");
    await queryRunner.query(`ALTER TABLE "audit" ADD "new_id" uuid, ADD "chain_id" uuid, ADD "seq" bigint, ADD "previous_hash" text, ADD "hash" text`);
    await queryRunner.query(`UPDATE audit a SET new_id = gen_random_uuid(), chain_id = n.chain_id, seq = n.seq
      FROM (SELECT id, COALESCE(organisation_id, (SELECT o.id FROM organisation o WHERE o.name = 'admin')) AS chain_id,
                   row_number() OVER (PARTITION BY COALESCE(organisation_id, (SELECT o.id FROM organisation o WHERE o.name = 'admin')) ORDER BY id) AS seq
              FROM audit) n
     WHERE n.id = a.id`);
    const chains: Array<{ chain: string }> = await queryRunner.query(`SELECT DISTINCT chain_id::text AS chain FROM audit WHERE chain_id IS NOT NULL`);
    for (const { chain } of chains) {
      let previousHash: string | null = null;
      let last = 0;
      for (;;) {
        const batch = await queryRunner.query(
          `SELECT new_id::text AS id, chain_id::text AS chain, seq::int AS seq, organisation_id::text AS "organisationId", actor_id::text AS "actorId",
                  action, object_type AS "objectType", object_id AS "objectId", case_id::text AS "caseId", via_portal AS "viaPortal", details,
                  ${AUDIT_TIME_SQL('created_at')} AS "createdAt"
             FROM audit WHERE chain_id = $1 AND seq > $2 ORDER BY seq LIMIT ${BATCH}`, [chain, last]);
        if (!batch.length) break;
        const ids: string[] = [];
        const prevs: Array<string | null> = [];
        const hashes: string[] = [];
        for (const e of batch) {
          const hash = entryHash({ ...e, previousHash });
          ids.push(e.id); prevs.push(previousHash); hashes.push(hash);
          previousHash = hash;
          last = e.seq;
        }
        await queryRunner.query(`UPDATE audit a SET previous_hash = u.prev, hash = u.hash
          FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(id, prev, hash) WHERE a.new_id = u.id`, [ids, prevs, hashes]);
      }
      await queryRunner.query(`INSERT INTO audit_chain_head (organisation_id, seq, hash) VALUES ($1, $2, $3)`, [chain, last, previousHash]);
    }
    await queryRunner.query("DROP INDEX \"public\".\"ix_audit_actor_id_id\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_audit_case_id_id\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_audit_login\"");
    await queryRunner.query("ALTER TABLE \"audit\" DROP CONSTRAINT \"pk_audit\"");
    await queryRunner.query("ALTER TABLE \"audit\" DROP COLUMN \"id\"");
    await queryRunner.query("ALTER TABLE \"audit\" RENAME COLUMN \"new_id\" TO \"id\"");
    await queryRunner.query(`ALTER TABLE "audit" ALTER "id" SET NOT NULL, ALTER "chain_id" SET NOT NULL, ALTER "seq" SET NOT NULL, ALTER "hash" SET NOT NULL`);
    await queryRunner.query("ALTER TABLE \"audit\" ADD CONSTRAINT \"pk_audit\" PRIMARY KEY (\"id\")");
    await queryRunner.query("CREATE UNIQUE INDEX \"ix_audit_chain_id_seq\" ON \"audit\"  (\"chain_id\", \"seq\") ");
    await queryRunner.query("CREATE INDEX \"ix_audit_created_at_id\" ON \"audit\"  (\"created_at\", \"id\") ");
    await queryRunner.query("CREATE INDEX \"ix_audit_actor_id_created_at\" ON \"audit\"  (\"actor_id\", \"created_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_audit_case_id_created_at\" ON \"audit\"  (\"case_id\", \"created_at\") ");
    await queryRunner.query(`CREATE INDEX "ix_audit_login" ON "audit" ((details->>'login'), "created_at") WHERE "action" LIKE 'login.%'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"ix_audit_login\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_audit_case_id_created_at\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_audit_actor_id_created_at\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_audit_created_at_id\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_audit_chain_id_seq\"");
    await queryRunner.query("ALTER TABLE \"audit\" DROP CONSTRAINT \"pk_audit\"");
    await queryRunner.query("ALTER TABLE \"audit\" RENAME COLUMN \"id\" TO \"uuid_id\"");
    // Old-style ids in the order the entries were written.
    await queryRunner.query("ALTER TABLE \"audit\" ADD \"id\" BIGSERIAL NOT NULL");
    await queryRunner.query(`UPDATE audit a SET id = n.rn FROM (SELECT uuid_id, row_number() OVER (ORDER BY created_at, uuid_id) AS rn FROM audit) n WHERE n.uuid_id = a.uuid_id`);
    await queryRunner.query(`SELECT setval(pg_get_serial_sequence('audit', 'id'), GREATEST((SELECT max(id) FROM audit), 1))`);
    await queryRunner.query("ALTER TABLE \"audit\" DROP COLUMN \"uuid_id\"");
    await queryRunner.query("ALTER TABLE \"audit\" ADD CONSTRAINT \"pk_audit\" PRIMARY KEY (\"id\")");
    await queryRunner.query(`ALTER TABLE "audit" DROP COLUMN "hash", DROP COLUMN "previous_hash", DROP COLUMN "seq", DROP COLUMN "chain_id"`);
    await queryRunner.query("DROP TABLE \"audit_chain_head\"");
    await queryRunner.query("CREATE INDEX \"ix_audit_case_id_id\" ON \"audit\"  (\"case_id\", \"id\") ");
    await queryRunner.query("CREATE INDEX \"ix_audit_actor_id_id\" ON \"audit\"  (\"actor_id\", \"id\") ");
    await queryRunner.query(`CREATE INDEX "ix_audit_login" ON "audit" ((details->>'login'), "id") WHERE "action" LIKE 'login.%'`);
  }
}
