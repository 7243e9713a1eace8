import { MigrationInterface, QueryRunner } from 'typeorm';
import { contentHash, linkHash } from '../src/modules/audit-trail/audit-chain';
import { AUDIT_TIME_SQL } from '../src/modules/audit-trail/audit-append';

const BATCH = 1000;

/**
 * R29: audit ids become random uuids (the bigint sequence counted every organisation's writes);
 * lists order by (created_at, id). R41: every entry gets the hash of its canonical content and a
 * link in its organisation's hash chain (entries of no organisation: admin's chain), sealed at
 * COMMIT by the deferred constraint trigger below; each chain has a head row. Existing entries
 * are hashed and linked in their old id order, in batches, by the same module as the verifier.
 * (Hand-edited: TypeORM does not model triggers.)
 */
export class AuditHashChain1796516724659 implements MigrationInterface {
  name = 'AuditHashChain1796516724659';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "audit_chain_head" ("organisation_id" uuid NOT NULL, "seq" bigint NOT NULL DEFAULT \'0\', "hash" text, CONSTRAINT "pk_audit_chain_head" PRIMARY KEY ("organisation_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "audit_link" ("audit_id" uuid NOT NULL, "chain_id" uuid NOT NULL, "seq" bigint NOT NULL, "previous_hash" text, "hash" text NOT NULL, CONSTRAINT "pk_audit_link" PRIMARY KEY ("audit_id"))',
    );
    await queryRunner.query(`ALTER TABLE "audit" ADD "new_id" uuid, ADD "chain_id" uuid, ADD "content_hash" text`);
    await queryRunner.query(
      `UPDATE audit SET new_id = gen_random_uuid(), chain_id = COALESCE(organisation_id, (SELECT o.id FROM organisation o WHERE o.name = 'admin'))`,
    );
    const chains: Array<{ chain: string }> = await queryRunner.query(`SELECT DISTINCT chain_id::text AS chain FROM audit WHERE chain_id IS NOT NULL`);
    for (const { chain } of chains) {
      let previousHash: string | null = null;
      let seq = 0;
      let lastId = '0';
      for (;;) {
        const batch = await queryRunner.query(
          `SELECT id::text AS "oldId", new_id::text AS id, organisation_id::text AS "organisationId", actor_id::text AS "actorId",
                  action, object_type AS "objectType", object_id AS "objectId", case_id::text AS "caseId", via_portal AS "viaPortal", details,
                  ${AUDIT_TIME_SQL('created_at')} AS "createdAt"
             FROM audit WHERE chain_id = $1 AND audit.id > $2::bigint ORDER BY audit.id LIMIT ${BATCH}`,
          [chain, lastId],
        ); // audit.id: the old bigint, not the "id" alias
        if (!batch.length) break;
        const ids: string[] = [];
        const contents: string[] = [];
        const seqs: number[] = [];
        const prevs: Array<string | null> = [];
        const hashes: string[] = [];
        for (const e of batch) {
          const content = contentHash(e);
          const hash = linkHash({ chain, content, previousHash, seq: ++seq });
          ids.push(e.id);
          contents.push(content);
          seqs.push(seq);
          prevs.push(previousHash);
          hashes.push(hash);
          previousHash = hash;
          lastId = e.oldId;
        }
        await queryRunner.query(`UPDATE audit a SET content_hash = u.content FROM unnest($1::uuid[], $2::text[]) AS u(id, content) WHERE a.new_id = u.id`, [
          ids,
          contents,
        ]);
        await queryRunner.query(
          `INSERT INTO audit_link (audit_id, chain_id, seq, previous_hash, hash)
          SELECT u.id, $1, u.seq, u.prev, u.hash FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[]) AS u(id, seq, prev, hash)`,
          [chain, ids, seqs, prevs, hashes],
        );
      }
      await queryRunner.query(`INSERT INTO audit_chain_head (organisation_id, seq, hash) VALUES ($1, $2, $3)`, [chain, seq, previousHash]);
    }
    await queryRunner.query('DROP INDEX "public"."ix_audit_actor_id_id"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_case_id_id"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_login"');
    await queryRunner.query('ALTER TABLE "audit" DROP CONSTRAINT "pk_audit"');
    await queryRunner.query('ALTER TABLE "audit" DROP COLUMN "id"');
    await queryRunner.query('ALTER TABLE "audit" RENAME COLUMN "new_id" TO "id"');
    await queryRunner.query(`ALTER TABLE "audit" ALTER "id" SET NOT NULL, ALTER "chain_id" SET NOT NULL, ALTER "content_hash" SET NOT NULL`);
    await queryRunner.query('ALTER TABLE "audit" ADD CONSTRAINT "pk_audit" PRIMARY KEY ("id")');
    await queryRunner.query('CREATE UNIQUE INDEX "ix_audit_link_chain_id_seq" ON "audit_link"  ("chain_id", "seq") ');
    await queryRunner.query('CREATE INDEX "ix_audit_created_at_id" ON "audit"  ("created_at", "id") ');
    await queryRunner.query('CREATE INDEX "ix_audit_actor_id_created_at" ON "audit"  ("actor_id", "created_at") ');
    await queryRunner.query('CREATE INDEX "ix_audit_case_id_created_at" ON "audit"  ("case_id", "created_at") ');
    await queryRunner.query(`CREATE INDEX "ix_audit_login" ON "audit" ((details->>'login'), "created_at") WHERE "action" LIKE 'login.%'`);
    // R41: at COMMIT (deferred), each new entry is linked into its chain under the head row's lock:
    // appends to one organisation's chain queue for the commit only, never fork, and a rolled-back
    // write leaves no link. The link text is canonicalJson({chain, content, previousHash, seq}) of
    // audit-chain.ts linkHash: uuid, hex and integer values need no escaping.
    await queryRunner.query(`CREATE FUNCTION hive_audit_seal() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        head_seq bigint;
        head_hash text;
        link text;
      BEGIN
        SELECT seq, hash INTO head_seq, head_hash FROM audit_chain_head WHERE organisation_id = NEW.chain_id FOR UPDATE;
        IF NOT FOUND THEN
          INSERT INTO audit_chain_head (organisation_id) VALUES (NEW.chain_id) ON CONFLICT (organisation_id) DO NOTHING;
          SELECT seq, hash INTO head_seq, head_hash FROM audit_chain_head WHERE organisation_id = NEW.chain_id FOR UPDATE;
        END IF;
        link := encode(sha256(convert_to('{"chain":"' || NEW.chain_id::text || '","content":"' || NEW.content_hash
          || '","previousHash":' || COALESCE('"' || head_hash || '"', 'null') || ',"seq":' || (head_seq + 1)::text || '}', 'UTF8')), 'hex');
        INSERT INTO audit_link (audit_id, chain_id, seq, previous_hash, hash) VALUES (NEW.id, NEW.chain_id, head_seq + 1, head_hash, link);
        UPDATE audit_chain_head SET seq = head_seq + 1, hash = link WHERE organisation_id = NEW.chain_id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE CONSTRAINT TRIGGER audit_seal AFTER INSERT ON audit DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hive_audit_seal()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_seal ON audit`);
    await queryRunner.query(`DROP FUNCTION hive_audit_seal()`);
    await queryRunner.query('DROP INDEX "public"."ix_audit_login"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_case_id_created_at"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_actor_id_created_at"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_created_at_id"');
    await queryRunner.query('ALTER TABLE "audit" DROP CONSTRAINT "pk_audit"');
    await queryRunner.query('ALTER TABLE "audit" RENAME COLUMN "id" TO "uuid_id"');
    // Old-style ids in the order the entries were written.
    await queryRunner.query('ALTER TABLE "audit" ADD "id" BIGSERIAL NOT NULL');
    await queryRunner.query(
      `UPDATE audit a SET id = n.rn FROM (SELECT uuid_id, row_number() OVER (ORDER BY created_at, uuid_id) AS rn FROM audit) n WHERE n.uuid_id = a.uuid_id`,
    );
    await queryRunner.query(`SELECT setval(pg_get_serial_sequence('audit', 'id'), GREATEST((SELECT max(id) FROM audit), 1))`);
    await queryRunner.query(`ALTER TABLE "audit" DROP COLUMN "uuid_id", DROP COLUMN "content_hash", DROP COLUMN "chain_id"`);
    await queryRunner.query('ALTER TABLE "audit" ADD CONSTRAINT "pk_audit" PRIMARY KEY ("id")');
    await queryRunner.query('DROP TABLE "audit_link"');
    await queryRunner.query('DROP TABLE "audit_chain_head"');
    await queryRunner.query('CREATE INDEX "ix_audit_case_id_id" ON "audit"  ("case_id", "id") ');
    await queryRunner.query('CREATE INDEX "ix_audit_actor_id_id" ON "audit"  ("actor_id", "id") ');
    await queryRunner.query(`CREATE INDEX "ix_audit_login" ON "audit" ((details->>'login'), "id") WHERE "action" LIKE 'login.%'`);
  }
}
