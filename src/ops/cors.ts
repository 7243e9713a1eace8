import type { NextFunction, Request, Response } from 'express';

/** Request headers a browser client may send: the contract's credentials, GraphQL's CSRF headers, and Range for downloads. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Organisation, X-Request-Id, Apollo-Require-Preflight, X-Apollo-Operation-Name, Range, If-Range';
/** Response headers a browser client may read. */
const EXPOSED_HEADERS = 'X-Request-Id, Content-Disposition, Content-Range, Accept-Ranges, Content-Length';

/**
 * CORS_ORIGINS for every route (GraphQL, downloads, health, metrics): an Origin in the list (or any,
 * with `*`) gets Access-Control-Allow-Origin and its preflight answered; any other origin gets no
 * CORS header at all, so the browser keeps the answer from the page. No credentials mode: the API
 * takes bearer tokens, never cookies. An empty list (unset) means same-origin only: returns
 * undefined and nothing is mounted.
 */
export function corsMiddleware(origins: readonly string[]) {
  if (!origins.length) return undefined;
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    const ok = typeof origin === 'string' && (any || allowed.has(origin));
    if (ok) {
      res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      if (ok) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.status(204).end();
      return;
    }
    next();
  };
}
