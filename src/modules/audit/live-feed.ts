import type { RequestContext } from '../../context';
import { createContext, principalOf } from '../../context';
import { one, Sql } from '../../db/sql';
import { auditScope } from '../../authz/scopes';
import { AUDIT_COLUMNS } from './audit.columns';

/**
 * liveFeed (R30): for each committed entry the bus announces, one statement reads it through
 * the subscriber's audit scope (so the feed shows exactly what `audit` would), in the order the
 * database committed them. The subscriber's credentials are resolved afresh for every entry
 * (lock, logout, membership, profile), so a change ends or narrows the feed at once.
 */
export function liveFeed(ctx: RequestContext): AsyncIterableIterator<unknown> {
  principalOf(ctx);
  const queue: unknown[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  let chain = Promise.resolve();

  const onEntry = (id: string) => {
    chain = chain.then(async () => {
      if (done) return;
      const now = await createContext(ctx, ctx.endpoint, ctx.credentials, ctx.requestId);
      // The feed serves the organisation it started in: without X-Organisation, losing that
      // membership would otherwise carry it on silently in the user's next default organisation.
      if (now.authError || !now.principal || now.principal.organisationId !== principalOf(ctx).organisationId) return finish();
      const q = new Sql();
      const row = await one(ctx.db, `SELECT ${AUDIT_COLUMNS} FROM audit a WHERE a.id = ${q.p(id)} AND ${auditScope(now, q)}`, q.params);
      if (row) { queue.push(row); wake?.(); }
    }).catch((err) => ctx.logger.error({ err }, 'live feed entry failed'));
  };

  const finish = () => {
    if (done) return;
    done = true;
    ctx.auditBus.off('audit', onEntry);
    wake?.();
  };

  ctx.auditBus.on('audit', onEntry);
  const iterator: AsyncIterableIterator<unknown> = {
    async next() {
      while (!queue.length && !done) await new Promise<void>((r) => (wake = r));
      if (queue.length) return { value: queue.shift(), done: false };
      return { value: undefined, done: true };
    },
    async return() {
      finish();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
