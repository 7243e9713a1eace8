import { MigrationInterface, QueryRunner } from 'typeorm';

export class ShareLineage1796522191303 implements MigrationInterface {
  name = 'ShareLineage1796522191303';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "share" ADD "via_share_id" uuid');
    await queryRunner.query('ALTER TABLE "share" ADD "created_by" uuid');
    // R23: existing grants belong to the share of the granter's organisation on the case (the
    // owner's first when the granter is in several), else to the granted user's organisation's
    // share (a portal creator's own grant: the owner share). A grant with neither gave no access
    // (the portal scope wants the user's organisation to hold the case): it goes.
    await queryRunner.query('ALTER TABLE "external_grant" ADD "share_id" uuid');
    await queryRunner.query(`UPDATE external_grant g SET share_id = COALESCE(
        (SELECT s.id FROM share s JOIN membership m ON m.organisation_id = s.organisation_id AND m.user_id = g.granted_by
          WHERE s.case_id = g.case_id ORDER BY s.owner DESC, s.created_at LIMIT 1),
        (SELECT s.id FROM share s JOIN membership m ON m.organisation_id = s.organisation_id AND m.user_id = g.user_id
          WHERE s.case_id = g.case_id ORDER BY s.owner DESC, s.created_at LIMIT 1))`);
    await queryRunner.query('DELETE FROM external_grant WHERE share_id IS NULL');
    await queryRunner.query('ALTER TABLE "external_grant" ALTER COLUMN "share_id" SET NOT NULL');
    // R16a: shares made before this are taken as the owner's (no via); their makers are unknown.
    await queryRunner.query('CREATE INDEX "ix_share_via_share_id" ON "share"  ("via_share_id") ');
    await queryRunner.query('CREATE INDEX "ix_external_grant_share_id" ON "external_grant"  ("share_id") ');
    await queryRunner.query(
      'ALTER TABLE "share" ADD CONSTRAINT "fk_share_via_share_id" FOREIGN KEY ("via_share_id") REFERENCES "share"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "share" ADD CONSTRAINT "fk_share_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "external_grant" ADD CONSTRAINT "fk_external_grant_share_id" FOREIGN KEY ("share_id") REFERENCES "share"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "external_grant" DROP CONSTRAINT "fk_external_grant_share_id"');
    await queryRunner.query('ALTER TABLE "share" DROP CONSTRAINT "fk_share_created_by"');
    await queryRunner.query('ALTER TABLE "share" DROP CONSTRAINT "fk_share_via_share_id"');
    await queryRunner.query('DROP INDEX "public"."ix_external_grant_share_id"');
    await queryRunner.query('DROP INDEX "public"."ix_share_via_share_id"');
    await queryRunner.query('ALTER TABLE "external_grant" DROP COLUMN "share_id"');
    await queryRunner.query('ALTER TABLE "share" DROP COLUMN "created_by"');
    await queryRunner.query('ALTER TABLE "share" DROP COLUMN "via_share_id"');
  }
}
