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
