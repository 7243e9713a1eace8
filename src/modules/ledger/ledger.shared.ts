import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import type { ReadKind } from './read-ledger';

/**
 * R40: records a read served to the caller when the ledger keeps it: every read through the
 * portal (external users), and an attachment download by a member of an organisation other than
 * the case's owner. The owner's own members are not recorded. Never awaits: the read's answer
 * does not wait for the ledger (ReadLedger buffers and flushes in batches).
 */
export function recordRead(ctx: RequestContext, read: { kind: ReadKind; caseId: string; objectId: string; ownerOrganisationId?: string }): void {
  const p = principalOf(ctx);
  const viaPortal = ctx.endpoint === 'portal';
  if (!viaPortal && (read.kind !== 'ATTACHMENT_DOWNLOAD' || read.ownerOrganisationId === p.organisationId)) return;
  ctx.readLedger.record({ kind: read.kind, userId: p.userId, organisationId: p.organisationId, caseId: read.caseId, objectId: read.objectId, viaPortal });
}
