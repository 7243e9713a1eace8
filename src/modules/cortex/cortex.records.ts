import type { RequestContext } from '../../context';
import { groupLoader } from '../../loaders';

export interface JobRow {
  id: string;
  worker: string;
  kind: 'ANALYZER' | 'RESPONDER';
  status: 'WAITING' | 'IN_PROGRESS' | 'SUCCESS' | 'FAILURE';
  report: unknown;
  objectId: string;
  createdById: string;
  createdAt: Date;
  updatedAt: Date;
}

export const JOB_COLUMNS = `j.id, j.worker, j.kind, j.status, j.report, j.object_id AS "objectId",
  j.created_by AS "createdById", j.created_at AS "createdAt", j.updated_at AS "updatedAt"`;

/**
 * Observable.jobs, Case.jobs, Task.jobs: the jobs recorded on objects the caller already sees
 * (R37: visible to every organisation that sees the object), one statement per page.
 */
export const jobsByObjectLoader = (ctx: RequestContext) =>
  ctx.loaders.get('cortexJob.byObject', () => groupLoader<JobRow>(ctx,
    (_q, ids) => `SELECT ${JOB_COLUMNS} FROM cortex_job j WHERE j.object_id = ANY(${ids}) ORDER BY j.created_at, j.id`,
    (r) => r.objectId));

export interface AnalyzerTemplateRow { id: string; analyzer: string; content: string }
