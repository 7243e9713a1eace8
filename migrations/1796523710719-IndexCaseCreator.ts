import { MigrationInterface, QueryRunner } from 'typeorm';

export class IndexCaseCreator1796523710719 implements MigrationInterface {
  name = 'IndexCaseCreator1796523710719';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "ix_case_organisation_id_created_by" ON "case"  ("organisation_id", "created_by") ');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_case_organisation_id_created_by"');
  }
}
