import type { RequestContext } from '../../context';
import { Queryable, rows } from '../../db/sql';
import { BadInputError } from '../../errors/app-error';
import { defineLoader, loaderOf } from '../../loaders';

import { CUSTOM_FIELD_COLUMNS, CustomFieldRow, CustomFieldType, CustomFieldValues } from '../../db/records/custom-field';

/** CustomFieldInput as resolvers receive it (the JSON scalar's value is any JSON). */
export interface CustomFieldValueInput {
  name: string;
  value?: unknown;
}

/**
 * R32: every jsonb column holding values of definitions, as (table, column). A definition with a
 * value in any of them is in use: its type cannot change and it cannot be deleted. A module whose
 * table holds values adds its entry here (alerts: alert.custom_fields).
 */
export const CUSTOM_FIELD_HOLDERS: ReadonlyArray<{ table: string; column: string }> = [
  { table: 'case', column: 'custom_fields' },
  { table: 'case_template', column: 'custom_fields' },
  { table: 'alert', column: 'custom_fields' },
];

export const MAX_STRING_VALUE = 10_000;

function refuse(def: CustomFieldRow, why: string): never {
  throw new BadInputError(`Custom field "${def.name}": ${why}`, def.name);
}

/** A date (YYYY-MM-DD), an ISO-8601 timestamp or epoch milliseconds → the ISO-8601 timestamp in UTC. */
function parseDate(value: unknown): string | null {
  let d: Date | null = null;
  if (typeof value === 'number' && Number.isSafeInteger(value)) d = new Date(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    d = new Date(value.trim());
  }
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : null;
}

/** The value checked against the definition's type, in its stored form (R32); null stays null. */
function typedValue(def: CustomFieldRow, value: unknown): unknown {
  switch (def.type) {
    case 'STRING':
      if (typeof value !== 'string') refuse(def, 'expects a string');
      if (value.length > MAX_STRING_VALUE) refuse(def, `at most ${MAX_STRING_VALUE} characters`);
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) refuse(def, 'contains control characters');
      return value;
    case 'INTEGER':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) refuse(def, 'expects an integer');
      return value;
    case 'FLOAT':
      if (typeof value !== 'number' || !Number.isFinite(value)) refuse(def, 'expects a number');
      return value;
    case 'BOOLEAN':
      if (typeof value !== 'boolean') refuse(def, 'expects true or false');
      return value;
    case 'DATE': {
      const iso = parseDate(value);
      if (iso === null) refuse(def, 'expects an ISO-8601 date (e.g. 2026-03-01 or 2026-03-01T12:00:00Z)');
      return iso;
    }
  }
}

/** How a value reads in `options` (text): a DATE's ISO form, a number's shortest form. */
function optionText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * R32: one value for `def`, checked against its type and allowed options, in the form to store;
 * null means "no value". BAD_USER_INPUT names the field. Cases, alerts and templates all use it.
 */
export function validateCustomFieldValue(def: CustomFieldRow, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const typed = typedValue(def, value);
  if (def.options.length && !def.options.includes(optionText(typed))) {
    refuse(def, `must be one of ${def.options.map((o) => JSON.stringify(o)).join(', ')}`);
  }
  return typed;
}

/** R32: a definition's allowed options, each a valid value of its type, in stored text form, without duplicates. */
export function validOptions(def: Pick<CustomFieldRow, 'name' | 'type'>, options: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of options) {
    const probe = { ...def, options: [] } as unknown as CustomFieldRow;
    let value: unknown = raw;
    if (def.type === 'INTEGER' || def.type === 'FLOAT') value = raw.trim() === '' ? NaN : Number(raw);
    if (def.type === 'BOOLEAN') value = raw === 'true' ? true : raw === 'false' ? false : raw;
    let text: string;
    try {
      text = optionText(typedValue(probe, value));
    } catch {
      throw new BadInputError(`Option ${JSON.stringify(raw)} is not a valid ${def.type} value`, 'options');
    }
    if (!out.includes(text)) out.push(text);
  }
  return out;
}

export async function allCustomFields(db: Queryable, suffix = ''): Promise<CustomFieldRow[]> {
  return rows<CustomFieldRow>(db, `SELECT ${CUSTOM_FIELD_COLUMNS} FROM custom_field f ORDER BY lower(f.name), f.name${suffix}`);
}

declare module '../../loader-map' {
  interface LoaderMap {
    /** Not a DataLoader: the definitions, all at once (keyless). */
    'customField.all': { custom: { load(): Promise<Map<string, CustomFieldRow>> } };
  }
}

/**
 * The definitions, read once per request (a page of cases asks for them once) and again after a
 * write commits (the loaders are forgotten then, create-context.ts). Keyed by lower-case name.
 */
const definitions = defineLoader({
  name: 'customField.all',
  custom: (ctx) => {
    let cached: Promise<Map<string, CustomFieldRow>> | null = null;
    return {
      load: () => (cached ??= allCustomFields(ctx.db).then((defs) => new Map(defs.map((d) => [d.name.toLowerCase(), d])))),
    };
  },
});

export function customFieldsByName(ctx: RequestContext): Promise<Map<string, CustomFieldRow>> {
  return loaderOf(ctx, definitions).load();
}

/**
 * The definitions, read inside a write's transaction that stores values (never the request's
 * cache: they may have just changed). FOR KEY SHARE: a concurrent type change or deletion of a
 * definition (FOR UPDATE, then its in-use check) waits for this write and then sees its values.
 */
export async function customFieldsIn(tx: Queryable): Promise<Map<string, CustomFieldRow>> {
  return new Map((await allCustomFields(tx, ' FOR KEY SHARE')).map((d) => [d.name.toLowerCase(), d]));
}

/**
 * R32: a list of {name, value} checked against `defs` (name compared case-insensitively, stored
 * under the definition's own name). Unknown or repeated names → BAD_USER_INPUT naming `field`.
 * Null values are kept as null: the caller decides what "no value" means (clear, or "absent").
 */
export function validateCustomFieldInputs(
  defs: ReadonlyMap<string, CustomFieldRow>,
  inputs: readonly CustomFieldValueInput[],
  field = 'customFields',
): CustomFieldValues {
  const out: CustomFieldValues = {};
  for (const input of inputs) {
    const def = defs.get(String(input.name).trim().toLowerCase());
    if (!def) throw new BadInputError(`Unknown custom field "${input.name}"`, field);
    if (def.name in out) throw new BadInputError(`Custom field "${def.name}" is given twice`, field);
    out[def.name] = validateCustomFieldValue(def, input.value);
  }
  return out;
}

/** Drops the null entries: what is stored holds values only. */
export function withoutNulls(values: CustomFieldValues): CustomFieldValues {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
}

/** CustomFieldValue list for a stored value set, by field name. */
export async function customFieldValueList(
  ctx: RequestContext,
  values: CustomFieldValues | null | undefined,
): Promise<Array<{ name: string; type: CustomFieldType; value: unknown }>> {
  const names = Object.keys(values ?? {});
  if (!names.length) return [];
  const defs = await customFieldsByName(ctx);
  return names
    .map((name) => ({ name, type: defs.get(name.toLowerCase())?.type ?? 'STRING', value: values![name] }))
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
}
