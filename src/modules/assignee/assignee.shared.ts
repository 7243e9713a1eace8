import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { one, Queryable, rows, Sql } from '../../db/sql';
import { BadInputError, NotFoundError } from '../../errors/app-error';
import { assigneeEligibleSql, userScope } from '../../authz/scopes';
import { recordAudit } from '../audit-trail/audit-trail.shared';

/*
 * R20, who may be assigned to a case: one rule shared by the case, share, profile and user
 * services (assigning, and dropping assignees whose rights went away). The condition itself,
 * assigneeEligibleSql, sits with the visibility scopes (authz/scopes): R39 makes it depend on a
 * share's expiry, and the scopes read it for the current assignee (currentAssignee).
 */

/**
 * R20: the user named by `login` may be assigned to the case. A login the caller cannot see
 * (R3, R11) is absent (NOT_FOUND); external users and users without manageCase through a share
 * on the case are refused (BAD_USER_INPUT).
 */
export async function requireAssignable(ctx: RequestContext, tx: Queryable, caseId: string, login: string): Promise<{ id: string; login: string }> {
  const q = new Sql();
  const u = await one<{ id: string; login: string; type: string; eligible: boolean }>(
    tx,
    `SELECT u.id, u.login, u.type, ${assigneeEligibleSql('u.id', q.p(caseId))} AS eligible
       FROM app_user u WHERE u.login = ${q.p(login.trim().toLowerCase())} AND ${userScope(ctx, q)}`,
    q.params,
  );
  if (!u) throw new NotFoundError(`User "${login}"`);
  if (u.type !== 'INTERNAL') throw new BadInputError('External users can never be assigned to a case', 'login');
  if (!u.eligible) throw new BadInputError(`"${u.login}" is not a member of an organisation holding this case with manageCase`, 'login');
  return { id: u.id, login: u.login };
}

/** The login of a user id (for audit details), or null. */
export async function loginOf(tx: EntityManager, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  return (await one<{ login: string }>(tx, 'SELECT login FROM app_user WHERE id = $1', [userId]))?.login ?? null;
}

/**
 * R20 holds at all times: after a change that can take eligibility away (a share's profile or
 * removal, a membership change, a profile update), every assignee of the affected cases and tasks
 * who no longer qualifies is unassigned, each audited. `which` picks the cases: one case, the
 * assignments of one user, or every assignment (after a profile update).
 */
export async function dropIneligibleAssignees(
  ctx: RequestContext,
  tx: EntityManager,
  which: { caseId: string } | { userId: string } | 'all',
  reason: string,
): Promise<void> {
  const on = (q: Sql, alias: string, caseCol: string) =>
    which === 'all' ? 'TRUE' : 'caseId' in which ? `${caseCol} = ${q.p(which.caseId)}` : `${alias}.assignee_id = ${q.p(which.userId)}`;
  let q = new Sql();
  const cases = await rows<{ id: string; login: string }>(
    tx,
    `UPDATE "case" c SET assignee_id = NULL, updated_at = now() FROM app_user u
      WHERE ${on(q, 'c', 'c.id')} AND u.id = c.assignee_id AND NOT ${assigneeEligibleSql('u.id', 'c.id')}
      RETURNING c.id, u.login`,
    q.params,
  );
  for (const c of cases) {
    await recordAudit(ctx, tx, {
      action: 'case.assign',
      objectType: 'Case',
      objectId: c.id,
      caseId: c.id,
      details: { assignee: { from: c.login, to: null }, reason },
    });
  }
  q = new Sql();
  const tasks = await rows<{ id: string; caseId: string; login: string }>(
    tx,
    `UPDATE task t SET assignee_id = NULL, updated_at = now() FROM app_user u
      WHERE ${on(q, 't', 't.case_id')} AND u.id = t.assignee_id AND NOT ${assigneeEligibleSql('u.id', 't.case_id')}
      RETURNING t.id, t.case_id AS "caseId", u.login`,
    q.params,
  );
  for (const t of tasks) {
    await recordAudit(ctx, tx, {
      action: 'task.update',
      objectType: 'Task',
      objectId: t.id,
      caseId: t.caseId,
      details: { assignee: { from: t.login, to: null }, reason },
    });
  }
}
