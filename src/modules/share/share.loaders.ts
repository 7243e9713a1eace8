import type { RequestContext } from '../../context';
import { byIdLoader, groupLoader, ORGANISATION_COLUMNS, OrganisationRow, ProfileRow, Relation, relationLoader } from '../../loaders';
import { caseVisible, liveShare, organisationScope, shareListScope, taskVisible, observableVisible } from '../../authz/scopes';
import { SHARE_COLUMNS, ShareRow } from './share.records';

/** What sharesOfCase adds to a share row: its organisation and profile (Share.organisation/profile). */
export interface ShareRefs { org: OrganisationRow; profile: ProfileRow }
type ShareWithRefs = ShareRow & ShareRefs;

/**
 * Case.shares for a page of cases: the owner share and shares with organisations the caller can
 * see. Each share's organisation and profile come in the same statement and prime their loaders,
 * so Share.organisation/profile cost no further round trip.
 */
export const sharesOfCase: Relation<ShareWithRefs> = {
  name: 'share.byCase',
  select: (ctx, q, key) => `SELECT ${SHARE_COLUMNS},
            json_build_object('id', o.id, 'name', o.name, 'description', o.description, 'createdAt', o.created_at) AS org,
            json_build_object('id', p.id, 'name', p.name, 'permissions', p.permissions, 'external', p.external,
                              'createdAt', p.created_at, 'updatedAt', p.updated_at) AS profile
       FROM share sh JOIN organisation o ON o.id = sh.organisation_id JOIN profile p ON p.id = sh.profile_id
      WHERE sh.case_id = ${key} AND ${caseVisible(ctx, q, 'sh.case_id')} AND ${shareListScope(ctx, q)}`,
  order: "owner DESC, lower(org->>'name')",
  keyOf: (r) => r.caseId,
  dates: ['createdAt', 'expiresAt'],
  onRows: (ctx, rows) => {
    for (const r of rows) {
      ctx.loaders.organisation.prime(r.organisationId, r.org);
      ctx.loaders.profile.prime(r.profileId, r.profile);
    }
  },
};

export const sharesByCaseLoader = (ctx: RequestContext) => relationLoader(ctx, sharesOfCase);

type Holder = OrganisationRow & { itemId: string };

/** Task.sharedWith: organisations holding the task through a live share (R39), limited to those the caller can see; only for visible tasks. */
export const taskSharedWithLoader = (ctx: RequestContext) =>
  ctx.loaders.get('share.taskHolders', () => groupLoader<Holder>(ctx, (q, keys) =>
    `SELECT ts.task_id AS "itemId", ${ORGANISATION_COLUMNS} FROM task_share ts
       JOIN share sh ON sh.id = ts.share_id AND ${liveShare('sh')} JOIN organisation o ON o.id = sh.organisation_id
      WHERE ts.task_id = ANY(${keys}) AND ${taskVisible(ctx, q, 'ts.task_id')} AND ${organisationScope(ctx, q)}
      ORDER BY lower(o.name)`, (r) => r.itemId));

export const observableSharedWithLoader = (ctx: RequestContext) =>
  ctx.loaders.get('share.observableHolders', () => groupLoader<Holder>(ctx, (q, keys) =>
    `SELECT os.observable_id AS "itemId", ${ORGANISATION_COLUMNS} FROM observable_share os
       JOIN share sh ON sh.id = os.share_id AND ${liveShare('sh')} JOIN organisation o ON o.id = sh.organisation_id
      WHERE os.observable_id = ANY(${keys}) AND ${observableVisible(ctx, q, 'os.observable_id')} AND ${organisationScope(ctx, q)}
      ORDER BY lower(o.name)`, (r) => r.itemId));

/**
 * Share.via: a share of a case the caller sees, by id, under the same scope as Case.shares (the
 * owner sees every share, R16a; others the owner's and those of organisations they see, R3).
 */
export const shareByIdLoader = (ctx: RequestContext) =>
  ctx.loaders.get('share.byId', () => byIdLoader<ShareRow>(ctx, (q, ids) =>
    `SELECT ${SHARE_COLUMNS} FROM share sh JOIN organisation o ON o.id = sh.organisation_id
      WHERE sh.id = ANY(${ids}) AND ${caseVisible(ctx, q, 'sh.case_id')} AND ${shareListScope(ctx, q)}`));
