import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express, { NextFunction, Request, Response } from 'express';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type graphqlUploadExpressType from 'graphql-upload/graphqlUploadExpress.mjs' with { 'resolution-mode': 'import' };

// graphql-upload is ESM-only; Node ≥20.19 loads it with require() (stack.md).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const graphqlUploadExpress: typeof graphqlUploadExpressType = require('graphql-upload/graphqlUploadExpress.mjs').default;
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { createLogger, Logger } from './logger';
import { createDataSource } from './db/data-source';
import { createContext } from './create-context';
import { AppServices, Endpoint, RequestContext } from './context';
import { buildInternalSchema, buildPortalSchema } from './schema';
import { createErrorFormatter, isUnexpected } from './errors/format-error';
import { bootstrap } from './bootstrap';
import { createMailer } from './modules/external/mailer';
import { createAttachmentStore } from './modules/attachment/attachment-store';
import { attachmentDownloadHandler } from './modules/attachment/attachment.download';
import { sweepFileStore } from './modules/attachment/file-collector';
import { AuditBus } from './modules/audit-trail/audit-bus';
import { auditExportHandler } from './modules/audit/audit-export';
import { ReadLedger } from './modules/ledger/read-ledger';
import { purgeExpiredSessions } from './modules/auth/auth.service';
import { loadSettings } from './modules/config/settings';
import { CortexFollower } from './modules/cortex/cortex.follower';
import { attachSubscriptions } from './subscriptions';
import { mountPortalPage } from './portal-page';
import { mountHealth, Readiness } from './ops/health';
import { AppMetrics } from './ops/metrics';
import { corsMiddleware } from './ops/cors';
import { loadTrustedDocuments, trustedDocumentsPlugin } from './ops/trusted-documents';

export interface RunningApp {
  url: string;
  port: number;
  services: AppServices;
  /** The start-up sweep of the file store's leftovers, which runs in the background; never rejects. */
  fileSweep: Promise<void>;
  stop(): Promise<void>;
}

function requestLogPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors, contextValue: ctx }) {
          for (const err of errors) {
            if (isUnexpected(err)) ctx.logger.error({ err: err.originalError ?? err, path: err.path }, 'unexpected error');
          }
        },
        async willSendResponse({ request, errors }) {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          contextValue.logger.info(
            { operation: request.operationName, user: contextValue.principal?.login, ms: Math.round(ms * 10) / 10, errors: errors?.length ?? 0 },
            'graphql request',
          );
        },
      };
    },
  };
}

/**
 * Subscriptions are served over graphql-ws only (R30); over HTTP POST they are the client's
 * mistake, answered as such before execution (no error log, no 500).
 */
function refuseHttpSubscriptions(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'subscription') {
            throw new GraphQLError('Subscriptions use graphql-ws on /graphql, not HTTP POST', {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

/**
 * At most this many tokens in a document, for both endpoints and graphql-ws: graphql-js's parser
 * stops there (Apollo answers 400 GRAPHQL_PARSE_FAILED), before any validation rule walks it.
 * Apollo keeps parsed documents, so a client's repeated query text is not lexed again.
 */
const PARSE_OPTIONS = { maxTokens: 5000 };

/** How often every instance deletes expired sessions (also done per user at login). */
const SESSION_PURGE_MS = 60 * 60 * 1000;

/** Depth, cost, alias and directive limits for both endpoints (graphql-armor). */
function armor() {
  return new ApolloArmor({
    // Fragments count by their fields, not as levels: clients (Relay, Apollo Client) nest them freely.
    maxDepth: { n: 10, flattenFragments: true },
    costLimit: { maxCost: 20000, flattenFragments: true },
    maxAliases: { n: 30 },
    maxDirectives: { n: 30 },
    maxTokens: { enabled: false }, // the parser's own limit (PARSE_OPTIONS): armor's plugin answers 500
  }).protect();
}

async function makeApollo(
  endpoint: Endpoint,
  config: Config,
  logger: Logger,
  httpServer: http.Server,
  extraPlugins: ApolloServerPlugin<RequestContext>[] = [],
) {
  const built = endpoint === 'internal' ? buildInternalSchema() : buildPortalSchema();
  const protection = armor();
  const server = new ApolloServer<RequestContext>({
    schema: built.schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    // No schema hints in production ("Did you mean …"), whether validation or coercion made them.
    hideSchemaDetailsFromClientErrors: config.production,
    formatError: createErrorFormatter({ hideSuggestions: config.production }),
    validationRules: protection.validationRules,
    parseOptions: PARSE_OPTIONS,
    // Cache-control hints are unused here, and the plugin instruments every field resolver.
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ...protection.plugins,
      requestLogPlugin(),
      refuseHttpSubscriptions(),
      ...extraPlugins,
      ...(endpoint === 'internal' ? [ApolloServerPluginDrainHttpServer({ httpServer })] : []),
    ],
    // GET queries are accepted with a bearer Authorization header alone: a browser cannot send that
    // header cross-origin without a preflight, and no cookie ever authenticates (README, "Operating it").
    csrfPrevention: { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization'] },
  });
  await server.start();
  return { server, schema: built.schema, validationRules: protection.validationRules };
}

/** Multipart requests must carry a preflight header (CSRF, stack.md §3), checked before any byte is buffered. */
function requirePreflightForMultipart(req: Request, res: Response, next: NextFunction) {
  if (req.is('multipart/form-data') && !req.headers['apollo-require-preflight'] && !req.headers['x-apollo-operation-name']) {
    res.status(400).json({ errors: [{ message: 'Multipart requests need the header "apollo-require-preflight: true"', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  next();
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export async function startApp(config: Config, opts: { logger?: Logger } = {}): Promise<RunningApp> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const db: DataSource = await createDataSource({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize });
  try {
    await db.runMigrations({ transaction: 'each' });
    await bootstrap(db, config, logger);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  const services: AppServices = {
    config,
    logger,
    db,
    mailer: createMailer(config, logger),
    files: createAttachmentStore(config),
    auditBus: new AuditBus(),
    readLedger: new ReadLedger(db, logger, { flushMs: config.ledgerFlushMs, batchSize: 500 }),
    cortex: new CortexFollower(db, config, logger),
  };
  await services.auditBus.start(db, logger);
  // R37: jobs left running by a previous start (or another instance that stopped) are followed again.
  await services.cortex.start();

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  app.use((req, res, next) => {
    const id = headerValue(req.headers['x-request-id']);
    const requestId = id && /^[\w-]{1,64}$/.test(id) ? id : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  const metrics = new AppMetrics(services);
  app.use(metrics.httpMiddleware());
  const cors = corsMiddleware(config.corsOrigins);
  if (cors) app.use(cors);
  const readiness = new Readiness();
  mountHealth(app, db, readiness);
  metrics.mount(app, config.metricsToken);

  const internal = await makeApollo('internal', config, logger, httpServer, [metrics.apolloPlugin('internal')]);
  // TRUSTED_DOCUMENTS: the portal runs only the listed operations in production (logged elsewhere).
  const trusted = config.trustedDocuments
    ? [trustedDocumentsPlugin(loadTrustedDocuments(config.trustedDocuments), config.production ? 'enforce' : 'report', logger)]
    : [];
  const portal = await makeApollo('portal', config, logger, httpServer, [metrics.apolloPlugin('portal'), ...trusted]);
  const context =
    (endpoint: Endpoint) =>
    async ({ req, res }: { req: Request; res: Response }) =>
      createContext(
        services,
        endpoint,
        {
          authorization: headerValue(req.headers.authorization),
          organisation: headerValue(req.headers['x-organisation']),
        },
        res.locals.requestId,
      );

  // R36: the upload limit can change at run time, so a multipart request reads it (one statement)
  // before its body is parsed. busboy stops a file when it REACHES its limit, so +1 lets a file of
  // exactly maxUploadBytes through (the file store's own meter refuses the byte after it).
  const uploadsWithLiveLimit = (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    loadSettings(db, config).then((settings) => graphqlUploadExpress({ maxFileSize: settings.maxUploadBytes + 1, maxFiles: 1 })(req, res, next), next);
  };
  const mount = (path: string, server: ApolloServer<RequestContext>, endpoint: Endpoint) =>
    app.use(
      path,
      requirePreflightForMultipart,
      uploadsWithLiveLimit,
      express.json({ limit: config.maxBodyBytes }),
      expressMiddleware(server, { context: context(endpoint) }),
    );
  mount('/graphql', internal.server, 'internal');
  mount('/portal/graphql', portal.server, 'portal');
  // The id is optional in the route so that /attachments/ goes through authentication like any id
  // (401 before 404), instead of express's HTML page.
  app.get('/attachments{/:id}', attachmentDownloadHandler(services));
  mountPortalPage(app); // the portal web page at /portal/ (after /portal/graphql)
  app.get('/audit/export', auditExportHandler(services));
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
  });

  // Body-parser errors (malformed JSON, too large) and anything else that escaped: a clear code, never a stack.
  app.use((err: { status?: number; type?: string; expose?: boolean; message?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) logger.error({ err, requestId: res.locals.requestId }, 'unhandled http error');
    const message =
      status === 413 ? 'Request body too large' : status === 500 ? 'Internal server error' : err.expose && err.message ? err.message : 'Bad request';
    res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
  });

  const disposeWs = attachSubscriptions(httpServer, internal.schema, services, internal.validationRules, PARSE_OPTIONS);

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  logger.info({ url, database: config.databaseUrl ? 'postgresql' : 'embedded (PGlite)' }, 'server listening');

  const stopSweep = new AbortController();
  const fileSweep = sweepFileStore(services, stopSweep.signal);
  // The window as set at run time (R36), read afresh: a longer one must not lose throttles still counting.
  const purge = () =>
    loadSettings(db, config)
      .then((s) => purgeExpiredSessions(db, s.loginWindowSeconds))
      .catch((err) => logger.warn({ err }, 'could not purge expired sessions'));
  const purgeTimer = setInterval(purge, SESSION_PURGE_MS).unref();
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    services,
    fileSweep,
    stop: () =>
      (stopping ??= (async () => {
        // Readiness off first: balancers stop routing here while requests are still served.
        readiness.markShuttingDown();
        if (config.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
        stopSweep.abort();
        clearInterval(purgeTimer);
        await disposeWs();
        await internal.server.stop(); // drains HTTP: stops accepting, finishes in-flight requests
        await portal.server.stop();
        await services.cortex.stop(); // leases released: another instance (or the next start) follows its jobs
        await services.readLedger.close(); // R40: the reads answered so far are written before the database closes
        services.mailer.close();
        await services.auditBus.close();
        await fileSweep;
        await db.destroy();
      })()),
  };
}
