export type CustomFieldType = 'STRING' | 'INTEGER' | 'FLOAT' | 'BOOLEAN' | 'DATE';

export interface CustomFieldRow {
  id: string;
  name: string;
  displayName: string;
  type: CustomFieldType;
  options: string[];
  mandatory: boolean;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

export const CUSTOM_FIELD_COLUMNS = `f.id, f.name, f.display_name AS "displayName", f.type, f.options, f.mandatory, f.description,
  f.created_at AS "createdAt", f.updated_at AS "updatedAt"`;

/** A stored value set: {fieldName: value}, as case.custom_fields and case_template.custom_fields hold it. */
export type CustomFieldValues = Record<string, unknown>;
