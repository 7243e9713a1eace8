import type { Resolvers } from '../../generated/internal';
import { principalOf } from '../../context';
import type { AuditRow } from './audit.query';
import { verifyAudit } from './audit-chain.service';

export const auditChainResolvers: Resolvers = {
  Query: {
    verifyAudit: (_p, { organisation }, ctx) => verifyAudit(ctx, organisation),
  },
  AuditEntry: {
    hash: (a: AuditRow) => a.hash,
    // R29: linking two entries of another organisation's chain would tell whether it wrote in between.
    previousHash: (a: AuditRow, _args, ctx) => {
      const p = principalOf(ctx);
      return a.chainId === p.organisationId || p.inAdminOrganisation ? a.previousHash : null;
    },
  },
};
