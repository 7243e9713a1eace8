/*
 * Conditions on what holds now (R39, R20), used by the visibility scopes (authz/scopes) and by
 * row columns alike (a share's `expired`, a case's or task's current assignee): SQL only, so they
 * sit in the data layer under both.
 */

/**
 * R39: the time visibility is decided at: the statement's own (app_now() is now() in production;
 * tests move it in their database, test/support/clock.ts). No periodic job: an expiry takes
 * effect in the first statement after it.
 */
export const NOW = 'app_now()';

/**
 * R39/R16a: a share gives access — neither it nor any share it was made through has expired
 * (lineage_expires_at is the earliest of those, kept when shares are made or their expiry set).
 * Every condition below that lets a share open something goes through this.
 */
export const liveShare = (alias: string) => `(${alias}.lineage_expires_at IS NULL OR ${alias}.lineage_expires_at > ${NOW})`;

/** R39: an external grant not past its own expiry (its share's expiry is checked through liveShare). */
export const liveGrant = (alias: string) => `(${alias}.expires_at IS NULL OR ${alias}.expires_at > ${NOW})`;

/**
 * R20, as a condition: the user is a member of an organisation holding a share on the case with
 * manageCase in (their profile there ∩ that share's profile). Admin never holds shares (R1), so
 * membership profiles need no R6 scoping here; manageCase does not depend on Cortex (R7). The share must
 * still give access (R39): an assignee whose organisation's share expired is not eligible any more.
 */
export function assigneeEligibleSql(userIdSql: string, caseIdSql: string): string {
  return `EXISTS (SELECT 1 FROM membership em JOIN profile emp ON emp.id = em.profile_id
                    JOIN share es ON es.organisation_id = em.organisation_id AND es.case_id = ${caseIdSql} AND ${liveShare('es')}
                    JOIN profile esp ON esp.id = es.profile_id
                   WHERE em.user_id = ${userIdSql} AND 'manageCase' = ANY(emp.permissions) AND 'manageCase' = ANY(esp.permissions))`;
}

/**
 * R20/R39: the assignee column `column` of a case or task row as it stands now: an assignee who is
 * no longer eligible only because a share expired (no write happened to unassign them, R39 needs
 * no job) reads as none. Every other loss of eligibility unassigns at once (dropIneligibleAssignees).
 */
export const currentAssignee = (column: string, caseIdSql: string) =>
  `CASE WHEN ${column} IS NOT NULL AND ${assigneeEligibleSql(column, caseIdSql)} THEN ${column} END`;
