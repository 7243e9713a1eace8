import { liveShare } from './live';

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
  /** R16a: the share a re-share was made through; null for the owner's shares. */
  viaShareId: string | null;
  createdById: string | null;
  /** R39: the expiry set on this share; `expired` also counts the shares it was made through, at the statement's time. */
  expiresAt: Date | null;
  expired: boolean;
}

export const SHARE_COLUMNS = `sh.id, sh.case_id AS "caseId", sh.organisation_id AS "organisationId", sh.profile_id AS "profileId",
  sh.owner, sh.task_rule AS "tasks", sh.observable_rule AS "observables", sh.created_at AS "createdAt",
  sh.via_share_id AS "viaShareId", sh.created_by AS "createdById", sh.expires_at AS "expiresAt", NOT ${liveShare('sh')} AS expired`;
