import { defineLoader } from '../../loaders';
import { JOB_COLUMNS, JobRow } from '../../db/records/cortex';

declare module '../../loader-map' {
  interface LoaderMap {
    'cortexJob.byObject': { many: JobRow };
  }
}

/**
 * Observable.jobs, Case.jobs, Task.jobs: the jobs recorded on objects the caller already sees
 * (R37: visible to every organisation that sees the object), one statement per page.
 */
export const jobsByObject = defineLoader({
  name: 'cortexJob.byObject',
  many: (_ctx, _q, ids) => `SELECT ${JOB_COLUMNS} FROM cortex_job j WHERE j.object_id = ${ids} ORDER BY j.created_at, j.id`,
  keyOf: (r) => r.objectId,
});
