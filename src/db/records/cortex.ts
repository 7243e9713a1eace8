import { columns, RowOf } from '../columns';
import { AnalyzerTemplateEntity, CortexJobEntity } from '../entities/cortex.entity';

/** A Cortex job (R37), as its loaders and services read it; what only the follower needs (payload, lease, retries) stays out. */
export const JOB_COLUMNS = columns(CortexJobEntity, 'j', {
  pick: ['id', 'worker', 'kind', 'status', 'report', 'objectId', 'createdBy', 'createdAt', 'updatedAt'],
  as: { createdBy: 'createdById' },
});
export type JobRow = RowOf<typeof JOB_COLUMNS>;

export const ANALYZER_TEMPLATE_COLUMNS = columns(AnalyzerTemplateEntity, 't', { pick: ['id', 'analyzer', 'content'] });
export type AnalyzerTemplateRow = RowOf<typeof ANALYZER_TEMPLATE_COLUMNS>;
