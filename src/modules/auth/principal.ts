import type { Permission } from '../../generated/internal';
import type { RequestContext, RequestHeaders } from '../../context';
import { AppError, ForbiddenError, UnauthenticatedError } from '../../errors/app-error';
import { ADMIN_ORGANISATION, effectiveOrganisationPermissions } from '../../authz/permissions';
import { endpointRefusal } from '../../authz/endpoint';
import { hashToken } from './tokens';
import { rows } from '../../db/sql';

export interface Principal {
  userId: string;
  login: string;
  name: string;
  type: 'INTERNAL' | 'EXTERNAL';
  credentialId: string;
  organisationId: string;
  organisationName: string;
  inAdminOrganisation: boolean;
  profileId: string;
  profileName: string;
  /** Effective organisation permissions (R6, R7); case rights intersect these with the share (R15). */
  permissions: ReadonlySet<Permission>;
}

/**
 * One statement: the credential, its user, and the membership of the requested organisation
 * (else the oldest one; a key bound to an organisation acts only there). Locked users and expired sessions are refused here, on every request,
 * so locking takes effect at once (R11).
 */
export async function resolvePrincipal(ctx: RequestContext, headers: RequestHeaders): Promise<Principal | AppError | undefined> {
  const auth = headers.authorization?.trim();
  if (!auth) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(auth);
  if (!match) return new UnauthenticatedError('Authorization must be "Bearer <token>"');
  // A blank X-Organisation is no choice at all (clients send one for "unset"): the default, as without the header.
  const requested = headers.organisation?.trim() || undefined;
  // A named prepared statement (db/sql rows): it runs on every request, so PostgreSQL plans it once per connection.
  const found = await rows<Record<string, any>>(ctx.db,
    `SELECT u.id, u.login, u.name, u.type, u.locked, c.id AS credential_id,
            mo.organisation_id, mo.organisation_name, mo.profile_id, mo.profile_name, mo.permissions
       FROM credential c
       JOIN app_user u ON u.id = c.user_id
       LEFT JOIN LATERAL (
         SELECT m.organisation_id, o.name AS organisation_name, p.id AS profile_id, p.name AS profile_name, p.permissions
           FROM membership m JOIN organisation o ON o.id = m.organisation_id JOIN profile p ON p.id = m.profile_id
          WHERE m.user_id = u.id AND ($2::text IS NULL OR lower(o.name) = lower($2::text))
            AND (c.organisation_id IS NULL OR m.organisation_id = c.organisation_id)
          ORDER BY m.created_at, o.name
          LIMIT 1) mo ON true
      WHERE c.token_hash = $1 AND (c.expires_at IS NULL OR c.expires_at > now())`,
    [hashToken(match[1]), requested ?? null],
  );
  const row = found[0];
  if (!row) return new UnauthenticatedError('Invalid or expired token');
  if (row.locked) return new UnauthenticatedError('This account is locked');
  const wrongEndpoint = endpointRefusal(ctx.endpoint, row.type, 'request');
  if (wrongEndpoint) return wrongEndpoint;
  if (!row.organisation_id) {
    return new ForbiddenError(requested !== undefined ? `Not a member of organisation "${requested}"` : 'Not a member of any organisation');
  }
  const inAdmin = row.organisation_name === ADMIN_ORGANISATION;
  return {
    userId: row.id,
    login: row.login,
    name: row.name,
    type: row.type,
    credentialId: row.credential_id,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    inAdminOrganisation: inAdmin,
    profileId: row.profile_id,
    profileName: row.profile_name,
    permissions: effectiveOrganisationPermissions(row.permissions, inAdmin, ctx.config.cortexEnabled),
  };
}

