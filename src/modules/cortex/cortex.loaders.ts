import type { RequestContext } from '../../context';
import { groupLoader } from '../../loaders';
import { JOB_COLUMNS, JobRow } from '../../db/records/cortex';

/**
 * Observable.jobs, Case.jobs, Task.jobs: the jobs recorded on objects the caller already sees
 * (R37: visible to every organisation that sees the object), one statement per page.
 */
export const jobsByObjectLoader = (ctx: RequestContext) =>
  ctx.loaders.get('cortexJob.byObject', () =>
    groupLoader<JobRow>(
      ctx,
      (_q, ids) => `SELECT ${JOB_COLUMNS} FROM cortex_job j WHERE j.object_id = ANY(${ids}) ORDER BY j.created_at, j.id`,
      (r) => r.objectId,
    ),
  );
