import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written (TypeORM does not model triggers): every committed audit entry is announced on
 * channel hive_audit. PostgreSQL delivers NOTIFY at commit, in commit order, to every listening
 * server instance — which is what the live feed (R30) needs; a rolled-back write announces nothing.
 */
export class NotifyAuditInserts1795446000000 implements MigrationInterface {
  name = 'NotifyAuditInserts1795446000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION hive_notify_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('hive_audit', NEW.id::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_notify AFTER INSERT ON audit FOR EACH ROW EXECUTE FUNCTION hive_notify_audit()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_notify ON audit`);
    await queryRunner.query(`DROP FUNCTION hive_notify_audit()`);
  }
}
