/**
 * The portal session token. Kept in sessionStorage (this tab only, gone when the tab closes),
 * sent as `Authorization: Bearer` to /portal/graphql and /attachments — never in a URL.
 */
const KEY = 'portal.token';

export function getToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}
