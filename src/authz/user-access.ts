import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../context';
import { principalOf } from '../context';
import { one } from '../db/sql';
import { ForbiddenError } from '../errors/app-error';

/**
 * R11: manageUser reaches, in a normal organisation, its own members, and in admin, everyone.
 * Adding and removing memberships is judged per target organisation.
 */
export function assertCanManageMembersOf(ctx: RequestContext, organisationId: string): void {
  const p = principalOf(ctx);
  if (!p.permissions.has('manageUser')) throw new ForbiddenError('Permission manageUser is required');
  if (!p.inAdminOrganisation && organisationId !== p.organisationId) {
    throw new ForbiddenError('Users of another organisation are managed by that organisation or by an administrator');
  }
}

/**
 * Credentials and locking act on the whole account, in every organisation it belongs to. So
 * outside admin they are allowed only over users who belong to the active organisation alone —
 * otherwise one organisation's admin could take over another organisation's member. Callers
 * have already found the user visible (R3), so a user outside the active organisation is
 * visible but not manageable: FORBIDDEN.
 */
export async function assertCanManageAccount(ctx: RequestContext, tx: EntityManager, userId: string): Promise<void> {
  const p = principalOf(ctx);
  if (!p.permissions.has('manageUser')) throw new ForbiddenError('Permission manageUser is required');
  if (p.inAdminOrganisation) return;
  const m = await one<{ here: boolean; elsewhere: boolean }>(
    tx,
    `SELECT bool_or(organisation_id = $2) AS here, bool_or(organisation_id <> $2) AS elsewhere FROM membership WHERE user_id = $1`,
    [userId, p.organisationId],
  );
  if (!m?.here) throw new ForbiddenError('Users of another organisation are managed by that organisation or by an administrator');
  if (m.elsewhere) throw new ForbiddenError('This user also belongs to other organisations: only an administrator can change the account');
}
