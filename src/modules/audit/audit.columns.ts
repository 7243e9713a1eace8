import { ADMIN_ORGANISATION } from '../../authz/permissions';
import { AUDIT_TIME_SQL } from '../audit-trail/audit-append';

/**
 * The AuditEntry shape every audit read selects (alias a). An entry written without an
 * organisation (see auditScope) is presented as admin's, the only organisation that sees it.
 * `at` is created_at to the microsecond, the list's keyset (with the id).
 */
export const AUDIT_COLUMNS = `a.id::text AS id, a.action, a.object_type AS "objectType", a.object_id AS "objectId",
  a.actor_id AS "actorId", COALESCE(a.organisation_id, (SELECT xo.id FROM organisation xo WHERE xo.name = '${ADMIN_ORGANISATION}')) AS "organisationId",
  a.case_id AS "caseId", a.via_portal AS "viaPortal", a.details, a.created_at AS "createdAt",
  a.chain_id AS "chainId", ${AUDIT_TIME_SQL('a.created_at')} AS "at"`;
