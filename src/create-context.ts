import { randomUUID } from 'node:crypto';
import type { AppServices, Endpoint, RequestContext, RequestHeaders } from './context';
import { AppError } from './errors/app-error';
import { confirmPrincipal, resolvePrincipal } from './modules/auth/principal';
import { createLoaders } from './loaders';
import { loadSettings } from './modules/config/settings';
import type { Settings } from './modules/config/settings';

/**
 * A request's context (context.ts says what it holds). Apart from the types, so that what the
 * context's construction needs (principal resolution, loaders) may itself use the types.
 */
export async function createContext(app: AppServices, endpoint: Endpoint, headers: RequestHeaders, requestId: string = randomUUID()): Promise<RequestContext> {
  const ctx: RequestContext = {
    ...app,
    requestId,
    endpoint,
    credentials: headers,
    logger: app.logger.child({ requestId, endpoint }),
    loaders: createLoaders(),
    settings: undefined as unknown as Settings,
    transaction: async (fn) => {
      const result = await app.db.transaction(async (tx) => {
        await confirmPrincipal(ctx, tx);
        return fn(tx);
      });
      // Committed: whatever this request's loaders hold may be stale now (Loaders.clear).
      ctx.loaders.clear();
      return result;
    },
  };
  const result = await resolvePrincipal(ctx, headers);
  if (result instanceof AppError) ctx.authError = result;
  else ctx.principal = result;
  // No principal row was read (anonymous, or unknown credentials): the settings in one statement of their own.
  if (!ctx.settings) ctx.settings = await loadSettings(ctx.db, ctx.config);
  return ctx;
}
