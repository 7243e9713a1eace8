import { BadInputError } from '../../errors/app-error';
import { requiredLine } from '../validation';

export const MAX_TAG = 64;
export const MAX_TAGS = 50;

/** One tag name: trimmed, non-empty, one line, at most MAX_TAG characters. */
export function validTag(raw: string, field = 'tags'): string {
  return requiredLine(raw, field, MAX_TAG);
}

/**
 * A list of tags as cases, observables, alerts and templates carry them (R31): each valid, at
 * most MAX_TAGS, duplicates dropped (first kept; compared exactly, as free text may differ in case).
 */
export function validTags(tags: readonly string[], field = 'tags'): string[] {
  const out: string[] = [];
  for (const raw of tags) {
    const tag = validTag(raw, field);
    if (!out.includes(tag)) out.push(tag);
  }
  if (out.length > MAX_TAGS) throw new BadInputError(`At most ${MAX_TAGS} tags`, field);
  return out;
}

/**
 * R31: every place that carries tags by name, as (table, text[] column). Renaming a catalogue
 * tag rewrites it in each. A module whose table carries tags adds its entry here (alerts: alert.tags).
 */
export const TAG_HOLDERS: ReadonlyArray<{ table: string; column: string }> = [
  { table: 'case', column: 'tags' },
  { table: 'observable', column: 'tags' },
  { table: 'case_template', column: 'tags' },
  { table: 'alert', column: 'tags' },
  { table: 'alert_observable', column: 'tags' },
];
