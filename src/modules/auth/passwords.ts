import { hash, verify } from '@node-rs/argon2';
import { BadInputError } from '../../errors/app-error';

/** argon2id with the library's defaults (OWASP's recommended parameters). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

let dummyHash: Promise<string> | undefined;

/** Verifies against a dummy hash when the user is unknown, so timing does not reveal which logins exist. */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hash('not-a-real-password');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

export function validatePassword(password: string): void {
  if (password.length < 8) throw new BadInputError('Password must be at least 8 characters long', 'password');
  if (password.length > 1024) throw new BadInputError('Password must be at most 1024 characters long', 'password');
}
