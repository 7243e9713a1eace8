import type { EntityManager } from 'typeorm';
import { rows, Sql } from '../../db/sql';

/** An alert row as services and resolvers pass it around: always loaded through alertScope (R34). */
export interface AlertRow {
  id: string;
  organisationId: string;
  type: string;
  source: string;
  sourceRef: string;
  title: string;
  description: string;
  severity: number;
  date: Date;
  tlp: string;
  pap: string;
  tags: string[];
  /** Custom field values by field name (R32). */
  customFields: Record<string, unknown>;
  status: string;
  read: boolean;
  caseId: string | null;
  importedAt: Date | null;
  createdById: string;
  createdAt: Date;
  updatedAt: Date;
}

export const ALERT_COLUMNS = `al.id, al.organisation_id AS "organisationId", al.type, al.source, al.source_ref AS "sourceRef", al.title,
  al.description, al.severity, al.date, al.tlp, al.pap, al.tags, al.custom_fields AS "customFields", al.status, al.read,
  al.case_id AS "caseId", al.imported_at AS "importedAt", al.created_by AS "createdById", al.created_at AS "createdAt", al.updated_at AS "updatedAt"`;

export interface AlertObservableRow {
  id: string;
  alertId: string;
  dataType: string;
  data: string;
  message: string;
  ioc: boolean;
  tlp: string;
  tags: string[];
}

export const ALERT_OBSERVABLE_COLUMNS = `ao.id, ao.alert_id AS "alertId", ao.data_type AS "dataType", ao.data, ao.message, ao.ioc, ao.tlp, ao.tags`;

/** The columns a service may change, by field (fixed keys: never a client's). */
const COLUMN: Record<string, string> = {
  title: 'title', description: 'description', severity: 'severity', date: 'date', tlp: 'tlp', pap: 'pap', tags: 'tags',
  customFields: 'custom_fields', status: 'status', read: 'read', caseId: 'case_id', importedAt: 'imported_at',
};

/** UPDATE of an alert: the given fields and updated_at. */
export async function updateAlertColumns(tx: EntityManager, id: string, values: Record<string, unknown>): Promise<void> {
  const q = new Sql();
  const set = Object.entries(values).map(([field, value]) => {
    const column = COLUMN[field];
    if (!column) throw new Error(`alert has no writable field ${field}`);
    return `${column} = ${q.p(field === 'customFields' ? JSON.stringify(value) : value)}`;
  }).join(', ');
  await tx.query(`UPDATE alert SET ${set}, updated_at = now() WHERE id = ${q.p(id)}`, q.params);
}

export type NewAlertObservable = Omit<AlertObservableRow, 'id' | 'alertId'>;

/**
 * Adds observables to an alert in one statement, after those it has, skipping any whose dataType
 * and data it already holds (the unique index decides, also against a concurrent upsert).
 * Returns how many were added.
 */
export async function insertAlertObservables(tx: EntityManager, alertId: string, observables: readonly NewAlertObservable[]): Promise<number> {
  if (!observables.length) return 0;
  const added = await rows(tx,
    `INSERT INTO alert_observable (alert_id, data_type, data, message, ioc, tlp, tags, position)
     SELECT $1, x."dataType", x.data, x.message, x.ioc, x.tlp, ARRAY(SELECT json_array_elements_text(x.tags)),
            x.n + COALESCE((SELECT max(position) FROM alert_observable WHERE alert_id = $1), 0)
       FROM json_to_recordset($2::json) AS x("dataType" text, data text, message text, ioc boolean, tlp text, tags json, n int)
     ON CONFLICT DO NOTHING RETURNING id`,
    [alertId, JSON.stringify(observables.map((o, i) => ({ ...o, n: i + 1 })))]);
  return added.length;
}
