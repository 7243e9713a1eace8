import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import type { ShareRule } from '../../generated/internal';
import { one, rows, Sql } from '../../db/sql';
import { liveShare, organisationScope, ownsCase, shareListScope } from '../../authz/scopes';
import { assertMayExpireShare, assertShareProfileWithin, findVisibleItem } from '../../authz/case-access';
import { CaseItem, OBSERVABLE, TASK } from '../../db/records/items';
import type { Checked } from '../../authz/checked';
import type { CaseRow } from '../../db/records/case';
import { BadInputError, ConflictError, NotFoundError } from '../../errors/app-error';
import type { ProfileRow } from '../../db/records/profile';
import { recordAudit } from '../audit-trail/audit-trail.shared';
import { findVisibleOrganisation } from '../organisation/organisation.shared';
import { requireProfile } from '../profile/profile.shared';
import { dropIneligibleAssignees } from '../assignee/assignee.shared';
import type { TaskRow } from '../../db/records/task';
import type { ObservableRow } from '../../db/records/observable';
import { SHARE_COLUMNS, ShareRow } from '../../db/records/share';

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
  /** The share it was made through (R16a), its own expiry and whether it gives no access any more (R39). */
  viaShareId: string | null;
  expiresAt: Date | null;
  expired: boolean | null;
}

/**
 * An organisation as it appears on a case: one the caller can see (R3), the case's owner (its
 * share is always listed, Case.shares), or — for the owner organisation — any organisation
 * holding a share on the case (R16a), with its share on the case if any. Otherwise NOT_FOUND.
 */
async function targetOnCase(ctx: RequestContext, tx: EntityManager, caseId: string, name: string): Promise<Target> {
  const q = new Sql();
  const c = q.p(caseId);
  const t = await one<Target>(
    tx,
    `SELECT o.id AS "orgId", o.name AS "orgName", sh.id AS "shareId", sh.owner, sh.profile_id AS "profileId", sp.name AS "profileName",
            sh.via_share_id AS "viaShareId", sh.expires_at AS "expiresAt", CASE WHEN sh.id IS NOT NULL THEN NOT ${liveShare('sh')} END AS expired
       FROM organisation o
       LEFT JOIN share sh ON sh.organisation_id = o.id AND sh.case_id = ${c}
       LEFT JOIN profile sp ON sp.id = sh.profile_id
      WHERE lower(o.name) = lower(${q.p(name.trim())})
        AND (${organisationScope(ctx, q)} OR o.id = (SELECT oc.organisation_id FROM "case" oc WHERE oc.id = ${c})
             OR (sh.id IS NOT NULL AND ${ownsCase(ctx, q, c)}))`,
    q.params,
  );
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
 * Twice → CONFLICT, also concurrently: the unique (organisation, case) index decides. An expired
 * share of that organisation does not count: it goes, with everything made through it, and the
 * new one starts afresh (R16a, R39). `expiresAt` (R39): the new share's lineage expiry is the
 * earlier of it and the expiry of the share it is made through.
 */
export async function shareCase(
  ctx: RequestContext,
  target: Checked<CaseRow>,
  organisation: string,
  profileName: string,
  tasks: ShareRule = 'MANUAL',
  observables: ShareRule = 'MANUAL',
  expiresAt: Date | null = null,
): Promise<ShareRow> {
  const p = principalOf(ctx);
  return ctx.transaction(async (tx) => {
    // The lock orders this against createTask/createObservable, so ALL misses no new item.
    const row = await target.lock(tx, 'update');
    const org = await findVisibleOrganisation(ctx, organisation, tx);
    if (!org) throw new NotFoundError(`Organisation "${organisation}"`);
    const linked = await one(tx, 'SELECT 1 FROM organisation_link WHERE from_id = $1 AND to_id = $2', [p.organisationId, org.id]);
    if (!linked) throw new BadInputError(`Organisation "${p.organisationName}" is not linked to "${org.name}" and cannot share with it`, 'organisation');
    const profile = await requireShareProfile(tx, profileName);
    assertShareProfileWithin(row, profile);
    const expiredShare = await one<{ id: string }>(
      tx,
      `SELECT sh.id FROM share sh WHERE sh.case_id = $1 AND sh.organisation_id = $2 AND NOT ${liveShare('sh')}`,
      [row.id, org.id],
    );
    if (expiredShare) await removeShareTree(ctx, tx, row, expiredShare.id, 'expired');
    // R16a: a re-share (by a non-owner) records the share it was made through, so removing that
    // share also removes this one, and ends no later than it (R39).
    const viaShareId = row.ownerShare ? null : row.shareId;
    const inserted = await one<ShareRow>(
      tx,
      `INSERT INTO share AS sh (case_id, organisation_id, profile_id, owner, task_rule, observable_rule, via_share_id, created_by, expires_at, lineage_expires_at)
       VALUES ($1, $2, $3, false, $4, $5, $6, $7, $8::timestamptz, LEAST($8::timestamptz, (SELECT vs.lineage_expires_at FROM share vs WHERE vs.id = $6)))
       ON CONFLICT (organisation_id, case_id) DO NOTHING RETURNING ${SHARE_COLUMNS}`,
      [row.id, org.id, profile.id, tasks, observables, viaShareId, p.userId, expiresAt],
    );
    if (!inserted) throw new ConflictError(`The case is already shared with "${org.name}"`);
    let sharedTasks = 0;
    let sharedObservables = 0;
    if (tasks !== 'MANUAL') {
      sharedTasks = (
        await rows(tx, 'INSERT INTO task_share (share_id, task_id) SELECT $1, task_id FROM task_share WHERE share_id = $2 RETURNING task_id', [
          inserted.id,
          row.shareId,
        ])
      ).length;
    }
    if (observables !== 'MANUAL') {
      sharedObservables = (
        await rows(
          tx,
          'INSERT INTO observable_share (share_id, observable_id) SELECT $1, observable_id FROM observable_share WHERE share_id = $2 RETURNING observable_id',
          [inserted.id, row.shareId],
        )
      ).length;
    }
    await recordAudit(ctx, tx, {
      action: 'share.create',
      objectType: 'Share',
      objectId: inserted.id,
      caseId: row.id,
      details: {
        organisation: org.name,
        organisationId: org.id,
        profile: profile.name,
        tasks,
        observables,
        sharedTasks,
        sharedObservables,
        ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
      },
    });
    return inserted;
  });
}

/** R16: changes another organisation's share profile (never one's own, never the owner share). */
export async function updateShare(ctx: RequestContext, theCase: Checked<CaseRow>, organisation: string, profileName: string): Promise<ShareRow> {
  return ctx.transaction(async (tx) => {
    const row = await theCase.lock(tx, 'update');
    const target = await targetOnCase(ctx, tx, row.id, organisation);
    assertChangeableShare(ctx, target);
    const profile = await requireShareProfile(tx, profileName);
    assertShareProfileWithin(row, profile);
    if (profile.id !== target.profileId) {
      await tx.query('UPDATE share SET profile_id = $2 WHERE id = $1', [target.shareId, profile.id]);
      await recordAudit(ctx, tx, {
        action: 'share.update',
        objectType: 'Share',
        objectId: target.shareId,
        caseId: row.id,
        details: { organisation: target.orgName, organisationId: target.orgId, profile: { from: target.profileName, to: profile.name } },
      });
      await dropIneligibleAssignees(ctx, tx, { caseId: row.id }, 'the profile of a share changed');
    }
    return shareById(tx, target.shareId);
  });
}

interface RemovedShare {
  id: string;
  viaShareId: string | null;
  orgId: string;
  orgName: string;
  profileName: string;
}

/**
 * R16: removes another organisation's share and with it its access to the case, tasks and
 * observables. Nothing is destroyed: items only the removed organisations held pass to the owner
 * share. R16a/R23: every share made through it goes too, recursively, and the external grants
 * made through any of them; nothing of it comes back with a later re-share.
 */
export async function unshareCase(ctx: RequestContext, theCase: Checked<CaseRow>, organisation: string): Promise<boolean> {
  await ctx.transaction(async (tx) => {
    const row = await theCase.lock(tx, 'update');
    const target = await targetOnCase(ctx, tx, row.id, organisation);
    assertChangeableShare(ctx, target);
    await removeShareTree(ctx, tx, row, target.shareId);
  });
  return true;
}

/**
 * R16/R16a/R23: removes a share, every share made through it, recursively, and the grants of all
 * of them, inside the caller's transaction (the case row locked FOR UPDATE: that orders this
 * against concurrent re-shares, which lock it too). Items only those shares held pass to the
 * owner share. `reason` 'expired': shareCase replacing an expired share (R39), said in the entries.
 */
async function removeShareTree(ctx: RequestContext, tx: EntityManager, row: CaseRow, shareId: string, reason?: 'expired'): Promise<void> {
  // The target first, then the shares made through it.
  const removed = await rows<RemovedShare>(
    tx,
    `WITH RECURSIVE gone(id, depth) AS (
       SELECT id, 0 FROM share WHERE id = $1
       UNION ALL SELECT s.id, g.depth + 1 FROM share s JOIN gone g ON s.via_share_id = g.id)
     SELECT s.id, s.via_share_id AS "viaShareId", o.id AS "orgId", o.name AS "orgName", p.name AS "profileName"
       FROM gone g JOIN share s ON s.id = g.id JOIN organisation o ON o.id = s.organisation_id JOIN profile p ON p.id = s.profile_id
      ORDER BY g.depth, lower(o.name)`,
    [shareId],
  );
  // Decision (R16): one's own organisation's share is never removed, not even as a descendant
  // of the share one removes (a re-share's holder removing the share it came through).
  if (removed.some((r) => r.orgId === principalOf(ctx).organisationId || r.id === row.shareId)) {
    throw new BadInputError("Removing this share would remove your own organisation's share, which was made through it", 'organisation');
  }
  const ids = removed.map((r) => r.id);
  const moved = async (table: 'task_share' | 'observable_share', column: 'task_id' | 'observable_id') =>
    (
      await rows(
        tx,
        `INSERT INTO ${table} (share_id, ${column})
       SELECT DISTINCT os.id, x.${column} FROM ${table} x JOIN share os ON os.case_id = $2 AND os.owner
        WHERE x.share_id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM ${table} y WHERE y.${column} = x.${column} AND NOT y.share_id = ANY($1::uuid[]))
       ON CONFLICT DO NOTHING RETURNING ${column}`,
        [ids, row.id],
      )
    ).length;
  const movedTasks = await moved('task_share', 'task_id');
  const movedObservables = await moved('observable_share', 'observable_id');
  // The grants made through those shares (R23), and the grants of their organisations' external
  // users, whoever made them: that access ends here too, and a later re-share starts afresh (R16a).
  const grants = await rows<{ shareId: string }>(
    tx,
    `DELETE FROM external_grant WHERE share_id = ANY($1::uuid[])
        OR (case_id = $2 AND user_id IN (SELECT m.user_id FROM membership m WHERE m.organisation_id = ANY($3::uuid[])))
     RETURNING share_id AS "shareId"`,
    [ids, row.id, removed.map((r) => r.orgId)],
  );
  await tx.query('DELETE FROM share WHERE id = ANY($1::uuid[])', [ids]);
  // One entry per removed share, each naming only its own organisation, so the audit scope
  // (R29) shows each to exactly those who may see that organisation.
  for (const [i, r] of removed.entries()) {
    await recordAudit(ctx, tx, {
      action: 'share.delete',
      objectType: 'Share',
      objectId: r.id,
      caseId: row.id,
      details: {
        organisation: r.orgName,
        organisationId: r.orgId,
        profile: r.profileName,
        removedGrants: grants.filter((g) => g.shareId === r.id).length,
        ...(i === 0 ? { movedTasks, movedObservables } : { via: r.viaShareId }),
        ...(reason ? { reason } : {}),
      },
    });
  }
  await dropIneligibleAssignees(ctx, tx, { caseId: row.id }, 'a share was removed');
}

/**
 * R39: sets or clears the expiry of another organisation's share. R16a decides who: the owner
 * organisation on every share of its cases, another organisation on the shares it made (through
 * its own share). The lineage expiry of the share and of every share made through it, recursively,
 * is recomputed, so visibility stays one comparison. An expired share stays expired: what expired
 * never comes back (R16a); sharing again starts afresh.
 */
export async function setShareExpiry(ctx: RequestContext, theCase: Checked<CaseRow>, organisation: string, expiresAt: Date | null): Promise<ShareRow> {
  return ctx.transaction(async (tx) => {
    const row = await theCase.lock(tx, 'update');
    const target = await targetOnCase(ctx, tx, row.id, organisation);
    assertChangeableShare(ctx, target);
    assertMayExpireShare(row, target);
    if (target.expired) throw new BadInputError(`The share of "${target.orgName}" has expired: share the case again instead`, 'organisation');
    const from = target.expiresAt?.toISOString() ?? null;
    const to = expiresAt?.toISOString() ?? null;
    if (from !== to) {
      await tx.query('UPDATE share SET expires_at = $2 WHERE id = $1', [target.shareId, expiresAt]);
      await tx.query(
        `WITH RECURSIVE sub(id, lineage) AS (
           SELECT s.id, LEAST(s.expires_at, v.lineage_expires_at) FROM share s LEFT JOIN share v ON v.id = s.via_share_id WHERE s.id = $1
           UNION ALL SELECT c.id, LEAST(c.expires_at, sub.lineage) FROM share c JOIN sub ON c.via_share_id = sub.id)
         UPDATE share SET lineage_expires_at = sub.lineage FROM sub WHERE share.id = sub.id`,
        [target.shareId],
      );
      await recordAudit(ctx, tx, {
        action: 'share.update',
        objectType: 'Share',
        objectId: target.shareId,
        caseId: row.id,
        details: { organisation: target.orgName, organisationId: target.orgId, expiresAt: { from, to } },
      });
    }
    return shareById(tx, target.shareId);
  });
}

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
  const t = await one<HeldShare>(
    tx,
    `SELECT o.id AS "orgId", o.name AS "orgName", sh.id AS "shareId", sh.owner, sh.profile_id AS "profileId", sp.name AS "profileName"
       FROM share sh
       JOIN organisation o ON o.id = sh.organisation_id
       JOIN profile sp ON sp.id = sh.profile_id
      WHERE sh.case_id = ${q.p(caseId)} AND lower(o.name) = lower(${q.p(name)}) AND ${shareListScope(ctx, q)}`,
    q.params,
  );
  if (!t) throw new BadInputError(`The case is not shared with "${name}": share the case first`, 'organisation');
  return t;
}

async function shareItem<F, T extends F & { id: string; caseId: string }>(
  ctx: RequestContext,
  kind: CaseItem<F, T>,
  item0: Checked<T>,
  organisation: string,
): Promise<T> {
  return ctx.transaction(async (tx) => {
    const item = await item0.lock(tx, 'update');
    const target = await targetShare(ctx, tx, item.caseId, organisation);
    const added = await rows(tx, `INSERT INTO ${kind.shareTable} (share_id, ${kind.key}) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING share_id`, [
      target.shareId,
      item.id,
    ]);
    // Already shared with that organisation: nothing changes, so nothing is audited.
    if (added.length) {
      await recordAudit(ctx, tx, {
        action: `${kind.objectType.toLowerCase()}.share`,
        objectType: kind.objectType,
        objectId: item.id,
        caseId: item.caseId,
        details: { organisation: target.orgName, organisationId: target.orgId },
      });
    }
    return (await findVisibleItem(ctx, tx, kind, item.id))!;
  });
}

async function unshareItem<F, T extends F & { id: string; caseId: string }>(
  ctx: RequestContext,
  kind: CaseItem<F, T>,
  item0: Checked<T>,
  organisation: string,
): Promise<boolean> {
  await ctx.transaction(async (tx) => {
    const item = await item0.lock(tx, 'update');
    const target = await targetShare(ctx, tx, item.caseId, organisation);
    if (target.owner) throw new BadInputError(`A ${kind.objectType.toLowerCase()} is never unshared from the owner organisation`, 'organisation');
    const removed = await rows(tx, `DELETE FROM ${kind.shareTable} WHERE share_id = $1 AND ${kind.key} = $2 RETURNING share_id`, [target.shareId, item.id]);
    // Both the item and the organisation are visible here, so saying which one lacks the other leaks nothing.
    if (!removed.length) throw new BadInputError(`This ${kind.objectType.toLowerCase()} is not shared with "${target.orgName}"`, 'organisation');
    await recordAudit(ctx, tx, {
      action: `${kind.objectType.toLowerCase()}.unshare`,
      objectType: kind.objectType,
      objectId: item.id,
      caseId: item.caseId,
      details: { organisation: target.orgName, organisationId: target.orgId },
    });
  });
  return true;
}

export const shareTask = (ctx: RequestContext, task: Checked<TaskRow>, organisation: string) => shareItem(ctx, TASK, task, organisation);
export const unshareTask = (ctx: RequestContext, task: Checked<TaskRow>, organisation: string) => unshareItem(ctx, TASK, task, organisation);
export const shareObservable = (ctx: RequestContext, observable: Checked<ObservableRow>, organisation: string) =>
  shareItem(ctx, OBSERVABLE, observable, organisation);
export const unshareObservable = (ctx: RequestContext, observable: Checked<ObservableRow>, organisation: string) =>
  unshareItem(ctx, OBSERVABLE, observable, organisation);
