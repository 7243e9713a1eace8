import { MigrationInterface, QueryRunner } from 'typeorm';

export class SecurityReviewCredentials1796519688336 implements MigrationInterface {
  name = 'SecurityReviewCredentials1796519688336';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "login_throttle" ("login" text NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "attempts" integer NOT NULL, CONSTRAINT "pk_login_throttle" PRIMARY KEY ("login"))',
    );
    await queryRunner.query('ALTER TABLE "app_user" ADD "password_organisation_id" uuid');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "app_user" DROP COLUMN "password_organisation_id"');
    await queryRunner.query('DROP TABLE "login_throttle"');
  }
}
