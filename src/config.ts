import path from 'node:path';

/** Every setting the server reads, in one place (documented in the README's configuration table). */
export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  initialAdminPassword?: string;
  sessionTtlSeconds: number;
  loginMaxAttempts: number;
  loginWindowSeconds: number;
  maxUploadBytes: number;
  maxBodyBytes: number;
  smtpUrl?: string;
  mailFrom: string;
  portalUrl: string;
  invitationTtlSeconds: number;
  /** R7/R36: the Cortex connector; changeable at run time (setConfig cortexEnabled). */
  cortexEnabled: boolean;
  /** R37: base URL of the Cortex server (CORTEX_URL); unset: jobs fail with a reason saying so. */
  cortexUrl?: string;
  /** R37: Cortex API key, sent as `Authorization: Bearer <key>` (CORTEX_API_KEY). */
  cortexApiKey?: string;
  /** One Cortex HTTP call gives up after this long (CORTEX_TIMEOUT_MS); it is then retried with backoff. */
  cortexTimeoutMs: number;
  /** How often a running Cortex job is polled (CORTEX_POLL_MS). */
  cortexPollMs: number;
  production: boolean;
  logLevel: string;
  dbPoolSize: number;
  /** A WebSocket with no running subscription for this long is closed (unauthenticated sockets included). */
  wsIdleSeconds: number;
  /** Origins allowed to call from a browser (CORS); empty: same-origin only, no CORS headers at all. `*` allows any. */
  corsOrigins: string[];
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** `file` (under dataDir) or `s3://bucket[/prefix]`. */
  attachmentStore: string;
  /** Endpoint of an S3-compatible server (path-style addressing); unset: AWS S3 itself. */
  s3Endpoint?: string;
  /** After SIGTERM, /readyz answers 503 for this long while requests are still served, so balancers stop routing first. */
  shutdownDelayMs: number;
  /** A trusted-documents manifest: when set, the portal only runs the operations it lists (in production; logged otherwise). */
  trustedDocuments?: string;
  /** R40: the read ledger's buffer is written at least this often; a crash loses at most this interval's reads. */
  ledgerFlushMs: number;
  /** R30a: running subscriptions per socket (WS_MAX_SUBSCRIPTIONS). */
  wsMaxSubscriptions: number;
  /** R30a: sockets with a running or starting subscription per user (WS_MAX_SOCKETS_PER_USER). */
  wsMaxSocketsPerUser: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new Error(`${name} must be "true" or "false", got "${raw}"`);
}

function attachmentStore(raw: string | undefined): string {
  const value = raw?.trim() || 'file';
  if (value === 'file' || /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(value)) return value;
  throw new Error(`ATTACHMENT_STORE must be "file" or "s3://bucket[/prefix]", got "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(env.DATA_DIR || './data');
  return {
    port: int(env, 'PORT', 4000),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    initialAdminPassword: env.INITIAL_ADMIN_PASSWORD || undefined,
    sessionTtlSeconds: int(env, 'SESSION_TTL_SECONDS', 8 * 3600),
    loginMaxAttempts: int(env, 'LOGIN_MAX_ATTEMPTS', 10),
    loginWindowSeconds: int(env, 'LOGIN_WINDOW_SECONDS', 15 * 60),
    maxUploadBytes: int(env, 'MAX_UPLOAD_BYTES', 25 * 1024 * 1024),
    maxBodyBytes: int(env, 'MAX_BODY_BYTES', 1024 * 1024),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'TheHive Portal <no-reply@thehive.local>',
    portalUrl: env.PORTAL_URL || 'http://127.0.0.1:4000/portal',
    invitationTtlSeconds: int(env, 'INVITATION_TTL_SECONDS', 24 * 3600),
    cortexEnabled: bool(env, 'CORTEX_ENABLED', true),
    cortexUrl: env.CORTEX_URL?.trim().replace(/\/+$/, '') || undefined,
    cortexApiKey: env.CORTEX_API_KEY || undefined,
    cortexTimeoutMs: Math.max(1, int(env, 'CORTEX_TIMEOUT_MS', 10_000)),
    cortexPollMs: Math.max(10, int(env, 'CORTEX_POLL_MS', 1000)),
    production: env.NODE_ENV === 'production',
    logLevel: env.LOG_LEVEL || 'info',
    dbPoolSize: int(env, 'DB_POOL_SIZE', 10),
    wsIdleSeconds: int(env, 'WS_IDLE_SECONDS', 60),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean),
    metricsToken: env.METRICS_TOKEN || undefined,
    attachmentStore: attachmentStore(env.ATTACHMENT_STORE),
    s3Endpoint: env.S3_ENDPOINT || undefined,
    shutdownDelayMs: int(env, 'SHUTDOWN_DELAY_MS', 0),
    trustedDocuments: env.TRUSTED_DOCUMENTS || undefined,
    ledgerFlushMs: Math.max(1, int(env, 'LEDGER_FLUSH_MS', 500)),
    wsMaxSubscriptions: int(env, 'WS_MAX_SUBSCRIPTIONS', 5),
    wsMaxSocketsPerUser: int(env, 'WS_MAX_SOCKETS_PER_USER', 8),
    ...overrides,
  };
}
