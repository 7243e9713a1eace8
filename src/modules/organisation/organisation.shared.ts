import type { RequestContext } from '../../context';
import { one, Queryable, Sql } from '../../db/sql';
import { organisationScope } from '../../authz/scopes';
import { NotFoundError } from '../../errors/app-error';
import { ORGANISATION_COLUMNS, OrganisationRow } from '../../db/records/organisation';

/** An organisation the caller can see (R3), else null. */
export async function findVisibleOrganisation(ctx: RequestContext, name: string, tx: Queryable = ctx.db): Promise<OrganisationRow | null> {
  const q = new Sql();
  const row = await one<OrganisationRow>(
    tx,
    `SELECT ${ORGANISATION_COLUMNS} FROM organisation o WHERE lower(o.name) = lower(${q.p(name.trim())}) AND ${organisationScope(ctx, q)}`,
    q.params,
  );
  return row ?? null;
}

export async function requireVisibleOrganisation(ctx: RequestContext, name: string, tx?: Queryable): Promise<OrganisationRow> {
  const org = await findVisibleOrganisation(ctx, name, tx);
  if (!org) throw new NotFoundError(`Organisation "${name}"`);
  return org;
}
