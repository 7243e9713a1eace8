import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAlerts1796531000000 implements MigrationInterface {
  name = 'AddAlerts1796531000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "alert" ("created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "type" text NOT NULL, "source" text NOT NULL, "source_ref" text NOT NULL, "title" text NOT NULL, "description" text NOT NULL DEFAULT \'\', "severity" smallint NOT NULL DEFAULT \'2\', "date" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "tlp" text NOT NULL DEFAULT \'AMBER\', "pap" text NOT NULL DEFAULT \'AMBER\', "tags" text array NOT NULL DEFAULT \'{}\', "custom_fields" jsonb NOT NULL DEFAULT \'{}\', "status" text NOT NULL DEFAULT \'NEW\', "read" boolean NOT NULL DEFAULT false, "case_id" uuid, "imported_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_alert_organisation_id_type_source_source_ref" UNIQUE ("organisation_id", "type", "source", "source_ref"), CONSTRAINT "pk_alert" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_alert_case_id" ON "alert"  ("case_id") ');
    await queryRunner.query('CREATE INDEX "ix_alert_organisation_id_created_at" ON "alert"  ("organisation_id", "created_at") ');
    await queryRunner.query('CREATE INDEX "ix_alert_organisation_id_date" ON "alert"  ("organisation_id", "date") ');
    await queryRunner.query(
      'CREATE TABLE "alert_observable" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "alert_id" uuid NOT NULL, "data_type" text NOT NULL, "data" text NOT NULL, "message" text NOT NULL DEFAULT \'\', "ioc" boolean NOT NULL DEFAULT false, "tlp" text NOT NULL DEFAULT \'AMBER\', "tags" text array NOT NULL DEFAULT \'{}\', "position" integer NOT NULL, CONSTRAINT "pk_alert_observable" PRIMARY KEY ("id"))',
    );
    // Written by hand (TypeORM cannot describe expression indexes): an alert's observables are kept
    // once per dataType and data, and Alert.similarCases looks observables up by the same pair —
    // by md5 of data, which may be far longer than a btree entry.
    await queryRunner.query('CREATE UNIQUE INDEX "ux_alert_observable_alert_id_data" ON "alert_observable" ("alert_id", "data_type", md5("data"))');
    await queryRunner.query('CREATE INDEX "ix_observable_data_type_data" ON "observable" ("data_type", md5("data"))');
    await queryRunner.query(
      'ALTER TABLE "alert" ADD CONSTRAINT "fk_alert_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alert" ADD CONSTRAINT "fk_alert_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alert" ADD CONSTRAINT "fk_alert_case_id" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alert_observable" ADD CONSTRAINT "fk_alert_observable_alert_id" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "alert_observable" DROP CONSTRAINT "fk_alert_observable_alert_id"');
    await queryRunner.query('ALTER TABLE "alert" DROP CONSTRAINT "fk_alert_case_id"');
    await queryRunner.query('ALTER TABLE "alert" DROP CONSTRAINT "fk_alert_organisation_id"');
    await queryRunner.query('ALTER TABLE "alert" DROP CONSTRAINT "fk_alert_created_by"');
    await queryRunner.query('DROP INDEX "public"."ix_observable_data_type_data"');
    await queryRunner.query('DROP TABLE "alert_observable"');
    await queryRunner.query('DROP INDEX "public"."ix_alert_organisation_id_date"');
    await queryRunner.query('DROP INDEX "public"."ix_alert_organisation_id_created_at"');
    await queryRunner.query('DROP INDEX "public"."ix_alert_case_id"');
    await queryRunner.query('DROP TABLE "alert"');
  }
}
