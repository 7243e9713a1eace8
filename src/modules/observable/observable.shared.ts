import type { EntityManager } from 'typeorm';
import { BadInputError } from '../../errors/app-error';

/** The accepted observable data types (Query.observableDataTypes), sorted. */
export const OBSERVABLE_DATA_TYPES: readonly string[] = [
  'autonomous-system', 'domain', 'file', 'filename', 'fqdn', 'hash', 'hostname', 'ip', 'mail', 'mail-subject',
  'other', 'regexp', 'registry', 'uri_path', 'url', 'user-agent',
];

/**
 * R17: a new observable is shared with its creator's organisation (creatorShareId; null when
 * that is the owner, e.g. through the portal) and with every share of the case whose rule is ALL
 * (the owner share always is). Also used by the portal's addObservable.
 */
export async function linkNewObservable(tx: EntityManager, caseId: string, observableId: string, creatorShareId: string | null): Promise<void> {
  await tx.query(
    `INSERT INTO observable_share (share_id, observable_id)
     SELECT s.id, $2 FROM share s WHERE s.case_id = $1 AND (s.observable_rule = 'ALL' OR s.id = $3)
     ON CONFLICT DO NOTHING`,
    [caseId, observableId, creatorShareId]);
}

export const MAX_OBSERVABLE_DATA = 100_000;

export const MAX_OBSERVABLE_MESSAGE = 100_000;

export function validDataType(value: string): string {
  const v = value.trim();
  if (!OBSERVABLE_DATA_TYPES.includes(v)) throw new BadInputError(`dataType must be one of ${OBSERVABLE_DATA_TYPES.join(', ')}`, 'dataType');
  return v;
}
