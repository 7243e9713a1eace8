import fs from 'node:fs';
import path from 'node:path';
import express, { Express, NextFunction, Request, Response } from 'express';

/**
 * The portal web page (web/portal, built by `npm run build:portal` into dist/portal-page), served at
 * /portal/ on the API's origin. Strict CSP: scripts, styles and calls to this origin only, no inline
 * code, no framing; the page's calls go to /portal/graphql and /attachments on the same origin.
 */
export const PORTAL_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** dist/portal-page, from dist/src (compiled) or from src (ts run by jest/ts-node). */
export function portalPageDir(): string {
  const candidates = [path.resolve(__dirname, '..', 'portal-page'), path.resolve(__dirname, '..', 'dist', 'portal-page')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? candidates[0];
}

function secure(res: Response) {
  res.setHeader('Content-Security-Policy', PORTAL_PAGE_CSP);
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

/** Mounts the page: hashed assets cached for good, index.html (no cache) for every other GET under /portal/. */
export function mountPortalPage(app: Express, dir = portalPageDir()): void {
  app.use(
    '/portal/assets',
    (_req, res, next) => {
      secure(res);
      next();
    },
    express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false }),
  );
  app.get(['/portal', '/portal/{*rest}'], (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/portal/graphql')) return next();
    const index = path.join(dir, 'index.html');
    if (!fs.existsSync(index)) {
      res.status(503).type('text/plain').send('The portal page is not built: run `npm run build`.');
      return;
    }
    secure(res);
    res.setHeader('Cache-Control', 'no-store');
    res.sendFile(index);
  });
}
