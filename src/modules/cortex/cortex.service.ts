import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one, rows } from '../../db/sql';
import type { Checked } from '../../authz/checked';
import { ConflictError, NotFoundError } from '../../errors/app-error';
import { recordAudit } from '../audit-trail/audit-trail.shared';
import { requiredLine, requiredText } from '../validation';
import type { CaseRow } from '../../db/records/case';
import type { TaskRow } from '../../db/records/task';
import type { ObservableRow } from '../../db/records/observable';
import { ANALYZER_TEMPLATE_COLUMNS, AnalyzerTemplateRow, JOB_COLUMNS, JobRow } from '../../db/records/cortex';
import { CORTEX_CHANNEL } from './cortex.follower';

const MAX_WORKER = 200;
const MAX_TEMPLATE = 1_000_000;

/** Cortex numbers TLP and PAP 0–3 (AMBER+STRICT has no number of its own there: AMBER). */
const LEVEL: Record<string, number> = { CLEAR: 0, WHITE: 0, GREEN: 1, AMBER: 2, AMBER_STRICT: 2, RED: 3 };

// ---- Analyzer templates (R37): platform objects, unique by analyzer name (case-insensitive).

export function listAnalyzerTemplates(ctx: RequestContext): Promise<AnalyzerTemplateRow[]> {
  return rows<AnalyzerTemplateRow>(ctx.db, `SELECT ${ANALYZER_TEMPLATE_COLUMNS} FROM analyzer_template t ORDER BY lower(t.analyzer)`, []);
}

const findTemplate = (tx: EntityManager, analyzer: string) =>
  one<AnalyzerTemplateRow>(tx, `SELECT ${ANALYZER_TEMPLATE_COLUMNS} FROM analyzer_template t WHERE lower(t.analyzer) = lower($1) FOR UPDATE`, [
    analyzer.trim(),
  ]);

export async function createAnalyzerTemplate(ctx: RequestContext, analyzerArg: string, contentArg: string): Promise<AnalyzerTemplateRow> {
  const analyzer = requiredLine(analyzerArg, 'analyzer', MAX_WORKER);
  const content = requiredText(contentArg, 'content', MAX_TEMPLATE);
  return ctx.transaction(async (tx) => {
    // The unique index decides under concurrency; ON CONFLICT turns it into CONFLICT without an aborted transaction.
    const created = await one<AnalyzerTemplateRow>(
      tx,
      `INSERT INTO analyzer_template AS t (analyzer, content) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING ${ANALYZER_TEMPLATE_COLUMNS}`,
      [analyzer, content],
    );
    if (!created) throw new ConflictError(`An analyzer template for "${analyzer}" already exists`);
    await recordAudit(ctx, tx, { action: 'analyzerTemplate.create', objectType: 'AnalyzerTemplate', objectId: created.id, details: { analyzer } });
    return created;
  });
}

export async function updateAnalyzerTemplate(ctx: RequestContext, analyzer: string, contentArg: string): Promise<AnalyzerTemplateRow> {
  const content = requiredText(contentArg, 'content', MAX_TEMPLATE);
  return ctx.transaction(async (tx) => {
    const before = await findTemplate(tx, analyzer);
    if (!before) throw new NotFoundError('Analyzer template');
    if (before.content === content) return before;
    const [updated] = await rows<AnalyzerTemplateRow>(
      tx,
      `UPDATE analyzer_template t SET content = $2, updated_at = now() WHERE t.id = $1 RETURNING ${ANALYZER_TEMPLATE_COLUMNS}`,
      [before.id, content],
    );
    await recordAudit(ctx, tx, {
      action: 'analyzerTemplate.update',
      objectType: 'AnalyzerTemplate',
      objectId: before.id,
      details: { analyzer: before.analyzer, content: { changed: true } },
    });
    return updated!;
  });
}

export async function deleteAnalyzerTemplate(ctx: RequestContext, analyzer: string): Promise<boolean> {
  await ctx.transaction(async (tx) => {
    const before = await findTemplate(tx, analyzer);
    if (!before) throw new NotFoundError('Analyzer template');
    await tx.query('DELETE FROM analyzer_template WHERE id = $1', [before.id]);
    await recordAudit(ctx, tx, {
      action: 'analyzerTemplate.delete',
      objectType: 'AnalyzerTemplate',
      objectId: before.id,
      details: { analyzer: before.analyzer },
    });
  });
  return true;
}

// ---- Jobs (R37): recorded at once as WAITING, then followed in the background (cortex.follower.ts).

type Target = { kind: 'CASE'; row: CaseRow } | { kind: 'TASK'; row: TaskRow } | { kind: 'OBSERVABLE'; row: ObservableRow };

/** What Cortex receives to run a responder: the object as TheHive would send it. */
function responderPayload(t: Target): Record<string, unknown> {
  switch (t.kind) {
    case 'CASE': {
      const c = t.row;
      return {
        label: `#${c.number} ${c.title}`.slice(0, 200),
        dataType: 'thehive:case',
        tlp: LEVEL[c.tlp] ?? 2,
        pap: LEVEL[c.pap] ?? 2,
        data: {
          id: c.id,
          caseId: c.number,
          title: c.title,
          description: c.description,
          severity: c.severity,
          status: c.status,
          tags: c.tags,
          tlp: LEVEL[c.tlp] ?? 2,
          pap: LEVEL[c.pap] ?? 2,
        },
      };
    }
    case 'TASK': {
      const k = t.row;
      return {
        label: k.title.slice(0, 200),
        dataType: 'thehive:case_task',
        tlp: 2,
        pap: 2,
        data: { id: k.id, title: k.title, description: k.description, status: k.status },
      };
    }
    case 'OBSERVABLE': {
      const o = t.row;
      return {
        label: o.data.slice(0, 200),
        dataType: 'thehive:case_artifact',
        tlp: LEVEL[o.tlp] ?? 2,
        pap: 2,
        data: { id: o.id, dataType: o.dataType, data: o.data, message: o.message, ioc: o.ioc, tlp: LEVEL[o.tlp] ?? 2 },
      };
    }
  }
}

async function recordJob(
  ctx: RequestContext,
  tx: EntityManager,
  kind: 'ANALYZER' | 'RESPONDER',
  worker: string,
  objectType: string,
  objectId: string,
  caseId: string,
  payload: unknown,
): Promise<JobRow> {
  const p = principalOf(ctx);
  const [job] = await rows<JobRow>(
    tx,
    `INSERT INTO cortex_job AS j (kind, worker, object_type, object_id, case_id, organisation_id, status, payload, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, 'WAITING', $7::jsonb, $8) RETURNING ${JOB_COLUMNS}`,
    [kind, worker, objectType, objectId, caseId, p.organisationId, JSON.stringify(payload), p.userId],
  );
  // Every instance's follower wakes at the commit (one of them takes the job).
  await tx.query(`SELECT pg_notify($1, '')`, [CORTEX_CHANNEL]);
  await recordAudit(ctx, tx, {
    action: 'job.create',
    objectType: 'CortexJob',
    objectId: job!.id,
    caseId,
    details: { kind, worker, object: { type: objectType, id: objectId }, status: 'WAITING' },
  });
  return job!;
}

/** R37: runAnalyzer; the field's rule (SDL) has checked the permission through the share, with the connector enabled (R7, R15). */
export async function runAnalyzer(ctx: RequestContext, target: Checked<ObservableRow>, analyzerArg: string): Promise<JobRow> {
  const analyzer = requiredLine(analyzerArg, 'analyzer', MAX_WORKER);
  const job = await ctx.transaction(async (tx) => {
    const o = await target.lock(tx, 'share');
    const payload = { dataType: o.dataType, data: o.data, message: o.message, tlp: LEVEL[o.tlp] ?? 2, pap: 2, parameters: {} };
    return recordJob(ctx, tx, 'ANALYZER', analyzer, 'OBSERVABLE', o.id, o.caseId, payload);
  });
  ctx.cortex.wake();
  return job;
}

/** R37: runResponder on a case, task or observable; the field's rule (SDL) has checked the permission on it (R7, R15). */
export async function runResponder(
  ctx: RequestContext,
  kind: Target['kind'],
  target: Checked<CaseRow | TaskRow | ObservableRow>,
  responderArg: string,
): Promise<JobRow> {
  const responder = requiredLine(responderArg, 'responder', MAX_WORKER);
  const job = await ctx.transaction(async (tx) => {
    const row = await target.lock(tx, 'share');
    const t = { kind, row } as Target;
    const caseId = kind === 'CASE' ? row.id : (row as TaskRow | ObservableRow).caseId;
    return recordJob(ctx, tx, 'RESPONDER', responder, kind, row.id, caseId, { ...responderPayload(t), message: '', parameters: {} });
  });
  ctx.cortex.wake();
  return job;
}
