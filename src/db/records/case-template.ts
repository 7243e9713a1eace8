import { columns, RowOf } from '../columns';
import { CaseTemplateEntity } from '../entities/case-template.entity';

/** A case template (R33); `description`, `severity`, `tlp`, `pap` null when the template leaves them to the input or the default. */
export const CASE_TEMPLATE_COLUMNS = columns(CaseTemplateEntity, 'ct', { omit: ['createdBy'] });
export type CaseTemplateRow = RowOf<typeof CASE_TEMPLATE_COLUMNS>;
