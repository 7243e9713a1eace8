import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import type { CreateCaseTemplateInput, TemplateTaskInput, UpdateCaseTemplateInput } from '../../generated/internal';
import { one, rows } from '../../db/sql';
import { BadInputError, ConflictError, NotFoundError } from '../../errors/app-error';
import { changes, recordAudit } from '../audit-trail/audit-trail.shared';
import { optionalText, requiredLine, validName } from '../validation';
import { MAX_DESCRIPTION, MAX_TITLE, validSeverity } from '../case-fields/case-fields.shared';
import { MAX_TASK_DESCRIPTION, MAX_TASK_TITLE } from '../task/task.shared';
import { validTags } from '../tag/tag-names';
import { customFieldsIn, CustomFieldValueInput, validateCustomFieldInputs, withoutNulls } from '../custom-field/custom-field.values';
import type { EntityManager } from 'typeorm';
import { findCaseTemplate } from './case-template.shared';
import { CASE_TEMPLATE_COLUMNS, CaseTemplateRow } from '../../db/records/case-template';

const MAX_TEMPLATE_TASKS = 100;

/** R33: only the active organisation's templates, by name. */
export function listCaseTemplates(ctx: RequestContext): Promise<CaseTemplateRow[]> {
  return rows<CaseTemplateRow>(ctx.db, `SELECT ${CASE_TEMPLATE_COLUMNS} FROM case_template ct WHERE ct.organisation_id = $1 ORDER BY lower(ct.name), ct.name`, [
    principalOf(ctx).organisationId,
  ]);
}

type TemplateFields = Omit<CaseTemplateRow, 'id' | 'organisationId' | 'createdAt' | 'updatedAt'>;

function validTasks(tasks: readonly TemplateTaskInput[]): TemplateFields['tasks'] {
  if (tasks.length > MAX_TEMPLATE_TASKS) throw new BadInputError(`A template has at most ${MAX_TEMPLATE_TASKS} tasks`, 'tasks');
  return tasks.map((t) => ({
    title: requiredLine(t.title, 'tasks.title', MAX_TASK_TITLE),
    description: optionalText(t.description ?? '', 'tasks.description', MAX_TASK_DESCRIPTION),
  }));
}

async function validCustomFields(tx: EntityManager, inputs: readonly CustomFieldValueInput[]): Promise<TemplateFields['customFields']> {
  return withoutNulls(validateCustomFieldInputs(await customFieldsIn(tx), inputs));
}

/** The given fields of a create or update input, validated; undefined: not given. An explicit null clears an optional field. */
function templatePatch(input: UpdateCaseTemplateInput): Partial<Omit<TemplateFields, 'customFields'>> {
  const patch: Partial<Omit<TemplateFields, 'customFields'>> = {};
  if (input.name != null) patch.name = validName(input.name);
  else if (input.name === null) throw new BadInputError('name cannot be null', 'name');
  if (input.titlePrefix !== undefined)
    patch.titlePrefix = input.titlePrefix == null || input.titlePrefix.trim() === '' ? '' : requiredLine(input.titlePrefix, 'titlePrefix', 128);
  if (input.description !== undefined) patch.description = input.description == null ? null : optionalText(input.description, 'description', MAX_DESCRIPTION);
  if (input.severity !== undefined) patch.severity = input.severity == null ? null : validSeverity(input.severity);
  if (input.tlp !== undefined) patch.tlp = input.tlp ?? null;
  if (input.pap !== undefined) patch.pap = input.pap ?? null;
  if (input.tags !== undefined) patch.tags = validTags(input.tags ?? []);
  if (input.tasks !== undefined) patch.tasks = validTasks(input.tasks ?? []);
  return patch;
}

/** The per-organisation unique index is the last word under concurrency: its violation is the same CONFLICT. */
async function uniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw new ConflictError(`Case template "${name}" already exists`);
    throw e;
  }
}

export async function createCaseTemplate(ctx: RequestContext, input: CreateCaseTemplateInput): Promise<CaseTemplateRow> {
  const p = principalOf(ctx);
  const patch = templatePatch(input);
  // The title prefix must leave room for a title.
  if ((patch.titlePrefix ?? '').length > MAX_TITLE / 2) throw new BadInputError('titlePrefix is too long', 'titlePrefix');
  return ctx.transaction(async (tx) => {
    const customFields = await validCustomFields(tx, input.customFields ?? []);
    const name = patch.name!;
    if (await findCaseTemplate(tx, p.organisationId, name)) throw new ConflictError(`Case template "${name}" already exists`);
    const row = (await uniqueName(name, () =>
      one<CaseTemplateRow>(
        tx,
        `INSERT INTO case_template AS ct (organisation_id, name, title_prefix, description, severity, tlp, pap, tags, tasks, custom_fields, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11) RETURNING ${CASE_TEMPLATE_COLUMNS}`,
        [
          p.organisationId,
          name,
          patch.titlePrefix ?? '',
          patch.description ?? null,
          patch.severity ?? null,
          patch.tlp ?? null,
          patch.pap ?? null,
          patch.tags ?? [],
          JSON.stringify(patch.tasks ?? []),
          JSON.stringify(customFields),
          p.userId,
        ],
      ),
    )) as CaseTemplateRow;
    const { id: _id, organisationId: _o, createdAt: _c, updatedAt: _u, ...details } = row;
    await recordAudit(ctx, tx, { action: 'caseTemplate.create', objectType: 'CaseTemplate', objectId: row.id, details });
    return row;
  });
}

export async function updateCaseTemplate(ctx: RequestContext, name: string, input: UpdateCaseTemplateInput): Promise<CaseTemplateRow> {
  const p = principalOf(ctx);
  const patch: Partial<TemplateFields> = templatePatch(input);
  if ((patch.titlePrefix ?? '').length > MAX_TITLE / 2) throw new BadInputError('titlePrefix is too long', 'titlePrefix');
  return ctx.transaction(async (tx) => {
    const current = await findCaseTemplate(tx, p.organisationId, name, 'update');
    if (!current) throw new NotFoundError(`Case template "${name}"`);
    if (input.customFields !== undefined) patch.customFields = await validCustomFields(tx, input.customFields ?? []);
    const diff = changes(current, patch);
    if (!Object.keys(diff).length) return current;
    if (diff.name && patch.name!.toLowerCase() !== current.name.toLowerCase() && (await findCaseTemplate(tx, p.organisationId, patch.name!))) {
      throw new ConflictError(`Case template "${patch.name}" already exists`);
    }
    const next = { ...current, ...patch };
    const row = (await uniqueName(next.name, () =>
      one<CaseTemplateRow>(
        tx,
        `UPDATE case_template ct SET name = $2, title_prefix = $3, description = $4, severity = $5, tlp = $6, pap = $7, tags = $8,
              tasks = $9::jsonb, custom_fields = $10::jsonb, updated_at = now()
        WHERE id = $1 RETURNING ${CASE_TEMPLATE_COLUMNS}`,
        [
          current.id,
          next.name,
          next.titlePrefix,
          next.description,
          next.severity,
          next.tlp,
          next.pap,
          next.tags,
          JSON.stringify(next.tasks),
          JSON.stringify(next.customFields),
        ],
      ),
    )) as CaseTemplateRow;
    await recordAudit(ctx, tx, { action: 'caseTemplate.update', objectType: 'CaseTemplate', objectId: current.id, details: { name: current.name, ...diff } });
    return row;
  });
}

export async function deleteCaseTemplate(ctx: RequestContext, name: string): Promise<boolean> {
  const p = principalOf(ctx);
  return ctx.transaction(async (tx) => {
    const current = await findCaseTemplate(tx, p.organisationId, name, 'update');
    if (!current) throw new NotFoundError(`Case template "${name}"`);
    await tx.query('DELETE FROM case_template WHERE id = $1', [current.id]);
    await recordAudit(ctx, tx, { action: 'caseTemplate.delete', objectType: 'CaseTemplate', objectId: current.id, details: { name: current.name } });
    return true;
  });
}
