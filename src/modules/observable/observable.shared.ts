import type { EntityManager } from 'typeorm';
import { BadInputError } from '../../errors/app-error';

/** The accepted observable data types (Query.observableDataTypes), sorted. */
export const OBSERVABLE_DATA_TYPES: readonly string[] = [
  'autonomous-system',
  'domain',
  'file',
  'filename',
  'fqdn',
  'hash',
  'hostname',
  'ip',
  'mail',
  'mail-subject',
  'other',
  'regexp',
  'registry',
  'uri_path',
  'url',
  'user-agent',
];

/**
 * R17: new observables are shared with their creator's organisation (creatorShareId; null when
 * that is the owner, e.g. through the portal) and with every share of the case whose rule is ALL
 * (the owner share always is). Also used by the portal's addObservable and by alert import (R35).
 */
export async function linkNewObservable(
  tx: EntityManager,
  caseId: string,
  observableIds: string | readonly string[],
  creatorShareId: string | null,
): Promise<void> {
  const ids = typeof observableIds === 'string' ? [observableIds] : observableIds;
  if (!ids.length) return;
  await tx.query(
    `INSERT INTO observable_share (share_id, observable_id)
     SELECT s.id, o.id FROM share s, unnest($2::uuid[]) AS o(id) WHERE s.case_id = $1 AND (s.observable_rule = 'ALL' OR s.id = $3)
     ON CONFLICT DO NOTHING`,
    [caseId, ids, creatorShareId],
  );
}

export const MAX_OBSERVABLE_DATA = 100_000;

export const MAX_OBSERVABLE_MESSAGE = 100_000;

export function validDataType(value: string): string {
  const v = value.trim();
  if (!OBSERVABLE_DATA_TYPES.includes(v)) throw new BadInputError(`dataType must be one of ${OBSERVABLE_DATA_TYPES.join(', ')}`, 'dataType');
  return v;
}
