import type http from 'node:http';
import { getOperationAST, GraphQLError, GraphQLSchema, parse, specifiedRules, validate, ValidationRule } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { AppServices, createContext, RequestHeaders } from './context';
import { createErrorFormatter } from './errors/format-error';

function param(params: Record<string, unknown> | undefined, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = params?.[n];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/**
 * graphql-ws on /graphql for liveFeed (R30). This traffic bypasses Apollo's plugins (stack.md §7),
 * so it gets the same validation limits and the same error formatter here. Credentials come from
 * the connection_init payload ({ authorization: "Bearer …", "X-Organisation": "…" }): checked at
 * connect (a bad one closes the socket), and again for every operation, which gets a fresh
 * context — so locking, logout, demotion and unsharing apply to an open socket too. Only
 * subscriptions are served here; queries and mutations go over HTTP.
 * Returns the disposer.
 */
export function attachSubscriptions(server: http.Server, schema: GraphQLSchema, services: AppServices, rules: readonly ValidationRule[]): () => Promise<void> {
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: 64 * 1024 });
  const credentials = new WeakMap<object, RequestHeaders>();
  const format = createErrorFormatter();
  const formatAll = (errors: readonly GraphQLError[]) => errors.map((e) => format(e.toJSON(), e));
  const handle = useServer<Record<string, unknown>>(
    {
      schema,
      onConnect: async (ctx) => {
        const headers: RequestHeaders = {
          authorization: param(ctx.connectionParams, 'authorization', 'Authorization'),
          organisation: param(ctx.connectionParams, 'X-Organisation', 'x-organisation', 'organisation'),
        };
        const context = await createContext(services, 'internal', headers);
        if (context.authError || !context.principal) return false;
        credentials.set(ctx.extra, headers);
        return true;
      },
      onSubscribe: (_ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query);
        } catch (e) {
          return [e as GraphQLError];
        }
        const errors = validate(schema, document, [...specifiedRules, ...rules]);
        if (errors.length) return errors;
        if (getOperationAST(document, payload.operationName)?.operation !== 'subscription') {
          return [new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP', { extensions: { code: 'BAD_REQUEST' } })];
        }
        return undefined;
      },
      context: (ctx) => createContext(services, 'internal', credentials.get(ctx.extra) ?? {}),
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
