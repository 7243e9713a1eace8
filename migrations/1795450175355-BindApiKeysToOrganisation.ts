import { MigrationInterface, QueryRunner } from 'typeorm';

export class BindApiKeysToOrganisation1795450175355 implements MigrationInterface {
  name = 'BindApiKeysToOrganisation1795450175355';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "credential" ADD "organisation_id" uuid');
    await queryRunner.query(
      'ALTER TABLE "credential" ADD CONSTRAINT "fk_credential_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "credential" DROP CONSTRAINT "fk_credential_organisation_id"');
    await queryRunner.query('ALTER TABLE "credential" DROP COLUMN "organisation_id"');
  }
}
