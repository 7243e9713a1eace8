import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import type { Logger } from './logger';
import { ADMIN_ORGANISATION, sortPermissions } from './authz/permissions';
import { DEFAULT_PROFILES } from './modules/profile/default-profiles';
import { hashPassword } from './modules/auth/passwords';
import { appendAudit } from './modules/audit-trail/audit-append';

export const INITIAL_ADMIN_LOGIN = 'admin@thehive.local';

/**
 * First start on an empty database: organisation `admin`, the default profiles (R9) and the
 * first administrator. Runs under an advisory lock and only while `admin` does not exist, so
 * restarts and concurrent starts never duplicate anything (and deleted default profiles stay deleted).
 */
export async function bootstrap(db: DataSource, config: Config, logger: Logger): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7243001)');
    const existing = await tx.query('SELECT 1 FROM organisation WHERE name = $1', [ADMIN_ORGANISATION]);
    if (existing.length) return;
    const [org] = await tx.query(`INSERT INTO organisation (name, description) VALUES ($1, 'Administration of the platform') RETURNING id`, [
      ADMIN_ORGANISATION,
    ]);
    let adminProfileId = '';
    for (const p of DEFAULT_PROFILES) {
      const [row] = await tx.query('INSERT INTO profile (name, permissions, external) VALUES ($1, $2, $3) RETURNING id', [
        p.name,
        sortPermissions(p.permissions),
        p.external,
      ]);
      if (p.name === 'admin') adminProfileId = row.id;
    }
    const generated = !config.initialAdminPassword;
    const password = config.initialAdminPassword ?? randomBytes(12).toString('base64url');
    const [user] = await tx.query(`INSERT INTO app_user (login, name, type, password_hash) VALUES ($1, 'Administrator', 'INTERNAL', $2) RETURNING id`, [
      INITIAL_ADMIN_LOGIN,
      await hashPassword(password),
    ]);
    await tx.query('INSERT INTO membership (user_id, organisation_id, profile_id) VALUES ($1, $2, $3)', [user.id, org.id, adminProfileId]);
    await appendAudit(tx, [
      {
        id: randomUUID(),
        actorId: user.id,
        organisationId: org.id,
        action: 'platform.bootstrap',
        objectType: 'Organisation',
        objectId: org.id,
        caseId: null,
        viaPortal: false,
        details: { profiles: DEFAULT_PROFILES.map((p) => p.name), admin: INITIAL_ADMIN_LOGIN },
      },
    ]);
    if (generated) {
      // Printed once, on purpose: the operator needs it to log in the first time.
      logger.warn(`initial administrator ${INITIAL_ADMIN_LOGIN} created with password: ${password}`);
    } else {
      logger.info(`initial administrator ${INITIAL_ADMIN_LOGIN} created with INITIAL_ADMIN_PASSWORD`);
    }
  });
}
