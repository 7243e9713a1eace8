export interface ShareRow {
  id: string;
  caseId: string;
  organisationId: string;
  profileId: string;
  owner: boolean;
  /** ShareRule for tasks and observables (R17). */
  tasks: string;
  observables: string;
  createdAt: Date;
}

export const SHARE_COLUMNS = `sh.id, sh.case_id AS "caseId", sh.organisation_id AS "organisationId", sh.profile_id AS "profileId",
  sh.owner, sh.task_rule AS "tasks", sh.observable_rule AS "observables", sh.created_at AS "createdAt"`;
