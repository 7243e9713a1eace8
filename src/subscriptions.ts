import type http from 'node:http';
import { getOperationAST, GraphQLError, GraphQLSchema, parse, ParseOptions, specifiedRules, validate, ValidationRule } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { createContext } from './create-context';
import { AppServices, principalOf, RequestHeaders } from './context';
import { AppError } from './errors/app-error';
import { createErrorFormatter } from './errors/format-error';

const AUTHORIZATION = ['authorization'];
const ORGANISATION = ['x-organisation', 'organisation'];

/** The first non-blank value among `names` in a header-like object, whatever the case of its keys. */
function pick(bag: unknown, names: readonly string[]): string | undefined {
  if (!bag || typeof bag !== 'object') return undefined;
  for (const [key, raw] of Object.entries(bag)) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (names.includes(key.toLowerCase()) && typeof value === 'string' && value.trim()) return value;
  }
  return undefined;
}

/**
 * Clients pass the contract's headers in different places: browsers cannot set headers on the
 * upgrade, so they use the connection_init payload (flat, or as `headers` like an HTTP client);
 * server-side clients often send them on the upgrade request. Each credential is taken from the
 * first place that has it, in that order.
 */
function socketCredentials(connectionParams: Record<string, unknown> | undefined, upgrade: http.IncomingMessage | undefined): RequestHeaders {
  const sources = [connectionParams, connectionParams?.headers, upgrade?.headers];
  const first = (names: readonly string[]) => sources.reduce<string | undefined>((found, bag) => found ?? pick(bag, names), undefined);
  return { authorization: first(AUTHORIZATION), organisation: first(ORGANISATION) };
}

/**
 * graphql-ws on /graphql for liveFeed (R30). This traffic bypasses Apollo's plugins (stack.md §7),
 * so it gets the same token and validation limits and the same error formatter here. Every connection is
 * acknowledged; each operation builds a fresh context from the socket's credentials, and one the
 * HTTP endpoint would refuse is answered with that same refusal (UNAUTHENTICATED/FORBIDDEN, as a
 * GraphQL error the client can read) before anything executes. The live feed re-resolves the
 * credentials for every entry, so locking, logout, demotion and unsharing apply to an open socket
 * too. Only subscriptions are served here; queries and mutations go over HTTP.
 * Returns the disposer.
 */
export function attachSubscriptions(
  server: http.Server,
  schema: GraphQLSchema,
  services: AppServices,
  rules: readonly ValidationRule[],
  parseOptions: ParseOptions,
): () => Promise<void> {
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: 64 * 1024 });
  const { config } = services;
  const format = createErrorFormatter({ hideSuggestions: config.production });
  // R30a: sockets per user that have started a subscription, released when the socket closes.
  const socketsOfUser = new Map<string, Set<object>>();
  const usersOfSocket = new WeakMap<object, Set<string>>();
  const tooMany = (message: string) => [new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', reason: 'SUBSCRIPTION_LIMIT' } })];
  const claimSocket = (socket: object, userId: string): boolean => {
    const sockets = socketsOfUser.get(userId) ?? socketsOfUser.set(userId, new Set()).get(userId)!;
    if (sockets.has(socket)) return true;
    if (sockets.size >= config.wsMaxSocketsPerUser) return false;
    sockets.add(socket);
    (usersOfSocket.get(socket) ?? usersOfSocket.set(socket, new Set()).get(socket)!).add(userId);
    return true;
  };
  const releaseSocket = (socket: object) => {
    for (const userId of usersOfSocket.get(socket) ?? []) {
      const sockets = socketsOfUser.get(userId);
      sockets?.delete(socket);
      if (!sockets?.size) socketsOfUser.delete(userId);
    }
    usersOfSocket.delete(socket);
  };
  const formatAll = (errors: readonly GraphQLError[]) => errors.map((e) => format(e.toJSON(), e));
  // Sockets without a running subscription are closed after a while: graphql-ws's pings would
  // otherwise keep a socket open for ever, refused credentials included.
  const running = new WeakMap<object, { subscriptions: number; idle?: NodeJS.Timeout }>();
  const idleMs = services.config.wsIdleSeconds * 1000;
  const state = (socket: object) => running.get(socket) ?? running.set(socket, { subscriptions: 0 }).get(socket)!;
  const armIdle = (socket: { close(code: number, reason: string): void }) => {
    const s = state(socket);
    clearTimeout(s.idle);
    if (s.subscriptions === 0 && idleMs > 0) s.idle = setTimeout(() => socket.close(1000, 'Idle: no running subscription'), idleMs).unref();
  };
  const handle = useServer<Record<string, unknown>>(
    {
      schema,
      onConnect: (ctx) => {
        armIdle(ctx.extra.socket);
        return true;
      },
      onOperation: (ctx) => {
        const s = state(ctx.extra.socket);
        s.subscriptions++;
        clearTimeout(s.idle);
      },
      onComplete: (ctx) => {
        const s = state(ctx.extra.socket);
        s.subscriptions = Math.max(0, s.subscriptions - 1);
        armIdle(ctx.extra.socket);
      },
      onClose: (ctx) => {
        clearTimeout(running.get(ctx.extra.socket)?.idle);
        releaseSocket(ctx.extra.socket);
      },
      onSubscribe: async (ctx, _id, payload) => {
        // R30a: graphql-ws registers the operation before this hook runs, so concurrent subscribe
        // messages are all counted here; this one included.
        if (Object.keys(ctx.subscriptions).length > config.wsMaxSubscriptions) {
          return tooMany(`At most ${config.wsMaxSubscriptions} running subscriptions per connection`);
        }
        let document;
        try {
          document = parse(payload.query, parseOptions);
        } catch (e) {
          return [e as GraphQLError];
        }
        // The size limits (graphql-armor: depth, cost, aliases…) first: they cost no statement and say
        // nothing of the schema. The schema's own rules only once authenticated: an anonymous or
        // refused caller learns nothing of the schema.
        const limits = validate(schema, document, rules, { hideSuggestions: true });
        if (limits.length) return limits;
        const contextValue = await createContext(services, 'internal', socketCredentials(ctx.connectionParams, ctx.extra.request));
        let userId: string;
        try {
          userId = principalOf(contextValue).userId;
        } catch (refusal) {
          if (refusal instanceof AppError) return [refusal];
          throw refusal;
        }
        const errors = validate(schema, document, specifiedRules, { hideSuggestions: config.production });
        if (errors.length) return errors;
        if (getOperationAST(document, payload.operationName)?.operation !== 'subscription') {
          return [
            new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP', { extensions: { code: 'BAD_REQUEST' } }),
          ];
        }
        if (!claimSocket(ctx.extra.socket, userId)) {
          return tooMany(`At most ${config.wsMaxSocketsPerUser} connections with running subscriptions per user`);
        }
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
      },
      onError: (_ctx, _id, _payload, errors) => formatAll(errors),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors?.length ? { ...result, errors: formatAll(result.errors) } : undefined),
    },
    wss,
  );
  return async () => {
    await handle.dispose();
    await new Promise<void>((r) => wss.close(() => r()));
  };
}
