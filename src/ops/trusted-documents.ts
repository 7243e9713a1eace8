import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../logger';
import type { RequestContext } from '../context';

/** SHA-256 (hex) of an operation document, exactly as the client sends it. */
export const documentHash = (source: string) => createHash('sha256').update(source, 'utf8').digest('hex');

/**
 * The hashes a TRUSTED_DOCUMENTS manifest allows. Accepted forms: Apollo's persisted-query
 * manifest (`{ "format": "apollo-persisted-query-manifest", "operations": [{ "id", "body" }] }`,
 * hash recomputed from each body), a JSON array of hex hashes, or an object keyed by hash
 * (`{ "<sha256>": "<document>" }`, as graphql-codegen's client preset writes).
 */
export function loadTrustedDocuments(file: string): Set<string> {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  const hashes = new Set<string>();
  const add = (h: unknown) => {
    if (typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h)) throw new Error(`TRUSTED_DOCUMENTS: not a SHA-256 hex hash: ${String(h).slice(0, 80)}`);
    hashes.add(h);
  };
  if (Array.isArray(data)) data.forEach(add);
  else if (data && typeof data === 'object' && Array.isArray((data as { operations?: unknown }).operations)) {
    for (const op of (data as { operations: Array<{ body?: unknown }> }).operations) {
      if (typeof op.body !== 'string') throw new Error('TRUSTED_DOCUMENTS: an operation has no body');
      hashes.add(documentHash(op.body));
    }
  } else if (data && typeof data === 'object') Object.keys(data).forEach(add);
  else throw new Error('TRUSTED_DOCUMENTS: expected a manifest, an array of hashes or an object keyed by hash');
  return hashes;
}

/**
 * Only the listed documents run: an operation whose text hashes to no listed hash is refused with
 * PERSISTED_QUERY_NOT_FOUND before it executes (`enforce`), or run and logged (`report`, outside
 * production, to find what a manifest misses).
 */
export function trustedDocumentsPlugin(hashes: Set<string>, mode: 'enforce' | 'report', logger: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ source, operationName }) {
          const hash = documentHash(source);
          if (hashes.has(hash)) return;
          if (mode === 'report') {
            logger.warn({ operation: operationName, hash }, 'operation is not in the trusted documents (allowed outside production)');
            return;
          }
          throw new GraphQLError('This operation is not in the trusted documents', {
            extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } },
          });
        },
      };
    },
  };
}
