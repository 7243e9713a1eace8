import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { createContext } from '../../create-context';
import { AppServices, RequestContext, RequestHeaders } from '../../context';
import { findDownloadableAttachment } from './attachment.service';
import type { ByteRange } from './file-store';
import { recordRead } from '../ledger/ledger.shared';

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/**
 * The same credentials as GraphQL: an internal user's token resolves on the internal endpoint's
 * rules, an external user's on the portal's (each endpoint refuses the other kind, R22), so the
 * visibility applied below is the one of the caller's own kind.
 */
async function downloadContext(services: AppServices, headers: RequestHeaders, requestId: Parameters<typeof createContext>[3]): Promise<RequestContext> {
  const internal = await createContext(services, 'internal', headers, requestId);
  if (internal.principal || !headers.authorization || internal.authError?.code === 'UNAUTHENTICATED') return internal;
  const portal = await createContext(services, 'portal', headers, requestId);
  return portal.principal ? portal : internal;
}

/** Types a browser would run or render as an active document (script, HTML, XML/SVG, XSLT, Flash): served as opaque bytes. */
const ACTIVE_SUBTYPE = /(^|[+.-])xml$|^(x-)?(html|xhtml|javascript|ecmascript|jscript|livescript|xsl|xslt|shockwave-flash|mixed-replace)$/;

function servedContentType(stored: string): string {
  const subtype = stored.split('/')[1] ?? '';
  return ACTIVE_SUBTYPE.test(subtype) ? 'application/octet-stream' : stored;
}

/** RFC 6266 with an ASCII fallback and the exact name as RFC 5987 filename*. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Before an error answer replaces a file that could not be sent: its type, length and name no longer apply. */
function withoutFileHeaders(res: Response): Response {
  for (const name of ['Content-Type', 'Content-Length', 'Content-Disposition', 'Content-Range', 'Accept-Ranges', 'ETag']) res.removeHeader(name);
  return res;
}

/**
 * The byte range a `Range: bytes=…` header asks of `size` bytes (RFC 9110 §14): undefined means the
 * whole file (no header, several ranges, another unit, or a malformed or inverted range — which a
 * server may ignore), 'unsatisfiable' is a 416.
 */
export function requestedRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const m = header ? /^bytes=[ \t]*(\d*)-(\d*)[ \t]*$/.exec(header) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? Infinity : Number(m[2]);
  if (last < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(last, size - 1) };
}

/** GET /attachments/:id — streams the file when the caller can see it; otherwise 404, exactly as for an absent id (R13). */
export function attachmentDownloadHandler(services: AppServices) {
  return async (req: Request, res: Response) => {
    const requestId = res.locals.requestId;
    try {
      const ctx = await downloadContext(
        services,
        { authorization: header(req.headers.authorization), organisation: header(req.headers['x-organisation']) },
        requestId,
      );
      if (!ctx.principal) {
        const forbidden = ctx.authError?.code === 'FORBIDDEN';
        fail(res, forbidden ? 403 : 401, forbidden ? 'FORBIDDEN' : 'UNAUTHENTICATED', ctx.authError?.message ?? 'Authentication required');
        return;
      }
      const id = req.params.id;
      const row = await findDownloadableAttachment(ctx, typeof id === 'string' ? id : '');
      // Ranges are looked at only once the row is visible: an invisible attachment stays a plain 404 (R13).
      // The content never changes under its id, so its hash is a strong validator for If-Range.
      const etag = row && `"${row.sha256}"`;
      const ifRange = header(req.headers['if-range']);
      const wanted = row && (!ifRange || ifRange === etag) ? requestedRange(header(req.headers.range), row.size) : undefined;
      if (row && wanted === 'unsatisfiable') {
        res.setHeader('Content-Range', `bytes */${row.size}`);
        fail(res, 416, 'BAD_REQUEST', 'Range not satisfiable');
        return;
      }
      const range = wanted === 'unsatisfiable' ? undefined : wanted;
      // Content gone after the row was read means its case was deleted meanwhile: absent, as the row now is (R13).
      const content = row && (await ctx.files.open(row.sha256, range));
      if (!row || !content) {
        if (row) ctx.logger.warn({ attachment: row.id, sha256: row.sha256 }, 'attachment content is missing from the file store');
        fail(res, 404, 'NOT_FOUND', 'Attachment not found');
        return;
      }
      res.status(range ? 206 : 200);
      res.setHeader('Content-Type', servedContentType(row.contentType));
      res.setHeader('Content-Length', String(range ? range.end - range.start + 1 : row.size));
      if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${row.size}`);
      res.setHeader('Accept-Ranges', 'bytes');
      res.setHeader('ETag', etag!);
      res.setHeader('Content-Disposition', contentDisposition(row.name));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('Cache-Control', 'private, no-store');
      if (req.method === 'HEAD') {
        content.destroy();
        res.end();
        return;
      }
      // R40: recorded when the content starts to go out (a HEAD request discloses none of it).
      recordRead(ctx, { kind: 'ATTACHMENT_DOWNLOAD', caseId: row.caseId, objectId: row.id, ownerOrganisationId: row.ownerOrganisationId });
      await pipeline(content, res);
    } catch (err) {
      // A client that goes away mid-download is not a server error.
      if ((err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') services.logger.debug({ requestId }, 'attachment download aborted by the client');
      else services.logger.error({ err, requestId }, 'attachment download failed');
      if (!res.headersSent) fail(withoutFileHeaders(res), 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    }
  };
}
