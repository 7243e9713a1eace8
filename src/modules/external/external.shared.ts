import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { grantOpensCase } from '../../authz/portal-scopes';

/**
 * The creator's grant when an external user reports a case through the portal (R26). Part of
 * that case.create, whose entry names it (see portal createCase); no entry of its own.
 */
export async function grantToCreator(ctx: RequestContext, tx: EntityManager, caseId: string): Promise<{ login: string }> {
  const p = principalOf(ctx);
  // R23: it belongs to the owner share (the creator's organisation owns the case), which is never removed.
  await tx.query('INSERT INTO external_grant (case_id, user_id, granted_by, share_id) SELECT $1, $2, $2, s.id FROM share s WHERE s.case_id = $1 AND s.owner', [
    caseId,
    p.userId,
  ]);
  return { login: p.login };
}

/** An external user has portal access to case `alias` (R23): a grant, or its external creator. */
export const SHARED_EXTERNALLY_SQL = (alias: string) =>
  `(EXISTS (SELECT 1 FROM external_grant sg WHERE sg.case_id = ${alias}.id AND ${grantOpensCase('sg')})
    OR EXISTS (SELECT 1 FROM app_user su WHERE su.id = ${alias}.created_by AND su.type = 'EXTERNAL'))`;
