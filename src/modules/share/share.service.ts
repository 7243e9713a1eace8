import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import type { ShareRule } from '../../generated/internal';
import { one, rows, Sql } from '../../db/sql';
import { organisationScope, shareListScope } from '../../authz/scopes';
import {
  findVisibleObservable, findVisibleTask, assertShareProfileWithin,
} from '../../authz/case-access';
import type { Checked } from '../../authz/checked';
import type { CaseRow } from '../case/case.records';
import { BadInputError, ConflictError, NotFoundError } from '../../errors/app-error';
import type { ProfileRow } from '../../loaders';
import { recordAudit } from '../audit/audit.service';
import { findVisibleOrganisation } from '../organisation/organisation.service';
import { requireProfile } from '../profile/profile.service';
import { dropIneligibleAssignees } from '../case/case.service';
import { clearCaseLoaders } from '../case/case.loaders';
import type { TaskRow } from '../task/task.records';
import type { ObservableRow } from '../observable/observable.records';
import { SHARE_COLUMNS, ShareRow } from './share.records';

/** R14: a share profile is an internal profile. */
async function requireShareProfile(tx: EntityManager, name: string): Promise<ProfileRow> {
  const profile = await requireProfile(tx, name, 'reference');
  if (profile.external) throw new BadInputError(`Profile "${profile.name}" is external: a share needs an internal profile`, 'profile');
  return profile;
}

interface Target {
  orgId: string;
  orgName: string;
  shareId: string | null;
  owner: boolean | null;
  profileId: string | null;
  profileName: string | null;
}

/**
 * An organisation as it appears on a case: one the caller can see (R3) or the case's owner (its
 * share is always listed, Case.shares), with its share on the case if any. Otherwise NOT_FOUND.
 */
async function targetOnCase(ctx: RequestContext, tx: EntityManager, caseId: string, name: string): Promise<Target> {
  const q = new Sql();
  const c = q.p(caseId);
  const t = await one<Target>(tx,
    `SELECT o.id AS "orgId", o.name AS "orgName", sh.id AS "shareId", sh.owner, sh.profile_id AS "profileId", sp.name AS "profileName"
       FROM organisation o
       LEFT JOIN share sh ON sh.organisation_id = o.id AND sh.case_id = ${c}
       LEFT JOIN profile sp ON sp.id = sh.profile_id
      WHERE lower(o.name) = lower(${q.p(name.trim())})
        AND (${organisationScope(ctx, q)} OR o.id = (SELECT oc.organisation_id FROM "case" oc WHERE oc.id = ${c}))`, q.params);
  if (!t) throw new NotFoundError(`Organisation "${name}"`);
  return t;
}

/** R16: another organisation's share, never the owner share. */
function assertChangeableShare(ctx: RequestContext, t: Target): asserts t is Target & { shareId: string } {
  if (t.orgId === principalOf(ctx).organisationId) throw new BadInputError("Your own organisation's share cannot be changed or removed", 'organisation');
  if (!t.shareId) throw new NotFoundError(`Share of "${t.orgName}" on this case`);
  if (t.owner) throw new BadInputError("The owner organisation's share cannot be changed or removed", 'organisation');
}

const shareById = async (tx: EntityManager, id: string) => (await one<ShareRow>(tx, `SELECT ${SHARE_COLUMNS} FROM share sh WHERE sh.id = $1`, [id]))!;

/**
 * R14: shares the case with an organisation the active one links to, under an internal profile;
 * R17: EXISTING/ALL also give it every task/observable the sharing organisation holds now.
 * Twice → CONFLICT, also concurrently: the unique (organisation, case) index decides.
 */
export async function shareCase(ctx: RequestContext, target: Checked<CaseRow>, organisation: string, profileName: string,
  tasks: ShareRule = 'MANUAL', observables: ShareRule = 'MANUAL'): Promise<ShareRow> {
  const p = principalOf(ctx);
  const result = await ctx.transaction(async (tx) => {
    // The lock orders this against createTask/createObservable, so ALL misses no new item.
    const row = await target.lock(tx, 'update');
    const org = await findVisibleOrganisation(ctx, organisation, tx);
    if (!org) throw new NotFoundError(`Organisation "${organisation}"`);
    const linked = await one(tx, 'SELECT 1 FROM organisation_link WHERE from_id = $1 AND to_id = $2', [p.organisationId, org.id]);
    if (!linked) throw new BadInputError(`Organisation "${p.organisationName}" is not linked to "${org.name}" and cannot share with it`, 'organisation');
    const profile = await requireShareProfile(tx, profileName);
    assertShareProfileWithin(row, profile);
    const inserted = await one<ShareRow>(tx,
      `INSERT INTO share AS sh (case_id, organisation_id, profile_id, owner, task_rule, observable_rule)
       VALUES ($1, $2, $3, false, $4, $5) ON CONFLICT (organisation_id, case_id) DO NOTHING RETURNING ${SHARE_COLUMNS}`,
      [row.id, org.id, profile.id, tasks, observables]);
    if (!inserted) throw new ConflictError(`The case is already shared with "${org.name}"`);
    let sharedTasks = 0;
    let sharedObservables = 0;
    if (tasks !== 'MANUAL') {
      sharedTasks = (await rows(tx,
        'INSERT INTO task_share (share_id, task_id) SELECT $1, task_id FROM task_share WHERE share_id = $2 RETURNING task_id',
        [inserted.id, row.shareId])).length;
    }
    if (observables !== 'MANUAL') {
      sharedObservables = (await rows(tx,
        'INSERT INTO observable_share (share_id, observable_id) SELECT $1, observable_id FROM observable_share WHERE share_id = $2 RETURNING observable_id',
        [inserted.id, row.shareId])).length;
    }
    await recordAudit(ctx, tx, {
      action: 'share.create', objectType: 'Share', objectId: inserted.id, caseId: row.id,
      details: { organisation: org.name, organisationId: org.id, profile: profile.name, tasks, observables, sharedTasks, sharedObservables },
    });
    return inserted;
  });
  clearCaseLoaders(ctx);
  return result;
}

/** R16: changes another organisation's share profile (never one's own, never the owner share). */
export async function updateShare(ctx: RequestContext, theCase: Checked<CaseRow>, organisation: string, profileName: string): Promise<ShareRow> {
  const result = await ctx.transaction(async (tx) => {
    const row = await theCase.lock(tx, 'update');
    const target = await targetOnCase(ctx, tx, row.id, organisation);
    assertChangeableShare(ctx, target);
    const profile = await requireShareProfile(tx, profileName);
    assertShareProfileWithin(row, profile);
    if (profile.id !== target.profileId) {
      await tx.query('UPDATE share SET profile_id = $2 WHERE id = $1', [target.shareId, profile.id]);
      await recordAudit(ctx, tx, {
        action: 'share.update', objectType: 'Share', objectId: target.shareId, caseId: row.id,
        details: { organisation: target.orgName, organisationId: target.orgId, profile: { from: target.profileName, to: profile.name } },
      });
      await dropIneligibleAssignees(ctx, tx, { caseId: row.id }, 'the profile of a share changed');
    }
    return shareById(tx, target.shareId);
  });
  clearCaseLoaders(ctx);
  return result;
}

/**
 * R16: removes another organisation's share and with it its access to the case, tasks and
 * observables. Nothing is destroyed: items only that organisation held pass to the owner share.
 */
export async function unshareCase(ctx: RequestContext, theCase: Checked<CaseRow>, organisation: string): Promise<boolean> {
  await ctx.transaction(async (tx) => {
    const row = await theCase.lock(tx, 'update');
    const target = await targetOnCase(ctx, tx, row.id, organisation);
    assertChangeableShare(ctx, target);
    const moved = async (table: 'task_share' | 'observable_share', column: 'task_id' | 'observable_id') =>
      (await rows(tx,
        `INSERT INTO ${table} (share_id, ${column})
         SELECT os.id, x.${column} FROM ${table} x JOIN share os ON os.case_id = $2 AND os.owner
          WHERE x.share_id = $1 AND NOT EXISTS (SELECT 1 FROM ${table} y WHERE y.${column} = x.${column} AND y.share_id <> $1)
         ON CONFLICT DO NOTHING RETURNING ${column}`, [target.shareId, row.id])).length;
    const movedTasks = await moved('task_share', 'task_id');
    const movedObservables = await moved('observable_share', 'observable_id');
    await tx.query('DELETE FROM share WHERE id = $1', [target.shareId]);
    await recordAudit(ctx, tx, {
      action: 'share.delete', objectType: 'Share', objectId: target.shareId, caseId: row.id,
      details: { organisation: target.orgName, organisationId: target.orgId, profile: target.profileName, movedTasks, movedObservables },
    });
    await dropIneligibleAssignees(ctx, tx, { caseId: row.id }, 'a share was removed');
  });
  clearCaseLoaders(ctx);
  return true;
}

interface ItemKind<T> {
  objectType: 'Task' | 'Observable';
  table: 'task_share' | 'observable_share';
  column: 'task_id' | 'observable_id';
  reload: (ctx: RequestContext, tx: EntityManager, id: string) => Promise<T | null>;
}

const TASK: ItemKind<TaskRow> = {
  objectType: 'Task', table: 'task_share', column: 'task_id',
  reload: (ctx, tx, id) => findVisibleTask(ctx, tx, id),
};

const OBSERVABLE: ItemKind<ObservableRow> = {
  objectType: 'Observable', table: 'observable_share', column: 'observable_id',
  reload: (ctx, tx, id) => findVisibleObservable(ctx, tx, id),
};

type HeldShare = Target & { shareId: string; owner: boolean };

/**
 * R18: the target must already hold a share on the case, one the caller sees listed in
 * Case.shares (the owner's, or an organisation it can see, R3); the item then carries that
 * share's profile. Every other name — unknown, invisible (even if it holds a share), or visible
 * without a share — gets the same BAD_USER_INPUT, so the answer says nothing about organisations
 * the caller cannot see.
 */
async function targetShare(ctx: RequestContext, tx: EntityManager, caseId: string, organisation: string): Promise<HeldShare> {
  const name = organisation.trim();
  const q = new Sql();
  const t = await one<HeldShare>(tx,
    `SELECT o.id AS "orgId", o.name AS "orgName", sh.id AS "shareId", sh.owner, sh.profile_id AS "profileId", sp.name AS "profileName"
       FROM share sh
       JOIN organisation o ON o.id = sh.organisation_id
       JOIN profile sp ON sp.id = sh.profile_id
      WHERE sh.case_id = ${q.p(caseId)} AND lower(o.name) = lower(${q.p(name)}) AND ${shareListScope(ctx, q)}`, q.params);
  if (!t) throw new BadInputError(`The case is not shared with "${name}": share the case first`, 'organisation');
  return t;
}

async function shareItem<T extends { id: string; caseId: string }>(ctx: RequestContext, kind: ItemKind<T>, item0: Checked<T>, organisation: string): Promise<T> {
  const result = await ctx.transaction(async (tx) => {
    const item = await item0.lock(tx, 'update');
    const target = await targetShare(ctx, tx, item.caseId, organisation);
    const added = await rows(tx,
      `INSERT INTO ${kind.table} (share_id, ${kind.column}) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING share_id`, [target.shareId, item.id]);
    // Already shared with that organisation: nothing changes, so nothing is audited.
    if (added.length) {
      await recordAudit(ctx, tx, {
        action: `${kind.objectType.toLowerCase()}.share`, objectType: kind.objectType, objectId: item.id, caseId: item.caseId,
        details: { organisation: target.orgName, organisationId: target.orgId },
      });
    }
    return (await kind.reload(ctx, tx, item.id))!;
  });
  clearCaseLoaders(ctx);
  return result;
}

async function unshareItem<T extends { id: string; caseId: string }>(ctx: RequestContext, kind: ItemKind<T>, item0: Checked<T>, organisation: string): Promise<boolean> {
  await ctx.transaction(async (tx) => {
    const item = await item0.lock(tx, 'update');
    const target = await targetShare(ctx, tx, item.caseId, organisation);
    if (target.owner) throw new BadInputError(`A ${kind.objectType.toLowerCase()} is never unshared from the owner organisation`, 'organisation');
    const removed = await rows(tx, `DELETE FROM ${kind.table} WHERE share_id = $1 AND ${kind.column} = $2 RETURNING share_id`, [target.shareId, item.id]);
    // Both the item and the organisation are visible here, so saying which one lacks the other leaks nothing.
    if (!removed.length) throw new BadInputError(`This ${kind.objectType.toLowerCase()} is not shared with "${target.orgName}"`, 'organisation');
    await recordAudit(ctx, tx, {
      action: `${kind.objectType.toLowerCase()}.unshare`, objectType: kind.objectType, objectId: item.id, caseId: item.caseId,
      details: { organisation: target.orgName, organisationId: target.orgId },
    });
  });
  clearCaseLoaders(ctx);
  return true;
}

export const shareTask = (ctx: RequestContext, task: Checked<TaskRow>, organisation: string) => shareItem(ctx, TASK, task, organisation);
export const unshareTask = (ctx: RequestContext, task: Checked<TaskRow>, organisation: string) => unshareItem(ctx, TASK, task, organisation);
export const shareObservable = (ctx: RequestContext, observable: Checked<ObservableRow>, organisation: string) => shareItem(ctx, OBSERVABLE, observable, organisation);
export const unshareObservable = (ctx: RequestContext, observable: Checked<ObservableRow>, organisation: string) => unshareItem(ctx, OBSERVABLE, observable, organisation);
