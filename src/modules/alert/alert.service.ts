import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import type {
  AlertFilter,
  AlertObservableInput,
  AlertOrder,
  AlertOrderField,
  CreateAlertInput,
  CustomFieldInput,
  Pap,
  Tlp,
  UpdateAlertInput,
} from '../../generated/internal';
import { one, rows, Sql } from '../../db/sql';
import { integerOrder, keysetAfter, keysetConnection, KeysetOrder, likeSubstring, pageSize, textOrder, timestampOrder } from '../../db/cursor';
import { alertScope, itemVisible } from '../../authz/scopes';
import { OBSERVABLE } from '../../db/records/items';
import { findVisibleCase } from '../../authz/case-access';
import type { Checked } from '../../authz/checked';
import { BadInputError, ConflictError } from '../../errors/app-error';
import { changes, recordAudit } from '../audit-trail/audit-trail.shared';
import { notNull, optionalText, requiredLine, requiredText } from '../validation';
import { createCaseInTransaction, MAX_PAGE } from '../case/case.shared';
import { MAX_DESCRIPTION, MAX_TITLE, validSeverity } from '../case-fields/case-fields.shared';
import { validTags } from '../tag/tag-names';
import { customFieldsIn, validateCustomFieldInputs, withoutNulls } from '../custom-field/custom-field.values';
import { findCaseTemplate } from '../case-template/case-template.shared';
import type { CaseRow } from '../../db/records/case';
import { linkNewObservable, MAX_OBSERVABLE_DATA, MAX_OBSERVABLE_MESSAGE, validDataType } from '../observable/observable.shared';
import { insertComment } from '../comment/comment.shared';
import { ALERT_COLUMNS, AlertRow } from '../../db/records/alert';
import { insertAlertObservables, NewAlertObservable, updateAlertColumns } from './alert.writes';

export const MAX_SOURCE_FIELD = 256;
export const MAX_ALERT_OBSERVABLES = 1000;

// ---------------------------------------------------------------------------------------------
// Validation: everything is checked before the transaction starts, so bad input writes nothing.

interface NewAlert {
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
  /** Checked against the definitions inside the write's transaction (customFieldsOf). */
  customFields: readonly CustomFieldInput[];
  observables: NewAlertObservable[];
}

function validDate(value: unknown): Date {
  const d = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(d.getTime())) throw new BadInputError('date must be an ISO-8601 date-time', 'date');
  return d;
}

/** Observables repeating a dataType and data are kept once (the first). */
function validObservables(list: readonly AlertObservableInput[]): NewAlertObservable[] {
  if (list.length > MAX_ALERT_OBSERVABLES) throw new BadInputError(`An alert has at most ${MAX_ALERT_OBSERVABLES} observables`, 'observables');
  const seen = new Set<string>();
  const out: NewAlertObservable[] = [];
  for (const o of list) {
    const dataType = validDataType(o.dataType);
    const data = requiredText(o.data, 'data', MAX_OBSERVABLE_DATA);
    const key = JSON.stringify([dataType, data]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      dataType,
      data,
      message: optionalText(o.message ?? '', 'message', MAX_OBSERVABLE_MESSAGE),
      ioc: o.ioc ?? false,
      tlp: o.tlp ?? 'AMBER',
      tags: validTags(o.tags ?? []),
    });
  }
  return out;
}

/**
 * R32: the alert's custom field values checked against the definitions, read in the write's
 * transaction (FOR KEY SHARE: a definition cannot change type or go while the values are stored);
 * null values are left out.
 */
async function customFieldsOf(tx: EntityManager, inputs: readonly CustomFieldInput[]): Promise<Record<string, unknown>> {
  if (!inputs.length) return {};
  return withoutNulls(validateCustomFieldInputs(await customFieldsIn(tx), inputs));
}

function validAlert(input: CreateAlertInput): NewAlert {
  return {
    type: requiredLine(input.type, 'type', MAX_SOURCE_FIELD),
    source: requiredLine(input.source, 'source', MAX_SOURCE_FIELD),
    sourceRef: requiredLine(input.sourceRef, 'sourceRef', MAX_SOURCE_FIELD),
    title: requiredLine(input.title, 'title', MAX_TITLE),
    description: optionalText(input.description ?? '', 'description', MAX_DESCRIPTION),
    severity: validSeverity(input.severity ?? 2),
    date: input.date == null ? new Date() : validDate(input.date),
    tlp: input.tlp ?? 'AMBER',
    pap: input.pap ?? 'AMBER',
    tags: validTags(input.tags ?? []),
    customFields: input.customFields ?? [],
    observables: validObservables(input.observables ?? []),
  };
}

// ---------------------------------------------------------------------------------------------
// Writes. Each runs in one transaction with its audit entry (R28).

async function findAlertIn(ctx: RequestContext, tx: EntityManager, id: string): Promise<AlertRow> {
  const q = new Sql();
  return (await one<AlertRow>(tx, `SELECT ${ALERT_COLUMNS} FROM alert al WHERE al.id = ${q.p(id)} AND ${alertScope(ctx, q)}`, q.params))!;
}

/** Inserts the alert unless its type/source/sourceRef exists in the organisation: then null (the unique index decides, R34). */
async function insertAlert(ctx: RequestContext, tx: EntityManager, a: NewAlert, customFields: Record<string, unknown>): Promise<AlertRow | null> {
  const p = principalOf(ctx);
  const row = await one<AlertRow>(
    tx,
    `INSERT INTO alert AS al (organisation_id, type, source, source_ref, title, description, severity, date, tlp, pap, tags, custom_fields, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (organisation_id, type, source, source_ref) DO NOTHING RETURNING ${ALERT_COLUMNS}`,
    [p.organisationId, a.type, a.source, a.sourceRef, a.title, a.description, a.severity, a.date, a.tlp, a.pap, a.tags, JSON.stringify(customFields), p.userId],
  );
  if (!row) return null;
  await insertAlertObservables(tx, row.id, a.observables);
  await recordAudit(ctx, tx, {
    action: 'alert.create',
    objectType: 'Alert',
    objectId: row.id,
    details: {
      type: a.type,
      source: a.source,
      sourceRef: a.sourceRef,
      title: a.title,
      severity: a.severity,
      tlp: a.tlp,
      pap: a.pap,
      tags: a.tags,
      observables: a.observables.length,
    },
  });
  return row;
}

/** R34: a second push of the same type/source/sourceRef → CONFLICT, also when both arrive at once. */
export async function createAlert(ctx: RequestContext, input: CreateAlertInput): Promise<AlertRow> {
  const a = validAlert(input);
  return ctx.transaction(async (tx) => {
    const row = await insertAlert(ctx, tx, a, await customFieldsOf(tx, a.customFields));
    if (!row) throw new ConflictError(`An alert of type "${a.type}" from "${a.source}" with sourceRef "${a.sourceRef}" already exists`);
    return row;
  });
}

/** R34: the source pushes again. NEW and IMPORTED become UPDATED; IGNORED stays ignored, UPDATED stays. */
const STATUS_AFTER_UPSERT: Record<string, string> = { NEW: 'UPDATED', IMPORTED: 'UPDATED', UPDATED: 'UPDATED', IGNORED: 'IGNORED' };

/**
 * R34: creates the alert, or updates the one with the same type/source/sourceRef in place (same
 * id, so its history stays): the pushed fields replace the stored ones, observables not yet
 * present are added (none is removed: the alert keeps what it was seen with), and one audit
 * entry lists what changed.
 */
export async function upsertAlert(ctx: RequestContext, input: CreateAlertInput): Promise<AlertRow> {
  const a = validAlert(input);
  return ctx.transaction(async (tx) => {
    const customFields = await customFieldsOf(tx, a.customFields);
    const created = await insertAlert(ctx, tx, a, customFields);
    if (created) return created;
    const q = new Sql();
    const current = await one<AlertRow>(
      tx,
      `SELECT ${ALERT_COLUMNS} FROM alert al WHERE ${alertScope(ctx, q)} AND al.type = ${q.p(a.type)} AND al.source = ${q.p(a.source)}
          AND al.source_ref = ${q.p(a.sourceRef)} FOR UPDATE`,
      q.params,
    );
    // Deleted between the two statements by a concurrent request: let the client push again.
    if (!current) throw new ConflictError('The alert changed while it was being updated: push it again');
    const patch = {
      title: a.title,
      description: a.description,
      severity: a.severity,
      date: a.date,
      tlp: a.tlp,
      pap: a.pap,
      tags: a.tags,
      customFields,
      status: STATUS_AFTER_UPSERT[current.status] ?? current.status,
    };
    const diff = changes(current, patch);
    const added = await insertAlertObservables(tx, current.id, a.observables);
    if (!Object.keys(diff).length && !added) return current;
    await updateAlertColumns(tx, current.id, Object.fromEntries(Object.keys(diff).map((f) => [f, patch[f as keyof typeof patch]])));
    await recordAudit(ctx, tx, {
      action: 'alert.update',
      objectType: 'Alert',
      objectId: current.id,
      details: { ...diff, ...(added ? { observablesAdded: added } : {}), upsert: true },
    });
    return findAlertIn(ctx, tx, current.id);
  });
}

/** One audited change of an alert's own fields, under its row lock; nothing when nothing changes. */
async function changeAlert(ctx: RequestContext, target: Checked<AlertRow>, patchOf: (row: AlertRow) => Partial<AlertRow>): Promise<AlertRow> {
  return ctx.transaction(async (tx) => {
    const row = await target.lock(tx, 'update');
    const patch = patchOf(row);
    const diff = changes(row, patch);
    const fields = Object.keys(diff) as Array<keyof AlertRow>;
    if (!fields.length) return row;
    await updateAlertColumns(tx, row.id, Object.fromEntries(fields.map((f) => [f, patch[f]])));
    await recordAudit(ctx, tx, { action: 'alert.update', objectType: 'Alert', objectId: row.id, details: diff });
    return findAlertIn(ctx, tx, row.id);
  });
}

export function updateAlert(ctx: RequestContext, target: Checked<AlertRow>, input: UpdateAlertInput): Promise<AlertRow> {
  const patch: Partial<AlertRow> = {};
  if (input.title !== undefined) patch.title = requiredLine(notNull(input.title, 'title'), 'title', MAX_TITLE);
  if (input.description !== undefined) patch.description = optionalText(notNull(input.description, 'description'), 'description', MAX_DESCRIPTION);
  if (input.severity !== undefined) patch.severity = validSeverity(notNull(input.severity, 'severity'));
  if (input.tlp !== undefined) patch.tlp = notNull(input.tlp, 'tlp');
  if (input.pap !== undefined) patch.pap = notNull(input.pap, 'pap');
  if (input.tags !== undefined) patch.tags = validTags(notNull(input.tags, 'tags'));
  return changeAlert(ctx, target, () => patch);
}

export function markAlertRead(ctx: RequestContext, target: Checked<AlertRow>, read: boolean): Promise<AlertRow> {
  return changeAlert(ctx, target, () => ({ read }));
}

/** IGNORED, or back to NEW; an imported alert cannot be set aside (CONFLICT): its case carries it on. */
export function ignoreAlert(ctx: RequestContext, target: Checked<AlertRow>, ignored: boolean): Promise<AlertRow> {
  return changeAlert(ctx, target, (row) => {
    if (row.importedAt) throw new ConflictError('This alert was imported into a case');
    if (ignored) return { status: 'IGNORED' };
    return row.status === 'IGNORED' ? { status: 'NEW' } : {};
  });
}

export async function deleteAlert(ctx: RequestContext, target: Checked<AlertRow>): Promise<boolean> {
  await ctx.transaction(async (tx) => {
    const row = await target.lock(tx, 'update');
    await tx.query('DELETE FROM alert WHERE id = $1', [row.id]);
    await recordAudit(ctx, tx, {
      action: 'alert.delete',
      objectType: 'Alert',
      objectId: row.id,
      details: { type: row.type, source: row.source, sourceRef: row.sourceRef, title: row.title },
    });
  });
  return true;
}

// ---------------------------------------------------------------------------------------------
// Import (R35): at most once, by promote or merge.

/**
 * Copies the alert's observables into the case, skipping those whose dataType and data the case
 * already holds among the observables the caller's organisation sees (R13/R17: one it cannot see
 * must look absent, and skipping it would tell that the case holds it), in the alert's order;
 * shares them as any new observable (R17: the creator's share and every ALL share). Returns the
 * new observables.
 */
async function copyObservables(ctx: RequestContext, tx: EntityManager, alertId: string, caseId: string, creatorShareId: string | null) {
  const q = new Sql();
  const [c, a, u] = [q.p(caseId), q.p(alertId), q.p(principalOf(ctx).userId)];
  const added = await rows<{ id: string; dataType: string; data: string; message: string; ioc: boolean; tlp: string; tags: string[] }>(
    tx,
    `INSERT INTO observable (case_id, data_type, data, message, ioc, tlp, tags, created_by_external, created_by, created_at, updated_at)
     SELECT ${c}, ao.data_type, ao.data, ao.message, ao.ioc, ao.tlp, ao.tags, false, ${u},
            now() + ao.position * interval '1 microsecond', now() + ao.position * interval '1 microsecond'
       FROM alert_observable ao
      WHERE ao.alert_id = ${a}
        AND NOT EXISTS (SELECT 1 FROM observable x WHERE x.case_id = ${c} AND x.data_type = ao.data_type AND x.data = ao.data
                          AND ${itemVisible(ctx, q, OBSERVABLE, 'x.id')})
     RETURNING id, data_type AS "dataType", data, message, ioc, tlp, tags`,
    q.params,
  );
  await linkNewObservable(
    tx,
    caseId,
    added.map((o) => o.id),
    creatorShareId,
  );
  return added;
}

function assertNotImported(row: AlertRow): void {
  if (row.importedAt) throw new ConflictError('This alert was already imported into a case');
}

/**
 * R35 promote: in one transaction, a case of the alert's organisation (the caller's active one:
 * alerts are visible to their members only) made as createCase makes it (R12), from the alert's
 * title, description, severity, TLP, PAP, tags, custom fields and observables, and the alert
 * IMPORTED with its link. With `caseTemplate` (R33), the alert's values win as an input's do; an
 * empty description or tag list takes the template's; the template's title prefix, custom field
 * defaults and tasks apply, and its mandatory fields must end up with a value (else
 * BAD_USER_INPUT, nothing created). One audit entry for the case (case.create, naming the alert;
 * a template's tasks have their own). Its observables are not listed in it: a later share may show
 * the case's history to an organisation that is not given them (R17, R29).
 */
export async function promoteAlert(ctx: RequestContext, target: Checked<AlertRow>, caseTemplate: string | null | undefined): Promise<CaseRow> {
  return ctx.transaction(async (tx) => {
    const alert = await target.lock(tx, 'update');
    assertNotImported(alert);
    if (caseTemplate != null && !(await findCaseTemplate(tx, alert.organisationId, caseTemplate, 'use'))) {
      throw new BadInputError(`No case template "${caseTemplate.slice(0, 64)}" in this organisation`, 'caseTemplate');
    }
    const { id } = await createCaseInTransaction(
      ctx,
      tx,
      {
        title: alert.title,
        description: alert.description || null,
        severity: alert.severity,
        tlp: alert.tlp as Tlp,
        pap: alert.pap as Pap,
        tags: alert.tags.length ? alert.tags : null,
        template: caseTemplate ?? null,
        customFields: Object.entries(alert.customFields).map(([name, value]) => ({ name, value: value as CustomFieldInput['value'] })),
      },
      async (caseId) => {
        const observables = await copyObservables(ctx, tx, alert.id, caseId, null);
        await updateAlertColumns(tx, alert.id, { status: 'IMPORTED', caseId, importedAt: new Date() });
        return { alert: alert.id, observables: observables.length };
      },
    );
    return (await findVisibleCase(ctx, tx, id))!;
  });
}

/**
 * R35 merge into a case the caller may write (R15: the case permission its field declares, checked by the field rule
 * and again under the case's lock): the observables the case lacks, each audited as any new
 * observable (R17 decides who sees them and their entries), the description as a comment, and
 * the alert IMPORTED (its own entry, seen by the alert's organisation only).
 */
export async function mergeAlert(ctx: RequestContext, alertTarget: Checked<AlertRow>, caseTarget: Checked<CaseRow>): Promise<CaseRow> {
  return ctx.transaction(async (tx) => {
    // The alert first, as promote does: two imports of one alert queue on it.
    const alert = await alertTarget.lock(tx, 'update');
    assertNotImported(alert);
    const c = await caseTarget.lock(tx, 'share');
    const observables = await copyObservables(ctx, tx, alert.id, c.id, c.shareId);
    for (const o of observables) {
      await recordAudit(ctx, tx, {
        action: 'observable.create',
        objectType: 'Observable',
        objectId: o.id,
        caseId: c.id,
        details: { dataType: o.dataType, data: o.data, message: o.message, ioc: o.ioc, tlp: o.tlp, tags: o.tags },
      });
    }
    const comment = alert.description.trim() ? await insertComment(ctx, tx, c.id, alert.description, { external: false, viaPortal: false }) : null;
    await updateAlertColumns(tx, alert.id, { status: 'IMPORTED', caseId: c.id, importedAt: new Date() });
    await recordAudit(ctx, tx, {
      action: 'alert.merge',
      objectType: 'Alert',
      objectId: alert.id,
      details: { case: c.id, observablesAdded: observables.length, comment: comment?.id ?? null },
    });
    return (await findVisibleCase(ctx, tx, c.id))!;
  });
}

// ---------------------------------------------------------------------------------------------
// alerts(first, after, filter, orderBy): Relay connection, keyset-paginated.

const ORDER: Record<AlertOrderField, KeysetOrder> = {
  DATE: timestampOrder('al.date'),
  CREATED_AT: timestampOrder('al.created_at'),
  UPDATED_AT: timestampOrder('al.updated_at'),
  SEVERITY: integerOrder('al.severity', 'smallint'),
  TITLE: textOrder('al.title'),
};

export interface AlertListArgs {
  first?: number | null;
  after?: string | null;
  filter?: AlertFilter | null;
  orderBy?: AlertOrder | null;
}

/** R34 scope, then the filter: both before count, sort and page. */
function whereSql(ctx: RequestContext, q: Sql, filter: AlertFilter | null | undefined): string {
  const where = [alertScope(ctx, q)];
  if (filter?.status?.length) where.push(`al.status = ANY(${q.p(filter.status)}::text[])`);
  if (filter?.severity?.length) where.push(`al.severity = ANY(${q.p(filter.severity)}::smallint[])`);
  if (filter?.source != null) where.push(`al.source = ${q.p(filter.source)}`);
  if (filter?.type != null) where.push(`al.type = ${q.p(filter.type)}`);
  if (filter?.tags?.length) where.push(`al.tags @> ${q.p(filter.tags)}::text[]`);
  if (filter?.read != null) where.push(`al.read = ${q.p(filter.read)}`);
  if (filter?.title != null && filter.title !== '') {
    optionalText(filter.title, 'title', MAX_TITLE);
    where.push(`al.title ILIKE ${q.p(likeSubstring(filter.title))}`);
  }
  return where.join(' AND ');
}

/**
 * The active organisation's alerts: one statement for the page and (when selected) totalCount;
 * the page's observables, similar cases and linked cases come through their loaders, one
 * statement per relation whatever the page size.
 */
export async function listAlerts(ctx: RequestContext, args: AlertListArgs, wantCount: boolean) {
  const first = pageSize(args.first, 25, MAX_PAGE);
  const field = args.orderBy?.field ?? 'DATE';
  const direction = args.orderBy?.direction ?? 'DESC';
  const order = ORDER[field];
  const q = new Sql();
  const conditions = [whereSql(ctx, q, args.filter)];
  if (args.after != null) conditions.push(keysetAfter(args.after, field, direction, order, 'al.id', q, 4 * MAX_TITLE));
  const countSql = (cq: Sql) => `SELECT count(*)::int FROM alert al WHERE ${whereSql(ctx, cq, args.filter)}`;
  const page = await rows<AlertRow & { sortKey: string; totalCount?: number }>(
    ctx.db,
    `SELECT ${ALERT_COLUMNS}, ${order.key} AS "sortKey"${wantCount ? `, (${countSql(q)}) AS "totalCount"` : ''}
       FROM alert al WHERE ${conditions.join(' AND ')}
      ORDER BY ${order.expr} ${direction}, al.id ${direction} LIMIT ${first + 1}`,
    q.params,
  );
  const counted = page[0]?.totalCount;
  const totalCount = async () => {
    if (counted !== undefined) return counted;
    const cq = new Sql();
    return (await one<{ count: number }>(ctx.db, countSql(cq), cq.params))!.count;
  };
  const nodes = page.map(({ sortKey, totalCount: _t, ...node }) => ({ node: node as AlertRow, sortKey }));
  const conn = keysetConnection(nodes, first, args.after, (n) => [field, direction, n.sortKey, n.node.id], totalCount);
  return { ...conn, edges: conn.edges.map((e) => ({ node: e.node.node, cursor: e.cursor })) };
}
