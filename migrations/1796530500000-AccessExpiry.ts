import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccessExpiry1796530500000 implements MigrationInterface {
  name = 'AccessExpiry1796530500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // R39: the time every visibility decision compares expiries with. In production it is the
    // statement's transaction time, now(): an inlinable STABLE SQL function, so the planner sees
    // now() itself and it costs nothing. Tests replace it in their own database to move time
    // (test/support/clock.ts) instead of sleeping; nothing in the server ever replaces it.
    await queryRunner.query('CREATE OR REPLACE FUNCTION app_now() RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT now() $$');
    await queryRunner.query('ALTER TABLE "share" ADD "expires_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "share" ADD "lineage_expires_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "external_grant" ADD "expires_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(
      'CREATE INDEX "ix_share_organisation_id_case_id_lineage_expires_at" ON "share"  ("organisation_id", "case_id", "lineage_expires_at") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_share_organisation_id_case_id_lineage_expires_at"');
    await queryRunner.query('ALTER TABLE "external_grant" DROP COLUMN "expires_at"');
    await queryRunner.query('ALTER TABLE "share" DROP COLUMN "lineage_expires_at"');
    await queryRunner.query('ALTER TABLE "share" DROP COLUMN "expires_at"');
    await queryRunner.query('DROP FUNCTION app_now()');
  }
}
