import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one, rows, Sql } from '../../db/sql';
import { auditScope } from '../../authz/scopes';
import { createLoaders, organisationById, loaderOf } from '../../loaders';
import { AppError, ForbiddenError } from '../../errors/app-error';
import { Principal } from '../../context';
import { resolvePrincipals } from '../auth/principal';
import { hiddenUser, userRef } from '../user/user.loaders';
import type { AuditBus } from '../audit-trail/audit-bus';
import { AUDIT_COLUMNS } from './audit.columns';
import type { AuditRow } from './audit.query';
import { detailsFor } from './audit.details';

/** What a feed's iterator yields: an entry, or the error that ends it (R30a). */
export type FeedEvent = AuditRow | { end: AppError };

interface Subscriber {
  ctx: RequestContext;
  /** The organisation the feed started in: it serves that one only. */
  organisationId: string;
  /** When the feed started: a share of the organisation expiring after this ends it (R39). */
  since: Date;
  deliver(event: FeedEvent): void;
}

/** Subscribers whose principals read the audit through the same scope (auditScope depends on nothing else). */
const scopeKey = (p: Principal) => `${p.organisationId}|${p.inAdminOrganisation}|${p.permissions.has('manageUser')}`;

/**
 * R30/R30a: one hub per server instance delivers each committed entry to every live-feed
 * subscriber with a bounded number of statements, however many subscribe:
 * 1. one statement re-checks every subscriber's credentials (lock, logout, expiry, membership,
 *    profile), so a change ends a feed at once — with its UNAUTHENTICATED/FORBIDDEN error;
 * 2. one statement reads the entry and decides its visibility once per distinct scope
 *    (organisation × the permissions auditScope reads), exactly as `audit` would;
 * 3. the entry is rendered once per scope that sees it (actor, organisation, details: R29).
 * Entries are handled one after the other, in the order the database committed them.
 */
class LiveFeedHub {
  private readonly subscribers = new Set<Subscriber>();
  private chain = Promise.resolve();
  private readonly onEntry = (id: string) => {
    this.chain = this.chain.then(() => this.deliver(id)).catch((err) => this.logger().error({ err }, 'live feed entry failed'));
  };

  constructor(private readonly bus: AuditBus) {}

  private logger() {
    return [...this.subscribers][0]?.ctx.logger ?? { error: () => undefined };
  }

  add(sub: Subscriber): void {
    if (!this.subscribers.size) this.bus.on('audit', this.onEntry);
    this.subscribers.add(sub);
  }

  remove(sub: Subscriber): void {
    if (this.subscribers.delete(sub) && !this.subscribers.size) this.bus.off('audit', this.onEntry);
  }

  private async deliver(id: string): Promise<void> {
    const subs = [...this.subscribers];
    if (!subs.length) return;
    const any = subs[0].ctx;
    const [principals, expired] = await Promise.all([
      resolvePrincipals(
        any,
        subs.map((s) => s.ctx.credentials),
      ),
      expiredSince(any, subs),
    ]);
    // One reader context per scope: the first subscriber's, with its fresh principal and fresh loaders.
    const scopes = new Map<string, { ctx: RequestContext; index: number }>();
    const keyOf: Array<string | undefined> = subs.map((sub, i) => {
      const p = principals[i];
      if (!p || p instanceof AppError || p.organisationId !== sub.organisationId) return undefined;
      const key = scopeKey(p);
      if (!scopes.has(key)) {
        const ctx = { ...sub.ctx, principal: p, authError: undefined } as RequestContext;
        ctx.loaders = createLoaders();
        scopes.set(key, { ctx, index: scopes.size });
      }
      return key;
    });
    const rendered = new Map<string, AuditRow>();
    if (scopes.size) {
      const q = new Sql();
      const flags = [...scopes.values()].map((s) => `(${auditScope(s.ctx, q)}) AS v${s.index}`).join(', ');
      const row = await one<AuditRow & Record<string, unknown>>(any.db, `SELECT ${AUDIT_COLUMNS}, ${flags} FROM audit a WHERE a.id = ${q.p(id)}`, q.params);
      if (row) {
        await Promise.all(
          [...scopes]
            .filter(([, s]) => row[`v${s.index}`] === true)
            .map(async ([key, s]) => {
              const entry: AuditRow = {
                id: row.id,
                action: row.action,
                objectType: row.objectType,
                objectId: row.objectId,
                actorId: row.actorId,
                organisationId: row.organisationId,
                caseId: row.caseId,
                viaPortal: row.viaPortal,
                details: row.details,
                createdAt: row.createdAt,
                chainId: row.chainId,
                at: row.at,
              };
              const [actor, organisation, details] = await Promise.all([
                entry.actorId ? userRef(s.ctx, entry.actorId) : hiddenUser(),
                loaderOf(s.ctx, organisationById).load(entry.organisationId),
                detailsFor(s.ctx, entry.details),
              ]);
              rendered.set(key, { ...entry, rendered: { actor: actor ?? hiddenUser(), organisation, details } });
            }),
        );
      }
    }
    subs.forEach((sub, i) => {
      const p = principals[i];
      if (!p) sub.deliver({ end: new AppError('UNAUTHENTICATED', 'Authentication required') });
      else if (p instanceof AppError) sub.deliver({ end: p });
      // Without X-Organisation, losing that membership would otherwise carry the feed on in the user's next default organisation.
      else if (p.organisationId !== sub.organisationId) sub.deliver({ end: new ForbiddenError('No longer a member of the organisation this feed serves') });
      else if (expired.some((e) => e.organisationId === sub.organisationId && e.at > sub.since)) sub.deliver({ end: new ForbiddenError(EXPIRED) });
      else {
        const entry = rendered.get(keyOf[i]!);
        if (entry) sub.deliver(entry);
      }
    });
  }
}

const EXPIRED = 'A share of this organisation expired: the feed ends, as every other read of that case did (R39)';

/**
 * R39: the shares of the subscribers' organisations that expired since the oldest feed started
 * (their own expiry or one along their `via` chain). Expiry is an instant, not a write, so no
 * entry announces it: the next entry delivered checks for it, with one statement for all feeds.
 */
async function expiredSince(ctx: RequestContext, subs: Subscriber[]): Promise<Array<{ organisationId: string; at: Date }>> {
  const since = new Date(Math.min(...subs.map((s) => s.since.getTime())));
  const organisations = [...new Set(subs.map((s) => s.organisationId))];
  return rows<{ organisationId: string; at: Date }>(
    ctx.db,
    `SELECT organisation_id AS "organisationId", max(lineage_expires_at) AS at FROM share
      WHERE organisation_id = ANY($1::uuid[]) AND lineage_expires_at > $2 AND lineage_expires_at <= app_now()
      GROUP BY organisation_id`,
    [organisations, since],
  );
}

const hubs = new WeakMap<AuditBus, LiveFeedHub>();
const hubOf = (bus: AuditBus) => hubs.get(bus) ?? hubs.set(bus, new LiveFeedHub(bus)).get(bus)!;

/**
 * liveFeed (R30): the entries the subscriber's active organisation may see, as `audit` shows
 * them. A feed whose credentials end yields its error once, then completes (R30a).
 */
export async function liveFeed(ctx: RequestContext): Promise<AsyncIterableIterator<FeedEvent>> {
  const organisationId = principalOf(ctx).organisationId;
  // The database's time, which decides expiry everywhere else too (app_now(), R39).
  const since = (await one<{ now: Date }>(ctx.db, 'SELECT app_now() AS now'))!.now;
  const queue: FeedEvent[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const hub = hubOf(ctx.auditBus);
  const sub: Subscriber = {
    ctx,
    organisationId,
    since,
    deliver(event) {
      if (done) return;
      queue.push(event);
      if ('end' in event) finish();
      wake?.();
    },
  };
  const finish = () => {
    done = true;
    hub.remove(sub);
    wake?.();
  };
  hub.add(sub);
  const iterator: AsyncIterableIterator<FeedEvent> = {
    async next() {
      while (!queue.length && !done) await new Promise<void>((r) => (wake = r));
      if (queue.length) return { value: queue.shift()!, done: false };
      return { value: undefined, done: true };
    },
    async return() {
      finish();
      queue.length = 0;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
