import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795445427929 implements MigrationInterface {
  name = 'InitialSchema1795445427929';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // gen_random_uuid() is core since PostgreSQL 13; TypeORM still expects the extension when uuidExtension is pgcrypto.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await queryRunner.query(
      'CREATE TABLE "organisation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "description" text NOT NULL DEFAULT \'\', "case_counter" integer NOT NULL DEFAULT \'0\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_organisation" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "organisation_link" ("from_id" uuid NOT NULL, "to_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_organisation_link" PRIMARY KEY ("from_id", "to_id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_organisation_link_to_id" ON "organisation_link"  ("to_id") ');
    await queryRunner.query(
      'CREATE TABLE "profile" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "permissions" text array NOT NULL DEFAULT \'{}\', "external" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_profile" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "app_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "login" text NOT NULL, "name" text NOT NULL, "email" text, "type" text NOT NULL DEFAULT \'INTERNAL\', "password_hash" text, "locked" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_app_user_login" UNIQUE ("login"), CONSTRAINT "pk_app_user" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "membership" ("user_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "profile_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_membership" PRIMARY KEY ("user_id", "organisation_id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_membership_profile_id" ON "membership"  ("profile_id") ');
    await queryRunner.query('CREATE INDEX "ix_membership_organisation_id" ON "membership"  ("organisation_id") ');
    await queryRunner.query(
      'CREATE TABLE "case" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "number" integer NOT NULL, "title" text NOT NULL, "description" text NOT NULL DEFAULT \'\', "severity" smallint NOT NULL DEFAULT \'2\', "status" text NOT NULL DEFAULT \'NEW\', "tlp" text NOT NULL DEFAULT \'AMBER\', "pap" text NOT NULL DEFAULT \'AMBER\', "tags" text array NOT NULL DEFAULT \'{}\', "assignee_id" uuid, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_case_organisation_id_number" UNIQUE ("organisation_id", "number"), CONSTRAINT "pk_case" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_case_created_at" ON "case"  ("created_at") ');
    await queryRunner.query(
      'CREATE TABLE "external_grant" ("case_id" uuid NOT NULL, "user_id" uuid NOT NULL, "granted_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_external_grant" PRIMARY KEY ("case_id", "user_id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_external_grant_user_id" ON "external_grant"  ("user_id") ');
    await queryRunner.query(
      'CREATE TABLE "attachment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "name" text NOT NULL, "size" bigint NOT NULL, "content_type" text NOT NULL, "sha256" text NOT NULL, "external" boolean NOT NULL DEFAULT false, "via_portal" boolean NOT NULL DEFAULT false, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_attachment" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_attachment_sha256" ON "attachment"  ("sha256") ');
    await queryRunner.query('CREATE INDEX "ix_attachment_case_id_created_at" ON "attachment"  ("case_id", "created_at") ');
    await queryRunner.query(
      'CREATE TABLE "audit" ("id" BIGSERIAL NOT NULL, "actor_id" uuid, "organisation_id" uuid, "action" text NOT NULL, "object_type" text NOT NULL, "object_id" text, "case_id" uuid, "details" jsonb NOT NULL DEFAULT \'{}\', "via_portal" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_audit" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_audit_actor_id_id" ON "audit"  ("actor_id", "id") ');
    await queryRunner.query('CREATE INDEX "ix_audit_object_type_object_id" ON "audit"  ("object_type", "object_id") ');
    await queryRunner.query('CREATE INDEX "ix_audit_case_id_id" ON "audit"  ("case_id", "id") ');
    await queryRunner.query(
      'CREATE TABLE "credential" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "kind" text NOT NULL, "token_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_credential_token_hash" UNIQUE ("token_hash"), CONSTRAINT "pk_credential" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_credential_user_id" ON "credential"  ("user_id") ');
    await queryRunner.query(
      'CREATE TABLE "invitation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_invitation_token_hash" UNIQUE ("token_hash"), CONSTRAINT "pk_invitation" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_invitation_user_id" ON "invitation"  ("user_id") ');
    await queryRunner.query(
      'CREATE TABLE "comment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "message" text NOT NULL, "external" boolean NOT NULL DEFAULT false, "via_portal" boolean NOT NULL DEFAULT false, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_comment" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_comment_case_id_created_at" ON "comment"  ("case_id", "created_at") ');
    await queryRunner.query(
      'CREATE TABLE "share" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "profile_id" uuid NOT NULL, "owner" boolean NOT NULL DEFAULT false, "task_rule" text NOT NULL DEFAULT \'MANUAL\', "observable_rule" text NOT NULL DEFAULT \'MANUAL\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_share_organisation_id_case_id" UNIQUE ("organisation_id", "case_id"), CONSTRAINT "pk_share" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_share_profile_id" ON "share"  ("profile_id") ');
    await queryRunner.query('CREATE INDEX "ix_share_case_id" ON "share"  ("case_id") ');
    await queryRunner.query(
      'CREATE TABLE "observable" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "data_type" text NOT NULL, "data" text NOT NULL, "message" text NOT NULL DEFAULT \'\', "ioc" boolean NOT NULL DEFAULT false, "tlp" text NOT NULL DEFAULT \'AMBER\', "created_by_external" boolean NOT NULL DEFAULT false, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_observable" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_observable_case_id" ON "observable"  ("case_id") ');
    await queryRunner.query(
      'CREATE TABLE "observable_share" ("share_id" uuid NOT NULL, "observable_id" uuid NOT NULL, CONSTRAINT "pk_observable_share" PRIMARY KEY ("share_id", "observable_id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_observable_share_observable_id" ON "observable_share"  ("observable_id") ');
    await queryRunner.query(
      'CREATE TABLE "task" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "title" text NOT NULL, "description" text NOT NULL DEFAULT \'\', "status" text NOT NULL DEFAULT \'WAITING\', "assignee_id" uuid, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_task" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_task_case_id" ON "task"  ("case_id") ');
    await queryRunner.query(
      'CREATE TABLE "task_share" ("share_id" uuid NOT NULL, "task_id" uuid NOT NULL, CONSTRAINT "pk_task_share" PRIMARY KEY ("share_id", "task_id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_task_share_task_id" ON "task_share"  ("task_id") ');
    await queryRunner.query(
      'ALTER TABLE "organisation_link" ADD CONSTRAINT "fk_organisation_link_from_id" FOREIGN KEY ("from_id") REFERENCES "organisation"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "organisation_link" ADD CONSTRAINT "fk_organisation_link_to_id" FOREIGN KEY ("to_id") REFERENCES "organisation"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "membership" ADD CONSTRAINT "fk_membership_user_id" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "membership" ADD CONSTRAINT "fk_membership_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "membership" ADD CONSTRAINT "fk_membership_profile_id" FOREIGN KEY ("profile_id") REFERENCES "profile"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case" ADD CONSTRAINT "fk_case_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case" ADD CONSTRAINT "fk_case_assignee_id" FOREIGN KEY ("assignee_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case" ADD CONSTRAINT "fk_case_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "external_grant" ADD CONSTRAINT "fk_external_grant_case_id" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "external_grant" ADD CONSTRAINT "fk_external_grant_user_id" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "external_grant" ADD CONSTRAINT "fk_external_grant_granted_by" FOREIGN KEY ("granted_by") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "attachment" ADD CONSTRAINT "fk_attachment_case_id" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "attachment" ADD CONSTRAINT "fk_attachment_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "credential" ADD CONSTRAINT "fk_credential_user_id" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "invitation" ADD CONSTRAINT "fk_invitation_user_id" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "comment" ADD CONSTRAINT "fk_comment_case_id" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "comment" ADD CONSTRAINT "fk_comment_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "share" ADD CONSTRAINT "fk_share_case_id" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "share" ADD CONSTRAINT "fk_share_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "share" ADD CONSTRAINT "fk_share_profile_id" FOREIGN KEY ("profile_id") REFERENCES "profile"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "observable" ADD CONSTRAINT "fk_observable_case_id" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "observable" ADD CONSTRAINT "fk_observable_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "observable_share" ADD CONSTRAINT "fk_observable_share_share_id" FOREIGN KEY ("share_id") REFERENCES "share"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "observable_share" ADD CONSTRAINT "fk_observable_share_observable_id" FOREIGN KEY ("observable_id") REFERENCES "observable"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "task" ADD CONSTRAINT "fk_task_case_id" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "task" ADD CONSTRAINT "fk_task_assignee_id" FOREIGN KEY ("assignee_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "task" ADD CONSTRAINT "fk_task_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "task_share" ADD CONSTRAINT "fk_task_share_share_id" FOREIGN KEY ("share_id") REFERENCES "share"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "task_share" ADD CONSTRAINT "fk_task_share_task_id" FOREIGN KEY ("task_id") REFERENCES "task"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    // Hand-written: expression indexes TypeORM cannot describe (declared synchronize: false on the entities).
    await queryRunner.query(`CREATE UNIQUE INDEX "ix_organisation_name_lower" ON "organisation" (lower("name"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ix_profile_name_lower" ON "profile" (lower("name"))`);
    await queryRunner.query(`CREATE INDEX "ix_audit_login" ON "audit" ((details->>'login'), "id") WHERE "action" LIKE 'login.%'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_audit_login"`);
    await queryRunner.query(`DROP INDEX "ix_profile_name_lower"`);
    await queryRunner.query(`DROP INDEX "ix_organisation_name_lower"`);
    await queryRunner.query('ALTER TABLE "task_share" DROP CONSTRAINT "fk_task_share_task_id"');
    await queryRunner.query('ALTER TABLE "task_share" DROP CONSTRAINT "fk_task_share_share_id"');
    await queryRunner.query('ALTER TABLE "task" DROP CONSTRAINT "fk_task_created_by"');
    await queryRunner.query('ALTER TABLE "task" DROP CONSTRAINT "fk_task_assignee_id"');
    await queryRunner.query('ALTER TABLE "task" DROP CONSTRAINT "fk_task_case_id"');
    await queryRunner.query('ALTER TABLE "observable_share" DROP CONSTRAINT "fk_observable_share_observable_id"');
    await queryRunner.query('ALTER TABLE "observable_share" DROP CONSTRAINT "fk_observable_share_share_id"');
    await queryRunner.query('ALTER TABLE "observable" DROP CONSTRAINT "fk_observable_created_by"');
    await queryRunner.query('ALTER TABLE "observable" DROP CONSTRAINT "fk_observable_case_id"');
    await queryRunner.query('ALTER TABLE "share" DROP CONSTRAINT "fk_share_profile_id"');
    await queryRunner.query('ALTER TABLE "share" DROP CONSTRAINT "fk_share_organisation_id"');
    await queryRunner.query('ALTER TABLE "share" DROP CONSTRAINT "fk_share_case_id"');
    await queryRunner.query('ALTER TABLE "comment" DROP CONSTRAINT "fk_comment_created_by"');
    await queryRunner.query('ALTER TABLE "comment" DROP CONSTRAINT "fk_comment_case_id"');
    await queryRunner.query('ALTER TABLE "invitation" DROP CONSTRAINT "fk_invitation_user_id"');
    await queryRunner.query('ALTER TABLE "credential" DROP CONSTRAINT "fk_credential_user_id"');
    await queryRunner.query('ALTER TABLE "attachment" DROP CONSTRAINT "fk_attachment_created_by"');
    await queryRunner.query('ALTER TABLE "attachment" DROP CONSTRAINT "fk_attachment_case_id"');
    await queryRunner.query('ALTER TABLE "external_grant" DROP CONSTRAINT "fk_external_grant_granted_by"');
    await queryRunner.query('ALTER TABLE "external_grant" DROP CONSTRAINT "fk_external_grant_user_id"');
    await queryRunner.query('ALTER TABLE "external_grant" DROP CONSTRAINT "fk_external_grant_case_id"');
    await queryRunner.query('ALTER TABLE "case" DROP CONSTRAINT "fk_case_created_by"');
    await queryRunner.query('ALTER TABLE "case" DROP CONSTRAINT "fk_case_assignee_id"');
    await queryRunner.query('ALTER TABLE "case" DROP CONSTRAINT "fk_case_organisation_id"');
    await queryRunner.query('ALTER TABLE "membership" DROP CONSTRAINT "fk_membership_profile_id"');
    await queryRunner.query('ALTER TABLE "membership" DROP CONSTRAINT "fk_membership_organisation_id"');
    await queryRunner.query('ALTER TABLE "membership" DROP CONSTRAINT "fk_membership_user_id"');
    await queryRunner.query('ALTER TABLE "organisation_link" DROP CONSTRAINT "fk_organisation_link_to_id"');
    await queryRunner.query('ALTER TABLE "organisation_link" DROP CONSTRAINT "fk_organisation_link_from_id"');
    await queryRunner.query('DROP INDEX "public"."ix_task_share_task_id"');
    await queryRunner.query('DROP TABLE "task_share"');
    await queryRunner.query('DROP INDEX "public"."ix_task_case_id"');
    await queryRunner.query('DROP TABLE "task"');
    await queryRunner.query('DROP INDEX "public"."ix_observable_share_observable_id"');
    await queryRunner.query('DROP TABLE "observable_share"');
    await queryRunner.query('DROP INDEX "public"."ix_observable_case_id"');
    await queryRunner.query('DROP TABLE "observable"');
    await queryRunner.query('DROP INDEX "public"."ix_share_case_id"');
    await queryRunner.query('DROP INDEX "public"."ix_share_profile_id"');
    await queryRunner.query('DROP TABLE "share"');
    await queryRunner.query('DROP INDEX "public"."ix_comment_case_id_created_at"');
    await queryRunner.query('DROP TABLE "comment"');
    await queryRunner.query('DROP INDEX "public"."ix_invitation_user_id"');
    await queryRunner.query('DROP TABLE "invitation"');
    await queryRunner.query('DROP INDEX "public"."ix_credential_user_id"');
    await queryRunner.query('DROP TABLE "credential"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_case_id_id"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_object_type_object_id"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_actor_id_id"');
    await queryRunner.query('DROP TABLE "audit"');
    await queryRunner.query('DROP INDEX "public"."ix_attachment_case_id_created_at"');
    await queryRunner.query('DROP INDEX "public"."ix_attachment_sha256"');
    await queryRunner.query('DROP TABLE "attachment"');
    await queryRunner.query('DROP INDEX "public"."ix_external_grant_user_id"');
    await queryRunner.query('DROP TABLE "external_grant"');
    await queryRunner.query('DROP INDEX "public"."ix_case_created_at"');
    await queryRunner.query('DROP TABLE "case"');
    await queryRunner.query('DROP INDEX "public"."ix_membership_organisation_id"');
    await queryRunner.query('DROP INDEX "public"."ix_membership_profile_id"');
    await queryRunner.query('DROP TABLE "membership"');
    await queryRunner.query('DROP TABLE "app_user"');
    await queryRunner.query('DROP TABLE "profile"');
    await queryRunner.query('DROP INDEX "public"."ix_organisation_link_to_id"');
    await queryRunner.query('DROP TABLE "organisation_link"');
    await queryRunner.query('DROP TABLE "organisation"');
  }
}
