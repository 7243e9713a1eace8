import type { Principal, RequestContext, RequestHeaders } from '../../context';
import { AppError, BadInputError, ForbiddenError, UnauthenticatedError } from '../../errors/app-error';
import { ADMIN_ORGANISATION, effectiveOrganisationPermissions } from '../../authz/permissions';
import { endpointRefusal } from '../../authz/endpoint';
import { hashToken } from './tokens';
import { one, Queryable, rows } from '../../db/sql';
import { CHANGED_SETTINGS_SQL, settingsFrom } from '../config/settings';

/**
 * One statement: the credential, its user, and the membership of the requested organisation
 * (else the oldest one; a key bound to an organisation acts only there). Locked users and expired sessions are refused here, on every request,
 * so locking takes effect at once (R11).
 */
export async function resolvePrincipal(ctx: RequestContext, headers: RequestHeaders): Promise<Principal | AppError | undefined> {
  const parsed = parseHeaders(headers);
  if (!parsed || parsed instanceof AppError) return parsed;
  // A named prepared statement (db/sql rows): it runs on every request, so PostgreSQL plans it once per connection.
  const found = await rows<Record<string, any>>(
    ctx.db,
    `SELECT ${PRINCIPAL_COLUMNS}
       FROM credential c
       JOIN app_user u ON u.id = c.user_id
       LEFT JOIN LATERAL (${MEMBERSHIP_LATERAL('$2::text')}) mo ON true
      WHERE c.token_hash = $1 AND (c.expires_at IS NULL OR c.expires_at > now())`,
    [parsed.tokenHash, parsed.requested ?? null],
  );
  // R36: the settings come with the credential, so a change is seen at this instance's next request.
  if (found[0]) ctx.settings = settingsFrom(ctx.config, found[0].settings);
  return toPrincipal(ctx, found[0], parsed.requested);
}

/**
 * R30a: the credentials of many live-feed subscribers re-checked with ONE statement, in order
 * (same rules as resolvePrincipal), so an entry's delivery costs the same however many subscribe.
 */
export async function resolvePrincipals(ctx: RequestContext, list: readonly RequestHeaders[]): Promise<Array<Principal | AppError | undefined>> {
  const parsed = list.map(parseHeaders);
  const keyed = parsed.flatMap((p, i) => (p && !(p instanceof AppError) ? [{ i, ...p }] : []));
  const found = keyed.length
    ? await rows<Record<string, any>>(
        ctx.db,
        `SELECT k.i, ${PRINCIPAL_COLUMNS}
         FROM unnest($1::text[], $2::text[], $3::int[]) AS k(token_hash, requested, i)
         JOIN credential c ON c.token_hash = k.token_hash AND (c.expires_at IS NULL OR c.expires_at > now())
         JOIN app_user u ON u.id = c.user_id
         LEFT JOIN LATERAL (${MEMBERSHIP_LATERAL('k.requested')}) mo ON true`,
        [keyed.map((k) => k.tokenHash), keyed.map((k) => k.requested ?? null), keyed.map((k) => k.i)],
      )
    : [];
  const byIndex = new Map(found.map((r) => [Number(r.i), r]));
  return parsed.map((p, i) => (!p || p instanceof AppError ? p : toPrincipal(ctx, byIndex.get(i), p.requested)));
}

const PRINCIPAL_COLUMNS = `u.id, u.login, u.name, u.type, u.locked, c.id AS credential_id, c.organisation_id AS credential_organisation_id,
            mo.organisation_id, mo.organisation_name, mo.profile_id, mo.profile_name, mo.permissions,
            ${CHANGED_SETTINGS_SQL} AS settings`;

/** The membership of the requested organisation (else the oldest one; a bound credential acts only in its organisation). */
const MEMBERSHIP_LATERAL = (requested: string) => `
         SELECT m.organisation_id, o.name AS organisation_name, p.id AS profile_id, p.name AS profile_name, p.permissions
           FROM membership m JOIN organisation o ON o.id = m.organisation_id JOIN profile p ON p.id = m.profile_id
          WHERE m.user_id = u.id AND (${requested} IS NULL OR lower(o.name) = lower(${requested}))
            AND (c.organisation_id IS NULL OR m.organisation_id = c.organisation_id)
          ORDER BY m.created_at, o.name
          LIMIT 1`;

function parseHeaders(headers: RequestHeaders): { tokenHash: string; requested?: string } | AppError | undefined {
  const auth = headers.authorization?.trim();
  if (!auth) return undefined;
  // A NUL can reach here from graphql-ws's connection_init payload (HTTP refuses it in headers): bad input, not a database error.
  if (auth.includes('\u0000') || headers.organisation?.includes('\u0000')) return new BadInputError('A header contains a character that is not allowed (NUL)');
  const match = /^Bearer\s+(\S+)$/i.exec(auth);
  if (!match) return new UnauthenticatedError('Authorization must be "Bearer <token>"');
  // A blank X-Organisation is no choice at all (clients send one for "unset"): the default, as without the header.
  return { tokenHash: hashToken(match[1]), requested: headers.organisation?.trim() || undefined };
}

function toPrincipal(ctx: RequestContext, row: Record<string, any> | undefined, requested: string | undefined): Principal | AppError {
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
    credentialOrganisationId: row.credential_organisation_id ?? null,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    inAdminOrganisation: inAdmin,
    profileId: row.profile_id,
    profileName: row.profile_name,
    permissions: effectiveOrganisationPermissions(row.permissions, inAdmin, settingsFrom(ctx.config, row.settings).cortexEnabled),
  };
}

/**
 * R11b: a write is authorised again inside its own transaction, before it writes. The credential,
 * the account and the membership the request was authorised with must still hold, unchanged
 * (not locked, not logged out, still a member, same profile and effective permissions); they are
 * locked FOR SHARE until the commit, so a lock, logout, removal or demotion committed meanwhile
 * is seen here, and one arriving later waits for this write. A change ends the request's rights:
 * the context keeps the refusal, so later operations of the same document are refused too.
 */
export async function confirmPrincipal(ctx: RequestContext, tx: Queryable): Promise<void> {
  const p = ctx.principal;
  if (!p) return;
  const now = await one<{ locked: boolean; profile_id: string; permissions: string[]; settings: Record<string, unknown> | null }>(
    tx,
    `SELECT u.locked, m.profile_id, pr.permissions, ${CHANGED_SETTINGS_SQL} AS settings
       FROM credential c JOIN app_user u ON u.id = c.user_id
       JOIN membership m ON m.user_id = u.id AND m.organisation_id = $2
       JOIN profile pr ON pr.id = m.profile_id
      WHERE c.id = $1 AND (c.expires_at IS NULL OR c.expires_at > now())
        FOR SHARE OF c, u, m`,
    [p.credentialId, p.organisationId],
  );
  let refusal: AppError | undefined;
  if (!now) {
    const account = await one<{ locked: boolean }>(
      tx,
      `SELECT u.locked FROM credential c JOIN app_user u ON u.id = c.user_id WHERE c.id = $1 AND (c.expires_at IS NULL OR c.expires_at > now())`,
      [p.credentialId],
    );
    refusal =
      !account || account.locked
        ? new UnauthenticatedError(account ? 'This account is locked' : 'Invalid or expired token')
        : new ForbiddenError(`No longer a member of organisation "${p.organisationName}"`);
  } else if (now.locked) {
    refusal = new UnauthenticatedError('This account is locked');
  } else {
    // R7/R36: the Cortex connector switched off meanwhile (on any instance) is a change of rights too.
    const effective = effectiveOrganisationPermissions(now.permissions, p.inAdminOrganisation, settingsFrom(ctx.config, now.settings).cortexEnabled);
    const same = now.profile_id === p.profileId && effective.size === p.permissions.size && [...effective].every((x) => p.permissions.has(x));
    if (!same) refusal = new ForbiddenError(`Your rights in organisation "${p.organisationName}" changed while this request was running: nothing was written`);
  }
  if (refusal) {
    ctx.principal = undefined;
    ctx.authError = refusal;
    throw refusal;
  }
}
