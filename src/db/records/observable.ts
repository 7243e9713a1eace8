/** An observable's own columns, as Case.observables lists them (the case row carries the share). */
export interface ObservableFields {
  id: string;
  caseId: string;
  dataType: string;
  data: string;
  message: string;
  ioc: boolean;
  tlp: string;
  /** R31: by name, catalogue or free text. */
  tags: string[];
  createdByExternal: boolean;
  createdById: string;
  createdAt: Date;
  updatedAt: Date;
  shareId: string;
}

/** An observable loaded through itemScopeJoin: with the active organisation's share on it, for writes (R15). */
export interface ObservableRow extends ObservableFields {
  ownerShare: boolean;
  shareProfilePermissions: string[];
}

export const OBSERVABLE_COLUMNS = `ob.id, ob.case_id AS "caseId", ob.data_type AS "dataType", ob.data, ob.message, ob.ioc, ob.tlp, ob.tags,
  ob.created_by_external AS "createdByExternal", ob.created_by AS "createdById", ob.created_at AS "createdAt", ob.updated_at AS "updatedAt"`;
