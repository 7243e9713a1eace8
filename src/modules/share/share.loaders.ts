import type { OrganisationRow } from '../../db/records/organisation';
import { ProfileRow } from '../../db/records/profile';
import { defineLoader, organisationById, profileById, loaderOf } from '../../loaders';
import { caseVisible, shareListScope } from '../../authz/scopes';
import { SHARE_COLUMNS, ShareRow } from '../../db/records/share';

/** What sharesOfCase adds to a share row: its organisation and profile (Share.organisation/profile). */
export interface ShareRefs {
  org: OrganisationRow;
  profile: ProfileRow;
}
type ShareWithRefs = ShareRow & ShareRefs;

declare module '../../loader-map' {
  interface LoaderMap {
    'share.byCase': { nested: ShareWithRefs };
    'share.byId': { one: ShareRow };
  }
}

/**
 * Case.shares for a page of cases: the owner share and shares with organisations the caller can
 * see. Each share's organisation and profile come in the same statement and prime their loaders,
 * so Share.organisation/profile cost no further round trip.
 */
export const sharesOfCase = defineLoader({
  name: 'share.byCase',
  nested: (ctx, q, key) => `SELECT ${SHARE_COLUMNS},
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
      loaderOf(ctx, organisationById).prime(r.organisationId, r.org);
      loaderOf(ctx, profileById).prime(r.profileId, r.profile);
    }
  },
});

/**
 * Share.via: a share of a case the caller sees, by id, under the same scope as Case.shares (the
 * owner sees every share, R16a; others the owner's and those of organisations they see, R3).
 */
export const shareById = defineLoader({
  name: 'share.byId',
  one: (ctx, q, ids) =>
    `SELECT ${SHARE_COLUMNS} FROM share sh JOIN organisation o ON o.id = sh.organisation_id
      WHERE sh.id = ${ids} AND ${caseVisible(ctx, q, 'sh.case_id')} AND ${shareListScope(ctx, q)}`,
});
