import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * share.case_organisation_id: the case's owner, copied at insert by a trigger, so every path that
 * inserts a share (services, bench and test seeding) fills it without naming it, and indexed with
 * the sharee so referencedUserScope (R3) asks "does organisation X own a case shared with mine"
 * as one index probe. A case never changes owner, so the copy never goes stale.
 */
export class ShareCaseOwner1796588883482 implements MigrationInterface {
  name = 'ShareCaseOwner1796588883482';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "share" ADD "case_organisation_id" uuid');
    await queryRunner.query('UPDATE "share" s SET "case_organisation_id" = c."organisation_id" FROM "case" c WHERE c."id" = s."case_id"');
    await queryRunner.query('ALTER TABLE "share" ALTER COLUMN "case_organisation_id" SET NOT NULL');
    await queryRunner.query(`CREATE FUNCTION share_case_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.case_organisation_id := (SELECT organisation_id FROM "case" WHERE id = NEW.case_id);
  RETURN NEW;
END $$`);
    await queryRunner.query(
      'CREATE TRIGGER share_case_organisation BEFORE INSERT OR UPDATE OF case_id ON "share" FOR EACH ROW EXECUTE FUNCTION share_case_organisation()',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_share_organisation_id_case_organisation_id_expiry" ON "share"  ("organisation_id", "case_organisation_id", "lineage_expires_at") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_share_organisation_id_case_organisation_id_expiry"');
    await queryRunner.query('DROP TRIGGER share_case_organisation ON "share"');
    await queryRunner.query('DROP FUNCTION share_case_organisation()');
    await queryRunner.query('ALTER TABLE "share" DROP COLUMN "case_organisation_id"');
  }
}
