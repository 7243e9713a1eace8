import { CombinedGraphQLErrors } from '@apollo/client';

export const SEVERITIES: Record<number, string> = { 1: 'Low', 2: 'Medium', 3: 'High', 4: 'Critical' };
export const STATUSES: Record<string, string> = { NEW: 'New', IN_PROGRESS: 'In progress', RESOLVED: 'Resolved', DUPLICATED: 'Duplicated' };

export function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A message a person can act on, from a failed operation (the server's codes are in api-contract.md). */
export function errorText(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    const e = error.errors[0];
    switch (e?.extensions?.code) {
      case 'BAD_USER_INPUT':
        return e.message;
      case 'FORBIDDEN':
        return 'You are not allowed to do this.';
      case 'NOT_FOUND':
        return 'This case does not exist or is not shared with you.';
      case 'UNAUTHENTICATED':
        return 'Your session has ended. Please log in again.';
      default:
        return 'Something went wrong. Please try again.';
    }
  }
  return 'The server could not be reached. Please try again.';
}
