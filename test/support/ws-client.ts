import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Actor } from './gql-client';

/** A graphql-ws subscription that collects what it receives, for assertions. */
export interface Subscription<T> {
  received: T[];
  errors: unknown[];
  completed: boolean;
  /** Resolves once `n` items arrived (or rejects after the timeout). */
  waitFor(n: number, timeoutMs?: number): Promise<T[]>;
  close(): Promise<void>;
}

export function subscribe<T = any>(baseUrl: string, query: string, actor: Actor): Promise<Subscription<T>> {
  // eslint-disable-next-line prefer-const
  let sub: Subscription<T>;
  const client: Client = createClient({
    url: baseUrl.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: (e) => sub.errors.push(e),
    connectionParams: { ...(actor.token ? { authorization: `Bearer ${actor.token}` } : {}), ...(actor.organisation ? { 'X-Organisation': actor.organisation } : {}) },
  });
  sub = {
    received: [], errors: [], completed: false,
    waitFor(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const tick = () => {
          if (sub.received.length >= n) resolve(sub.received.slice(0, n));
          else if (Date.now() - started > timeoutMs) reject(new Error(`received ${sub.received.length} of ${n}: ${JSON.stringify(sub.received)} errors ${JSON.stringify(sub.errors)}`));
          else setTimeout(tick, 20);
        };
        tick();
      });
    },
    close: () => client.dispose() as Promise<void>,
  };
  return new Promise((resolve) => {
    let settled = false;
    const settle = () => { if (!settled) { settled = true; resolve(sub); } };
    client.on('connected', () => setTimeout(settle, 100));
    client.on('closed', () => settle());
    client.subscribe<T>({ query }, {
      next: (v) => { if (v.errors) sub.errors.push(...v.errors); else sub.received.push(v.data as T); },
      error: (e) => { sub.errors.push(e); settle(); },
      complete: () => { sub.completed = true; },
    });
  });
}
