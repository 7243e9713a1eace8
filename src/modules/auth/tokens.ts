import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits; the prefix tells a reader what leaked (session, API key, invitation). */
export function newToken(prefix: 'hs' | 'hk' | 'hi'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Tokens are high-entropy, so a fast hash is enough to make a stolen table useless. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
