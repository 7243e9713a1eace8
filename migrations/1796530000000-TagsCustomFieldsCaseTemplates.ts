import { MigrationInterface, QueryRunner } from 'typeorm';

/** R31 tag catalogue and observable tags, R32 custom fields and case values, R33 case templates. */
export class TagsCustomFieldsCaseTemplates1796530000000 implements MigrationInterface {
  name = 'TagsCustomFieldsCaseTemplates1796530000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "tag" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "colour" text NOT NULL DEFAULT \'#000000\', "description" text NOT NULL DEFAULT \'\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_tag" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "ix_tag_name_lower" ON "tag" (lower("name"))');
    await queryRunner.query(
      'CREATE TABLE "custom_field" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "display_name" text NOT NULL, "type" text NOT NULL, "options" text array NOT NULL DEFAULT \'{}\', "mandatory" boolean NOT NULL DEFAULT false, "description" text NOT NULL DEFAULT \'\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_custom_field" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "ix_custom_field_name_lower" ON "custom_field" (lower("name"))');
    await queryRunner.query(
      'CREATE TABLE "case_template" ("created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "name" text NOT NULL, "title_prefix" text NOT NULL DEFAULT \'\', "description" text, "severity" smallint, "tlp" text, "pap" text, "tags" text array NOT NULL DEFAULT \'{}\', "tasks" jsonb NOT NULL DEFAULT \'[]\', "custom_fields" jsonb NOT NULL DEFAULT \'{}\', CONSTRAINT "pk_case_template" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "ix_case_template_organisation_name_lower" ON "case_template" ("organisation_id", lower("name"))');
    await queryRunner.query(
      'ALTER TABLE "case_template" ADD CONSTRAINT "fk_case_template_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case_template" ADD CONSTRAINT "fk_case_template_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query('ALTER TABLE "case" ADD "custom_fields" jsonb NOT NULL DEFAULT \'{}\'');
    // GIN (jsonb_ops): serves both the filter (@>) and the in-use check of a definition (?).
    await queryRunner.query('CREATE INDEX "ix_case_custom_fields" ON "case" USING gin ("custom_fields")');
    await queryRunner.query('ALTER TABLE "observable" ADD "tags" text array NOT NULL DEFAULT \'{}\'');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "observable" DROP COLUMN "tags"');
    await queryRunner.query('DROP INDEX "public"."ix_case_custom_fields"');
    await queryRunner.query('ALTER TABLE "case" DROP COLUMN "custom_fields"');
    await queryRunner.query('DROP TABLE "case_template"');
    await queryRunner.query('DROP TABLE "custom_field"');
    await queryRunner.query('DROP TABLE "tag"');
  }
}
