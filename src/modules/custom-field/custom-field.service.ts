import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import type { CreateCustomFieldInput, UpdateCustomFieldInput } from '../../generated/internal';
import { one, Queryable } from '../../db/sql';
import { BadInputError, ConflictError, NotFoundError } from '../../errors/app-error';
import { changes, recordAudit } from '../audit-trail/audit-trail.shared';
import { notNull, optionalText, requiredLine } from '../validation';
import { allCustomFields, CUSTOM_FIELD_HOLDERS, validOptions } from './custom-field.values';
import { CUSTOM_FIELD_COLUMNS, CustomFieldRow } from '../../db/records/custom-field';

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const MAX_DISPLAY_NAME = 128;
const MAX_DESCRIPTION = 1000;
const MAX_OPTIONS = 200;

function validIdentifier(name: string): string {
  const v = name.trim();
  if (!IDENTIFIER.test(v)) throw new BadInputError('name must be a letter followed by up to 63 letters, digits, _ . -', 'name');
  return v;
}

function checkedOptions(def: Pick<CustomFieldRow, 'name' | 'type'>, options: readonly string[]): string[] {
  if (options.length > MAX_OPTIONS) throw new BadInputError(`At most ${MAX_OPTIONS} options`, 'options');
  return validOptions(def, options);
}

export function listCustomFields(ctx: RequestContext): Promise<CustomFieldRow[]> {
  return allCustomFields(ctx.db);
}

async function requireCustomField(db: Queryable, name: string): Promise<CustomFieldRow> {
  const row = await one<CustomFieldRow>(db, `SELECT ${CUSTOM_FIELD_COLUMNS} FROM custom_field f WHERE lower(f.name) = lower($1) FOR UPDATE`, [name.trim()]);
  if (!row) throw new NotFoundError(`Custom field "${name}"`);
  return row;
}

/**
 * R32: whether any case, alert or template holds a value for the field (CUSTOM_FIELD_HOLDERS).
 * The definition's row is locked first (FOR UPDATE), and writers of values read definitions
 * FOR KEY SHARE (lockDefinitions), so no value can appear between this check and the change.
 */
async function inUse(tx: EntityManager, name: string): Promise<boolean> {
  for (const { table, column } of CUSTOM_FIELD_HOLDERS) {
    if (await one(tx, `SELECT 1 FROM "${table}" WHERE ${column} ? $1 LIMIT 1`, [name])) return true;
  }
  return false;
}

/** The unique index is the last word under concurrency: its violation is the same CONFLICT. */
async function uniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw new ConflictError(`Custom field "${name}" already exists`);
    throw e;
  }
}

export async function createCustomField(ctx: RequestContext, input: CreateCustomFieldInput): Promise<CustomFieldRow> {
  const name = validIdentifier(input.name);
  const data = {
    name,
    displayName: input.displayName == null ? name : requiredLine(input.displayName, 'displayName', MAX_DISPLAY_NAME),
    type: input.type,
    options: checkedOptions({ name, type: input.type }, input.options ?? []),
    mandatory: input.mandatory ?? false,
    description: optionalText(input.description ?? '', 'description', MAX_DESCRIPTION),
  };
  return ctx.transaction(async (tx) => {
    if (await one(tx, 'SELECT 1 FROM custom_field WHERE lower(name) = lower($1)', [name])) throw new ConflictError(`Custom field "${name}" already exists`);
    const created = await uniqueName(name, () =>
      one<CustomFieldRow>(
        tx,
        `INSERT INTO custom_field AS f (name, display_name, type, options, mandatory, description) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${CUSTOM_FIELD_COLUMNS}`,
        [data.name, data.displayName, data.type, data.options, data.mandatory, data.description],
      ),
    );
    await recordAudit(ctx, tx, { action: 'customField.create', objectType: 'CustomField', objectId: created!.id, details: data });
    return created!;
  });
}

export async function updateCustomField(ctx: RequestContext, name: string, input: UpdateCustomFieldInput): Promise<CustomFieldRow> {
  return ctx.transaction(async (tx) => {
    const current = await requireCustomField(tx, name);
    const patch: Partial<CustomFieldRow> = {};
    if (input.displayName !== undefined) patch.displayName = requiredLine(notNull(input.displayName, 'displayName'), 'displayName', MAX_DISPLAY_NAME);
    if (input.type !== undefined) patch.type = notNull(input.type, 'type');
    const type = patch.type ?? current.type;
    // Options are re-read against the (new) type: changing the type re-checks the kept options.
    if (input.options !== undefined || patch.type !== undefined) {
      patch.options = checkedOptions({ name: current.name, type }, input.options != null ? input.options : current.options);
    }
    if (input.mandatory !== undefined) patch.mandatory = notNull(input.mandatory, 'mandatory');
    if (input.description !== undefined) patch.description = optionalText(notNull(input.description, 'description'), 'description', MAX_DESCRIPTION);
    const diff = changes(current, patch);
    if (!Object.keys(diff).length) return current;
    if (diff.type && (await inUse(tx, current.name))) {
      throw new ConflictError(`Custom field "${current.name}" holds values: its type cannot change`);
    }
    const updated = await one<CustomFieldRow>(
      tx,
      `UPDATE custom_field f SET display_name = $2, type = $3, options = $4, mandatory = $5, description = $6, updated_at = now()
        WHERE id = $1 RETURNING ${CUSTOM_FIELD_COLUMNS}`,
      [
        current.id,
        patch.displayName ?? current.displayName,
        type,
        patch.options ?? current.options,
        patch.mandatory ?? current.mandatory,
        patch.description ?? current.description,
      ],
    );
    await recordAudit(ctx, tx, { action: 'customField.update', objectType: 'CustomField', objectId: current.id, details: { name: current.name, ...diff } });
    return updated!;
  });
}

export async function deleteCustomField(ctx: RequestContext, name: string): Promise<boolean> {
  await ctx.transaction(async (tx) => {
    const current = await requireCustomField(tx, name);
    if (await inUse(tx, current.name)) throw new ConflictError(`Custom field "${current.name}" holds values and cannot be deleted`);
    await tx.query('DELETE FROM custom_field WHERE id = $1', [current.id]);
    await recordAudit(ctx, tx, { action: 'customField.delete', objectType: 'CustomField', objectId: current.id, details: { name: current.name } });
  });
  return true;
}
