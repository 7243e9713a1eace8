import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Permission } from './generated/internal';
import { AppError } from './errors/app-error';
import { confirmPrincipal, resolvePrincipal, Principal } from './modules/auth/principal';
import { createLoaders, Loaders } from './loaders';
import type { Mailer } from './modules/external/mailer';
import type { FileStore } from './modules/attachment/file-store';
import type { AuditBus } from './modules/audit/audit-bus';
import type { ReadLedger } from './modules/ledger/read-ledger';
import { loadSettings, Settings } from './modules/config/settings';
import type { CortexFollower } from './modules/cortex/cortex.follower';

export type Endpoint = 'internal' | 'portal';

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

export async function createContext(app: AppServices, endpoint: Endpoint, headers: RequestHeaders, requestId: string = randomUUID()): Promise<RequestContext> {
  const ctx: RequestContext = {
    ...app,
    requestId,
    endpoint,
    credentials: headers,
    logger: app.logger.child({ requestId, endpoint }),
    loaders: undefined as unknown as Loaders,
    settings: undefined as unknown as Settings,
    transaction: (fn) => app.db.transaction(async (tx) => {
      await confirmPrincipal(ctx, tx);
      return fn(tx);
    }),
  };
  ctx.loaders = createLoaders(ctx);
  const result = await resolvePrincipal(ctx, headers);
  if (result instanceof AppError) ctx.authError = result;
  else ctx.principal = result;
  // No principal row was read (anonymous, or unknown credentials): the settings in one statement of their own.
  if (!ctx.settings) ctx.settings = await loadSettings(ctx.db, ctx.config);
  return ctx;
}

/** The principal of an authenticated request; rules have already refused the others. */
export function principalOf(ctx: RequestContext): Principal {
  if (ctx.authError) throw ctx.authError;
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Authentication required');
  return ctx.principal;
}

export function hasPermission(ctx: RequestContext, permission: Permission): boolean {
  return !!ctx.principal?.permissions.has(permission);
}
