import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { one, rows, Sql } from '../../db/sql';
import { organisationScope } from '../../authz/scopes';
import { ADMIN_ORGANISATION } from '../../authz/permissions';
import { BadInputError, ConflictError, NotFoundError } from '../../errors/app-error';
import { ORGANISATION_COLUMNS, OrganisationRow } from '../../db/records/organisation';
import { recordAudit, changes } from '../audit-trail/audit-trail.shared';
import { optionalText, validName } from '../validation';
import { requireVisibleOrganisation } from './organisation.shared';

export async function listOrganisations(ctx: RequestContext): Promise<OrganisationRow[]> {
  const q = new Sql();
  return rows<OrganisationRow>(
    ctx.db,
    `SELECT ${ORGANISATION_COLUMNS} FROM organisation o WHERE ${organisationScope(ctx, q)} ORDER BY lower(o.name)`,
    q.params,
  );
}

/** R1: admin is never modified, linked or given cases. */
function refuseAdmin(org: OrganisationRow, what: string): void {
  if (org.name === ADMIN_ORGANISATION) throw new BadInputError(`The admin organisation cannot be ${what}`);
}

export async function createOrganisation(ctx: RequestContext, name: string, description: string | null | undefined): Promise<OrganisationRow> {
  const clean = validName(name);
  const desc = optionalText(description ?? '', 'description', 10_000);
  return ctx.transaction(async (tx) => {
    const taken = await rows(tx, 'SELECT 1 FROM organisation WHERE lower(name) = lower($1)', [clean]);
    if (taken.length) throw new ConflictError(`Organisation "${clean}" already exists`);
    const row = await one<OrganisationRow>(
      tx,
      `INSERT INTO organisation (name, description) VALUES ($1, $2) RETURNING id, name, description, created_at AS "createdAt"`,
      [clean, desc],
    );
    await recordAudit(ctx, tx, { action: 'organisation.create', objectType: 'Organisation', objectId: row!.id, details: { name: clean, description: desc } });
    return row!;
  });
}

export async function updateOrganisation(ctx: RequestContext, name: string, description: string | null | undefined): Promise<OrganisationRow> {
  return ctx.transaction(async (tx) => {
    const visible = await requireVisibleOrganisation(ctx, name, tx);
    refuseAdmin(visible, 'updated');
    if (description === undefined || description === null) return visible;
    const desc = optionalText(description, 'description', 10_000);
    // Read again under a row lock: concurrent identical updates then audit only the effective change (R28).
    const org = (await one<OrganisationRow>(tx, `SELECT ${ORGANISATION_COLUMNS} FROM organisation o WHERE o.id = $1 FOR NO KEY UPDATE`, [visible.id]))!;
    const diff = changes(org, { description: desc });
    const row = await one<OrganisationRow>(
      tx,
      `UPDATE organisation SET description = $2 WHERE id = $1 RETURNING id, name, description, created_at AS "createdAt"`,
      [org.id, desc],
    );
    if (Object.keys(diff).length) await recordAudit(ctx, tx, { action: 'organisation.update', objectType: 'Organisation', objectId: org.id, details: diff });
    return row!;
  });
}

async function linkEnds(ctx: RequestContext, tx: EntityManager, from: string, to: string) {
  const a = await requireVisibleOrganisation(ctx, from, tx);
  const b = await requireVisibleOrganisation(ctx, to, tx);
  refuseAdmin(a, 'linked');
  refuseAdmin(b, 'linked');
  if (a.id === b.id) throw new BadInputError('An organisation cannot be linked to itself');
  return [a, b] as const;
}

export async function linkOrganisations(ctx: RequestContext, from: string, to: string): Promise<OrganisationRow> {
  return ctx.transaction(async (tx) => {
    const [a, b] = await linkEnds(ctx, tx, from, to);
    const inserted = await rows(tx, 'INSERT INTO organisation_link (from_id, to_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING from_id', [a.id, b.id]);
    if (!inserted.length) throw new ConflictError(`"${a.name}" is already linked to "${b.name}"`);
    await recordAudit(ctx, tx, { action: 'organisation.link', objectType: 'Organisation', objectId: a.id, details: { from: a.name, to: b.name } });
    return a;
  });
}

export async function unlinkOrganisations(ctx: RequestContext, from: string, to: string): Promise<boolean> {
  return ctx.transaction(async (tx) => {
    const [a, b] = await linkEnds(ctx, tx, from, to);
    const deleted = await rows(tx, 'DELETE FROM organisation_link WHERE from_id = $1 AND to_id = $2 RETURNING from_id', [a.id, b.id]);
    if (!deleted.length) throw new NotFoundError(`Link from "${a.name}" to "${b.name}"`);
    await recordAudit(ctx, tx, { action: 'organisation.unlink', objectType: 'Organisation', objectId: a.id, details: { from: a.name, to: b.name } });
    return true;
  });
}

/** Organisation.links, batched, limited to organisations the caller can see. */
export function linksLoaderSql(ctx: RequestContext, q: Sql, key: string) {
  return `SELECT l.from_id AS "fromId", ${ORGANISATION_COLUMNS} FROM organisation_link l JOIN organisation o ON o.id = l.to_id
      WHERE l.from_id = ${key} AND ${organisationScope(ctx, q)} ORDER BY lower(o.name)`;
}
