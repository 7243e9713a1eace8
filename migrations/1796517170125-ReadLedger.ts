import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReadLedger1796517170125 implements MigrationInterface {
  name = 'ReadLedger1796517170125';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "read_record" ("id" uuid NOT NULL, "kind" text NOT NULL, "user_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "case_id" uuid NOT NULL, "object_id" uuid NOT NULL, "via_portal" boolean NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_read_record" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_read_record_case_id_at_id" ON "read_record"  ("case_id", "at", "id") ');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_read_record_case_id_at_id"');
    await queryRunner.query('DROP TABLE "read_record"');
  }
}
