import type { Resolvers } from '../../generated/internal';
import { principalOf } from '../../context';
import { defineLoader, loaderOf } from '../../loaders';
import type { AuditRow } from './audit.query';
import { verifyAudit } from './audit-chain.service';

interface LinkRow {
  id: string;
  hash: string;
  previousHash: string | null;
}

declare module '../../loader-map' {
  interface LoaderMap {
    'audit.link': { one: LinkRow };
  }
}

/** The chain links of the entries a page shows: one statement per page, only when hash/previousHash are asked for. */
const auditLinks = defineLoader({
  name: 'audit.link',
  one: (_ctx, _q, ids) => `SELECT l.audit_id AS id, l.hash, l.previous_hash AS "previousHash" FROM audit_link l WHERE l.audit_id = ${ids}`,
});

export const auditChainResolvers: Resolvers = {
  Query: {
    verifyAudit: (_p, { organisation }, ctx) => verifyAudit(ctx, organisation),
  },
  AuditEntry: {
    // Every committed entry has its link (sealed in the same commit); '' only for a row written around the chain (verifyAudit reports it).
    hash: async (a: AuditRow, _args, ctx) => (await loaderOf(ctx, auditLinks).load(a.id))?.hash ?? '',
    // R29: linking two entries of another organisation's chain would tell whether it wrote in between.
    previousHash: async (a: AuditRow, _args, ctx) => {
      const p = principalOf(ctx);
      if (a.chainId !== p.organisationId && !p.inAdminOrganisation) return null;
      return (await loaderOf(ctx, auditLinks).load(a.id))?.previousHash ?? null;
    },
  },
};
