import type { EntityManager } from 'typeorm';

/** An observable's own columns, as Case.observables lists them (the case row carries the share). */
export interface ObservableFields {
  id: string;
  caseId: string;
  dataType: string;
  data: string;
  message: string;
  ioc: boolean;
  tlp: string;
  /** R31: by name, catalogue or free text. */
  tags: string[];
  createdByExternal: boolean;
  createdById: string;
  createdAt: Date;
  updatedAt: Date;
  shareId: string;
}

/** An observable loaded through observableScopeJoin: with the active organisation's share on it, for writes (R15). */
export interface ObservableRow extends ObservableFields {
  ownerShare: boolean;
  shareProfilePermissions: string[];
}

export const OBSERVABLE_COLUMNS = `ob.id, ob.case_id AS "caseId", ob.data_type AS "dataType", ob.data, ob.message, ob.ioc, ob.tlp, ob.tags,
  ob.created_by_external AS "createdByExternal", ob.created_by AS "createdById", ob.created_at AS "createdAt", ob.updated_at AS "updatedAt"`;

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
