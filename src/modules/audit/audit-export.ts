import { once } from 'node:events';
import type { Request, Response } from 'express';
import { createContext } from '../../create-context';
import { AppServices } from '../../context';
import { AppError } from '../../errors/app-error';
import { AUDIT_EXPORT_PERMISSION, routeRefusal } from '../../authz/routes';
import { exportLine } from '../audit-trail/audit-chain';
import { chainHead, chainOf, chainUpToHead } from './audit-chain.service';

const STATUS: Partial<Record<string, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400 };

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function fail(res: Response, err: AppError): void {
  res.status(STATUS[err.code] ?? 400).json({ errors: [{ message: err.message, extensions: { code: err.code } }] });
}

/**
 * GET /audit/export?organisation=NAME (R41): the organisation's chain as JSON Lines, one entry per
 * line with its hashes (audit-chain.ts exportLine), in chain order, up to the head read when the
 * export starts. Streamed batch by batch with backpressure: memory stays at one batch. Same
 * credentials as GraphQL; refusals are the JSON errors of /attachments (401, 403, 404, 400).
 * `npm run audit:verify -- file.jsonl` checks the file without the database.
 */
export function auditExportHandler(services: AppServices) {
  return async (req: Request, res: Response) => {
    const requestId = res.locals.requestId;
    try {
      const ctx = await createContext(
        services,
        'internal',
        { authorization: header(req.headers.authorization), organisation: header(req.headers['x-organisation']) },
        requestId,
      );
      const refusal = routeRefusal(ctx, AUDIT_EXPORT_PERMISSION);
      if (refusal) return fail(res, refusal);
      const name = req.query.organisation;
      if (typeof name !== 'string' || !name.trim()) return fail(res, new AppError('BAD_USER_INPUT', 'The query parameter "organisation" is required'));
      const chain = await chainOf(ctx, name);
      const head = await chainHead(ctx.db, chain.id);
      res.status(200);
      res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="audit-${chain.name.replace(/[^\w.-]/g, '_')}.jsonl"`);
      res.setHeader('Cache-Control', 'private, no-store');
      for await (const entry of chainUpToHead(ctx.db, chain.id, head)) {
        if (res.destroyed) return; // the client went away: stop reading
        if (!res.write(exportLine(entry))) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      }
      res.end();
    } catch (err) {
      if (err instanceof AppError && !res.headersSent) return fail(res, err);
      services.logger.error({ err, requestId }, 'audit export failed');
      if (!res.headersSent) res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    }
  };
}
