import { BadInputError } from '../../errors/app-error';

/*
 * The rules of a case's own fields, below both the case module and the case templates (R33),
 * whose values are checked by the same rules: a template is applied by the case's creation, so
 * the case module imports templates and neither may import the other for these.
 */

export const MAX_TITLE = 512;

export const MAX_DESCRIPTION = 100_000;

export function validSeverity(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 4) throw new BadInputError('severity must be an integer from 1 (low) to 4 (critical)', 'severity');
  return value;
}
