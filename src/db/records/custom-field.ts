import { columns, RowOf } from '../columns';
import { CustomFieldEntity } from '../entities/custom-field.entity';

export type { CustomFieldType } from '../entities/custom-field.entity';

export const CUSTOM_FIELD_COLUMNS = columns(CustomFieldEntity, 'f');
export type CustomFieldRow = RowOf<typeof CUSTOM_FIELD_COLUMNS>;

/** A stored value set: {fieldName: value}, as case.custom_fields and case_template.custom_fields hold it. */
export type CustomFieldValues = Record<string, unknown>;
