import { timingSafeEqual, createHash } from 'node:crypto';
import type { Express, NextFunction, Request, Response } from 'express';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, OperationDefinitionNode } from 'graphql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppServices, Endpoint, RequestContext } from '../context';
import { createErrorFormatter } from '../errors/format-error';

/**
 * Prometheus metrics of one app instance (its own registry, so two instances in one process, as
 * in the tests, do not collide). Every label has a bounded set of values: a route family, a method,
 * a status, an endpoint, an error code from a fixed list, and an operation name capped at
 * MAX_OPERATION_NAMES distinct values. No label carries a user, an organisation, an id or a
 * message, so the page holds no tenant data.
 */
export const MAX_OPERATION_NAMES = 100;

const ROUTES = ['/graphql', '/portal/graphql', '/attachments', '/livez', '/readyz', '/healthz', '/metrics', '/portal'];
const METHODS = new Set(['GET', 'HEAD', 'POST', 'OPTIONS', 'PUT', 'PATCH', 'DELETE']);
const CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'INTERNAL_SERVER_ERROR',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The route family of a path: one of ROUTES or "other" (ids and unknown paths never become labels). */
export function routeOf(path: string): string {
  for (const route of ROUTES) if (path === route || path.startsWith(`${route}/`)) return route;
  return 'other';
}

/** Client-chosen operation names, first come first kept up to a cap; the rest count as "other". */
class BoundedNames {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}
  label(name: string | null | undefined): string {
    if (!name) return '(anonymous)';
    if (this.seen.has(name)) return name;
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) || this.seen.size >= this.max) return 'other';
    this.seen.add(name);
    return name;
  }
}

export class AppMetrics {
  readonly registry = new Registry();
  private readonly names = new BoundedNames(MAX_OPERATION_NAMES);
  private readonly http = new Histogram({
    name: 'hive_http_request_duration_seconds',
    help: 'HTTP requests by route family, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly operations = new Histogram({
    name: 'hive_graphql_operation_duration_seconds',
    help: `GraphQL operations over HTTP by endpoint, type and name (the first ${MAX_OPERATION_NAMES} distinct names; later ones are "other")`,
    labelNames: ['endpoint', 'type', 'operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'hive_graphql_errors_total',
    help: 'GraphQL errors by endpoint and the code the client received',
    labelNames: ['endpoint', 'code'] as const,
    registers: [this.registry],
  });
  private readonly loginFailures = new Counter({
    name: 'hive_login_failures_total',
    help: 'Refused password logins by endpoint and code (throttled attempts included)',
    labelNames: ['endpoint', 'code'] as const,
    registers: [this.registry],
  });
  private readonly format = createErrorFormatter();

  constructor(services: Pick<AppServices, 'db' | 'auditBus'>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'hive_' });
    const pool = () =>
      (services.db.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number; options?: { max?: number } } }).master;
    new Gauge({
      name: 'hive_db_pool_connections',
      help: 'Database pool: open (total), idle, waiting callers, and the maximum',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const p = pool();
        if (!p) return;
        this.set({ state: 'total' }, p.totalCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
        if (p.options?.max !== undefined) this.set({ state: 'max' }, p.options.max);
      },
    });
    new Gauge({
      name: 'hive_live_feed_subscribers',
      help: 'liveFeed subscriptions running on this instance',
      registers: [this.registry],
      collect() {
        this.set(services.auditBus.listenerCount('audit'));
      },
    });
  }

  /** Observes every HTTP request when its answer is finished (or the client went away). */
  httpMiddleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const started = process.hrtime.bigint();
      const route = routeOf(req.path);
      res.once('close', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.http.observe({ route, method: METHODS.has(req.method) ? req.method : 'OTHER', status: String(res.statusCode) }, seconds);
      });
      next();
    };
  }

  private codeOf(err: GraphQLError): string {
    const code = this.format(err.toJSON(), err).extensions?.code;
    return typeof code === 'string' && CODES.has(code) ? code : 'OTHER';
  }

  /** Operation latency, errors by code, and refused logins (the `login` root field answered with an error). */
  apolloPlugin(endpoint: Endpoint): ApolloServerPlugin<RequestContext> {
    // The hooks below are methods of Apollo's plugin object: their own `this` is not this class.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const metrics = this;
    return {
      async requestDidStart() {
        const started = process.hrtime.bigint();
        let operation: OperationDefinitionNode | undefined;
        let name: string | null | undefined;
        return {
          async didResolveOperation(rc) {
            operation = rc.operation;
            name = rc.operationName;
          },
          async didEncounterErrors({ errors }) {
            const loginKeys = new Set(
              (operation?.operation === 'mutation' ? operation.selectionSet.selections : []).flatMap((s) =>
                s.kind === Kind.FIELD && s.name.value === 'login' ? [s.alias?.value ?? 'login'] : [],
              ),
            );
            for (const err of errors) {
              const code = metrics.codeOf(err);
              metrics.errors.inc({ endpoint, code });
              if (err.path?.length === 1 && loginKeys.has(String(err.path[0]))) metrics.loginFailures.inc({ endpoint, code });
            }
          },
          async willSendResponse() {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            metrics.operations.observe(
              { endpoint, type: operation?.operation ?? 'unresolved', operation: operation ? metrics.names.label(name) : '(invalid)' },
              seconds,
            );
          },
        };
      },
    };
  }

  /** GET /metrics in the Prometheus text format; with METRICS_TOKEN set, only for `Authorization: Bearer <token>`. */
  mount(app: Express, token: string | undefined): void {
    const expected = token ? createHash('sha256').update(`Bearer ${token}`).digest() : undefined;
    app.get('/metrics', async (req, res) => {
      if (expected) {
        const given = createHash('sha256')
          .update(req.headers.authorization ?? '')
          .digest();
        if (!timingSafeEqual(given, expected)) {
          res
            .status(401)
            .setHeader('WWW-Authenticate', 'Bearer')
            .json({ errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }] });
          return;
        }
      }
      res.setHeader('Content-Type', this.registry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.end(await this.registry.metrics());
    });
  }
}
