import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Actor, GqlError } from './gql-client';

/** One graphql-ws connection to /graphql. */
export interface Socket {
  client: Client;
  connected: boolean;
  /** Set once the socket closed (by the server, or by dispose). */
  closeCode?: number;
}

/** A graphql-ws subscription that collects what it receives, for assertions. */
export interface Subscription<T> {
  socket: Socket;
  received: T[];
  /** GraphQL errors one by one (from `next` payloads and from `error` messages), or the close event / failure. */
  errors: unknown[];
  completed: boolean;
  /** Resolves once `n` items arrived (or rejects after the timeout). */
  waitFor(n: number, timeoutMs?: number): Promise<T[]>;
  /** Resolves once an error arrived (a refusal may come after subscribe() resolved). */
  waitForError(timeoutMs?: number): Promise<unknown[]>;
  close(): Promise<void>;
}

/**
 * Where the client puts the contract's `Authorization` / `X-Organisation`: flat in the
 * connection_init payload (what browsers do), nested as `payload.headers` (HTTP-client style),
 * or as headers of the HTTP upgrade request (server-side clients).
 */
export type CredentialPlacement = 'payload' | 'payload.headers' | 'upgrade';

/** The contract's headers for an actor, spelt as an HTTP client would. */
export function credentialHeaders(actor: Actor): Record<string, string> {
  return { ...(actor.token ? { Authorization: `Bearer ${actor.token}` } : {}), ...(actor.organisation ? { 'X-Organisation': actor.organisation } : {}) };
}

/** The `extensions.code` of each error a subscription got. */
export const errorCodes = (sub: Subscription<unknown>): unknown[] => sub.errors.map((e) => (e as GqlError).extensions?.code);

export function openSocket(baseUrl: string, opts: { connectionParams?: Record<string, unknown>; upgradeHeaders?: Record<string, string> } = {}): Socket {
  const upgradeHeaders = opts.upgradeHeaders ?? {};
  class WebSocketWithHeaders extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: upgradeHeaders });
    }
  }
  const client = createClient({
    url: baseUrl.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocketWithHeaders,
    retryAttempts: 0,
    lazy: false,
    // A failed connection also reaches every pending subscription's error sink, where tests look.
    onNonLazyError: () => undefined,
    connectionParams: opts.connectionParams ?? {},
  });
  const socket: Socket = { client, connected: false };
  client.on('connected', () => {
    socket.connected = true;
  });
  client.on('closed', (e) => {
    socket.closeCode = (e as { code?: number }).code;
  });
  return socket;
}

/** One subscription on an open socket; `close` ends it, and the socket too when `ownsSocket`. */
function poll<R>(done: () => R | undefined, timeoutMs: number, failure: () => string): Promise<R> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const r = done();
      if (r !== undefined) resolve(r);
      else if (Date.now() - started > timeoutMs) reject(new Error(failure()));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

/** Resolves once `cond` holds (or rejects after the timeout, naming what was awaited). */
export const waitUntil = (cond: () => boolean, what: string, timeoutMs = 5000): Promise<true> =>
  poll(
    () => (cond() ? true : undefined),
    timeoutMs,
    () => `timed out waiting for ${what}`,
  );

export function subscribeOn<T = any>(socket: Socket, query: string, ownsSocket = false): Promise<Subscription<T>> {
  let unsubscribe = () => {};
  const sub: Subscription<T> = {
    socket,
    received: [],
    errors: [],
    completed: false,
    waitFor: (n, timeoutMs = 5000) =>
      poll(
        () => (sub.received.length >= n ? sub.received.slice(0, n) : undefined),
        timeoutMs,
        () => `received ${sub.received.length} of ${n}: ${JSON.stringify(sub.received)} errors ${JSON.stringify(sub.errors)}`,
      ),
    waitForError: (timeoutMs = 5000) =>
      poll(
        () => (sub.errors.length ? sub.errors : undefined),
        timeoutMs,
        () => `no error arrived; received ${JSON.stringify(sub.received)}`,
      ),
    close: async () => {
      unsubscribe();
      if (ownsSocket) await socket.client.dispose();
    },
  };
  return new Promise((resolve) => {
    let settled = false;
    const settle = () => {
      if (!settled) {
        settled = true;
        resolve(sub);
      }
    };
    if (socket.connected) setTimeout(settle, 100);
    else socket.client.on('connected', () => setTimeout(settle, 100));
    socket.client.on('closed', () => settle());
    unsubscribe = socket.client.subscribe<T>(
      { query },
      {
        next: (v) => {
          if (v.errors) sub.errors.push(...v.errors);
          else sub.received.push(v.data as T);
        },
        // An `error` message carries an array of GraphQL errors; a failed socket, one close event or error.
        error: (e) => {
          sub.errors.push(...(Array.isArray(e) ? e : [e]));
          settle();
        },
        complete: () => {
          sub.completed = true;
        },
      },
    );
  });
}

export function subscribe<T = any>(baseUrl: string, query: string, actor: Actor, via: CredentialPlacement = 'payload'): Promise<Subscription<T>> {
  const headers = credentialHeaders(actor);
  const socket = openSocket(baseUrl, via === 'upgrade' ? { upgradeHeaders: headers } : { connectionParams: via === 'payload' ? headers : { headers } });
  return subscribeOn<T>(socket, query, true);
}
