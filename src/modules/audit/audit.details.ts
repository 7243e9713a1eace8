import DataLoader from 'dataloader';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { rows, Sql } from '../../db/sql';
import { liveShare, organisationScope, referencedUserScope } from '../../authz/scopes';
import { ADMIN_ORGANISATION } from '../../authz/permissions';
import { defineLoader, loaderOf } from '../../loaders';

declare module '../../loader-map' {
  interface LoaderMap {
    'audit.hiddenValues': { custom: DataLoader<string, boolean> };
  }
}

/** What a details value naming someone the reader cannot see becomes (R29): no login, no name, no id. */
export const HIDDEN = 'hidden';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * R29/R3: the strings among `values` that name — by login, organisation name or id — a user or an
 * organisation the reader cannot see: users outside referencedUserScope, organisations outside
 * R3's scope that own no case shared with the reader (admin's name is public: R5). One statement per batch, so a page of
 * entries costs one statement whatever their details hold.
 */
const hiddenValues = defineLoader({
  name: 'audit.hiddenValues',
  custom: (ctx) =>
    new DataLoader<string, boolean>(
      async (values) => {
        const q = new Sql();
        const texts = q.p([...values]);
        const ids = q.p(values.filter((v) => UUID.test(v)));
        const org = q.p(principalOf(ctx).organisationId);
        const found = await rows<{ v: string }>(
          ctx.db,
          `SELECT DISTINCT x.v FROM (
       SELECT u.login AS v, u.id FROM app_user u WHERE u.login = ANY(${texts}::text[])
       UNION ALL SELECT u.id::text, u.id FROM app_user u WHERE u.id = ANY(${ids}::uuid[])
     ) x JOIN app_user u ON u.id = x.id WHERE NOT ${referencedUserScope(ctx, q, 'u')}
     UNION
     SELECT DISTINCT y.v FROM (
       SELECT o.name AS v, o.id FROM organisation o WHERE o.name = ANY(${texts}::text[])
       UNION ALL SELECT o.id::text, o.id FROM organisation o WHERE o.id = ANY(${ids}::uuid[])
     ) y JOIN organisation o ON o.id = y.id
     WHERE NOT ${organisationScope(ctx, q, 'o')} AND o.name <> ${q.p(ADMIN_ORGANISATION)}
       AND NOT EXISTS (SELECT 1 FROM "case" hc JOIN share hs ON hs.case_id = hc.id AND hs.organisation_id = ${org}::uuid AND ${liveShare('hs')}
                        WHERE hc.organisation_id = o.id)`,
          q.params,
        );
        const hidden = new Set(found.map((r) => r.v));
        return values.map((v) => hidden.has(v));
      },
      { maxBatchSize: 5000 },
    ),
});

function strings(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
}

function replace(value: unknown, hidden: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return hidden.has(value) ? HIDDEN : value;
  if (Array.isArray(value)) return value.map((v) => replace(v, hidden));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v, hidden)]));
  return value;
}

/**
 * An entry's details as this reader may see them (R29): every value, at any depth and under any
 * key, that names a user or organisation the reader cannot see is `hidden`. Applied where details
 * are rendered (caseHistory, audit, liveFeed all resolve AuditEntry.details here), so a new kind
 * of entry needs no rule of its own.
 */
export async function detailsFor(ctx: RequestContext, details: Record<string, unknown>): Promise<Record<string, unknown>> {
  const found = new Set<string>();
  strings(details, found);
  if (!found.size) return details;
  const values = [...found];
  const flags = await loaderOf(ctx, hiddenValues).loadMany(values);
  const hidden = new Set(values.filter((_, i) => flags[i] === true));
  return hidden.size ? (replace(details, hidden) as Record<string, unknown>) : details;
}
