/** A Cortex job (R37), as its loaders and services read it. */
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

export interface AnalyzerTemplateRow {
  id: string;
  analyzer: string;
  content: string;
}
