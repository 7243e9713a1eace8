import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Permission } from './generated/internal';
import { AppError } from './errors/app-error';
import type { Mailer } from './modules/external/mailer';
import type { FileStore } from './modules/attachment/file-store';
import type { AuditBus } from './modules/audit-trail/audit-bus';
import type { ReadLedger } from './modules/ledger/read-ledger';
import type { Settings } from './modules/config/settings';
import type { CortexFollower } from './modules/cortex/cortex.follower';
import type { Loaders } from './loader-map';

export type Endpoint = 'internal' | 'portal';

/** Who is calling, in which organisation: resolved from the credentials by modules/auth/principal.ts. */
export interface Principal {
  userId: string;
  login: string;
  name: string;
  type: 'INTERNAL' | 'EXTERNAL';
  credentialId: string;
  /**
   * R11a: the credential was made or known by a manager of this organisation (a key they minted,
   * a session of a password they set): it acts only there and can neither mint keys nor change
   * the account's password. Null for the user's own credentials.
   */
  credentialOrganisationId: string | null;
  organisationId: string;
  organisationName: string;
  inAdminOrganisation: boolean;
  profileId: string;
  profileName: string;
  /** Effective organisation permissions (R6, R7); case rights intersect these with the share (R15). */
  permissions: ReadonlySet<Permission>;
}

/** What the server shares with every request. */
export interface AppServices {
  config: Config;
  logger: Logger;
  db: DataSource;
  mailer: Mailer;
  files: FileStore;
  auditBus: AuditBus;
  /** R40: reads of cases and attachments from outside the owner organisation, written in batches. */
  readLedger: ReadLedger;
  /** R37: follows Cortex jobs in the background until they end, one follower per job across instances. */
  cortex: CortexFollower;
}

/**
 * Per request: who is calling, in which organisation, with which effective permissions
 * (computed once, R5–R7), and the request's loaders. Authentication problems are recorded, not
 * thrown, so `@public` fields (login) still work with a stale token; every `@requires` field throws them.
 */
export interface RequestContext extends AppServices {
  requestId: string;
  endpoint: Endpoint;
  /** The credentials this context was built from, to re-check them on long-lived operations. */
  credentials: RequestHeaders;
  principal?: Principal;
  authError?: AppError;
  loaders: Loaders;
  /**
   * R36: the platform settings as of this request (environment + run-time changes), read with the
   * principal's statement; use these, never `config`, for the keys `setConfig` can change.
   */
  settings: Settings;
  /**
   * Runs fn in one transaction; every write and its audit entry go through here (R28). The
   * caller's rights are confirmed first, inside the transaction (R11b).
   */
  transaction<T>(fn: (tx: EntityManager) => Promise<T>): Promise<T>;
}

export interface RequestHeaders {
  authorization?: string;
  organisation?: string;
}

/** The principal of an authenticated request; rules have already refused the others. */
export function principalOf(ctx: RequestContext): Principal {
  if (ctx.authError) throw ctx.authError;
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Authentication required');
  return ctx.principal;
}
