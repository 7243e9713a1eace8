import { BadInputError } from '../errors/app-error';

/** Trims and checks a required text field; control characters are refused everywhere. */
export function requiredText(value: string, field: string, max: number): string {
  const v = value.trim();
  if (!v) throw new BadInputError(`${field} must not be empty`, field);
  return optionalText(v, field, max);
}

export function optionalText(value: string, field: string, max: number): string {
  if (value.length > max) throw new BadInputError(`${field} must be at most ${max} characters long`, field);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) throw new BadInputError(`${field} contains control characters`, field);
  return value;
}

/** A one-line field (names, titles, tags): also refuses line breaks, which would reach e-mails and logs as new lines. */
export function requiredLine(value: string, field: string, max: number): string {
  const v = requiredText(value, field, max);
  if (/[\r\n]/.test(v)) throw new BadInputError(`${field} must be a single line`, field);
  return v;
}

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.-]*$/u;

/** Organisation and profile names: letters, digits, space, _ . - ; 1–64 characters. */
export function validName(value: string, field = 'name'): string {
  const v = requiredText(value, field, 64);
  if (!NAME.test(v)) throw new BadInputError(`${field} may contain only letters, digits, spaces and _ . -`, field);
  return v;
}

const LOGIN = /^[a-z0-9][a-z0-9._%+\-@]*$/;

/** Logins are e-mail-like identifiers, compared and stored lower-case. */
export function validLogin(value: string): string {
  const v = value.trim().toLowerCase();
  if (!v || v.length > 254 || !LOGIN.test(v)) throw new BadInputError('login must be 1–254 characters of letters, digits and . _ % + - @', 'login');
  return v;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validEmail(value: string | null | undefined, required = false): string | null {
  if (value === null || value === undefined || value.trim() === '') {
    if (required) throw new BadInputError('email is required', 'email');
    return null;
  }
  const v = value.trim();
  if (v.length > 254 || !EMAIL.test(v)) throw new BadInputError('email is not a valid address', 'email');
  return v;
}

/** An explicit null in an update input: these fields cannot be cleared that way. */
export function notNull<T>(value: T | null, field: string): T {
  if (value === null) throw new BadInputError(`${field} cannot be null`, field);
  return value;
}
