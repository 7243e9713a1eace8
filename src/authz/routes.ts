import type { RequestContext } from '../context';
import type { Permission } from '../generated/internal';
import { AppError, ForbiddenError, UnauthenticatedError } from '../errors/app-error';

/** GET /audit/export (R41): as verifyAudit, an administrator acting in `admin` (manageConfig is effective only there, R6). */
export const AUDIT_EXPORT_PERMISSION: Permission = 'manageConfig';

/**
 * For HTTP routes outside GraphQL: the refusal a root field declared `@requires(permission: p)`
 * would give this context (same codes), or null when the caller may proceed.
 */
export function routeRefusal(ctx: RequestContext, permission: Permission): AppError | null {
  if (ctx.authError) return ctx.authError;
  if (!ctx.principal) return new UnauthenticatedError();
  if (!ctx.principal.permissions.has(permission)) {
    return new ForbiddenError(`Permission ${permission} is required in organisation "${ctx.principal.organisationName}"`);
  }
  return null;
}
