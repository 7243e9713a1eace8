import type { EntityManager } from 'typeorm';
import { rows, Sql } from '../../db/sql';
import type { AlertObservableRow } from '../../db/records/alert';

/** The columns a service may change, by field (fixed keys: never a client's). */
const COLUMN: Record<string, string> = {
  title: 'title',
  description: 'description',
  severity: 'severity',
  date: 'date',
  tlp: 'tlp',
  pap: 'pap',
  tags: 'tags',
  customFields: 'custom_fields',
  status: 'status',
  read: 'read',
  caseId: 'case_id',
  importedAt: 'imported_at',
};

/** UPDATE of an alert: the given fields and updated_at. */
export async function updateAlertColumns(tx: EntityManager, id: string, values: Record<string, unknown>): Promise<void> {
  const q = new Sql();
  const set = Object.entries(values)
    .map(([field, value]) => {
      const column = COLUMN[field];
      if (!column) throw new Error(`alert has no writable field ${field}`);
      return `${column} = ${q.p(field === 'customFields' ? JSON.stringify(value) : value)}`;
    })
    .join(', ');
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
  const added = await rows(
    tx,
    `INSERT INTO alert_observable (alert_id, data_type, data, message, ioc, tlp, tags, position)
     SELECT $1, x."dataType", x.data, x.message, x.ioc, x.tlp, ARRAY(SELECT json_array_elements_text(x.tags)),
            x.n + COALESCE((SELECT max(position) FROM alert_observable WHERE alert_id = $1), 0)
       FROM json_to_recordset($2::json) AS x("dataType" text, data text, message text, ioc boolean, tlp text, tags json, n int)
     ON CONFLICT DO NOTHING RETURNING id`,
    [alertId, JSON.stringify(observables.map((o, i) => ({ ...o, n: i + 1 })))],
  );
  return added.length;
}
