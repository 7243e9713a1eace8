/** The AuditEntry shape every audit read selects (alias a). */
export const AUDIT_COLUMNS = `a.id::text AS id, a.action, a.object_type AS "objectType", a.object_id AS "objectId",
  a.actor_id AS "actorId", a.organisation_id AS "organisationId", a.case_id AS "caseId", a.via_portal AS "viaPortal",
  a.details, a.created_at AS "createdAt"`;
