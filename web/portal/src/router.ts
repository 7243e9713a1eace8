import { useEffect, useState } from 'react';

/** The page's routes, all under /portal/ (the server answers index.html for each). */
export type Route = { name: 'cases' } | { name: 'case'; id: string } | { name: 'new' } | { name: 'login' } | { name: 'invitation'; token: string };

export const BASE = '/portal';

export function parse(loc: Location): Route {
  const p = loc.pathname.replace(/\/+$/, '');
  if (p === `${BASE}/login`) return { name: 'login' };
  if (p === `${BASE}/invitation`) return { name: 'invitation', token: new URLSearchParams(loc.search).get('token') ?? '' };
  if (p === `${BASE}/new`) return { name: 'new' };
  const m = /^\/portal\/cases\/([^/]+)$/.exec(p);
  if (m) return { name: 'case', id: decodeURIComponent(m[1]) };
  return { name: 'cases' };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'case':
      return `${BASE}/cases/${encodeURIComponent(route.id)}`;
    case 'new':
      return `${BASE}/new`;
    case 'login':
      return `${BASE}/login`;
    case 'invitation':
      return `${BASE}/invitation`;
    default:
      return `${BASE}/`;
  }
}

const listeners = new Set<() => void>();

export function navigate(route: Route, replace = false): void {
  if (replace) history.replaceState(null, '', href(route));
  else history.pushState(null, '', href(route));
  listeners.forEach((l) => l());
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location));
  useEffect(() => {
    const update = () => setRoute(parse(location));
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
