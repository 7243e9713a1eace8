import { MigrationInterface, QueryRunner } from 'typeorm';

export class CortexAndConfig1796526220414 implements MigrationInterface {
  name = 'CortexAndConfig1796526220414';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "config_setting" ("key" text NOT NULL, "value" jsonb NOT NULL, "updated_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_config_setting" PRIMARY KEY ("key"))',
    );
    await queryRunner.query(
      'CREATE TABLE "analyzer_template" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "analyzer" text NOT NULL, "content" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_analyzer_template" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "cortex_job" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "worker" text NOT NULL, "object_type" text NOT NULL, "object_id" uuid NOT NULL, "case_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "status" text NOT NULL DEFAULT \'WAITING\', "report" jsonb, "payload" jsonb NOT NULL, "cortex_id" text, "attempts" integer NOT NULL DEFAULT \'0\', "next_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "lease_until" TIMESTAMP WITH TIME ZONE, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_cortex_job" PRIMARY KEY ("id"))',
    );
    // R37: analyzer names are unique whatever their case (written here: TypeORM has no expression indexes).
    await queryRunner.query(`CREATE UNIQUE INDEX "ix_analyzer_template_lower" ON "analyzer_template" (lower("analyzer"))`);
    await queryRunner.query('CREATE INDEX "ix_cortex_job_status_next_at" ON "cortex_job"  ("status", "next_at") ');
    await queryRunner.query('CREATE INDEX "ix_cortex_job_case_id" ON "cortex_job"  ("case_id") ');
    await queryRunner.query('CREATE INDEX "ix_cortex_job_object_id" ON "cortex_job"  ("object_id") ');
    await queryRunner.query(
      'ALTER TABLE "config_setting" ADD CONSTRAINT "fk_config_setting_updated_by" FOREIGN KEY ("updated_by") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cortex_job" ADD CONSTRAINT "fk_cortex_job_case_id" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cortex_job" ADD CONSTRAINT "fk_cortex_job_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cortex_job" ADD CONSTRAINT "fk_cortex_job_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "cortex_job" DROP CONSTRAINT "fk_cortex_job_created_by"');
    await queryRunner.query('ALTER TABLE "cortex_job" DROP CONSTRAINT "fk_cortex_job_organisation_id"');
    await queryRunner.query('ALTER TABLE "cortex_job" DROP CONSTRAINT "fk_cortex_job_case_id"');
    await queryRunner.query('ALTER TABLE "config_setting" DROP CONSTRAINT "fk_config_setting_updated_by"');
    await queryRunner.query('DROP INDEX "public"."ix_cortex_job_object_id"');
    await queryRunner.query('DROP INDEX "public"."ix_cortex_job_case_id"');
    await queryRunner.query('DROP INDEX "public"."ix_cortex_job_status_next_at"');
    await queryRunner.query('DROP TABLE "cortex_job"');
    await queryRunner.query(`DROP INDEX "ix_analyzer_template_lower"`);
    await queryRunner.query('DROP TABLE "analyzer_template"');
    await queryRunner.query('DROP TABLE "config_setting"');
  }
}
