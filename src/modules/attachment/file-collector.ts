import type { EntityManager } from 'typeorm';
import type { AppServices } from '../../context';
import { rows } from '../../db/sql';

type Services = Pick<AppServices, 'db' | 'files' | 'logger'>;

/**
 * Removal of content no attachment row uses, safe against a concurrent upload of the same bytes.
 * Both sides take a per-content advisory lock (hash collisions only serialise more):
 * - an upload, in the transaction that inserts its row, takes it shared, re-publishes the content
 *   from its own temporary copy (which it keeps until then), and inserts the row;
 * - a removal takes it exclusive, and deletes the content only if no row names it, still holding it.
 * Whichever comes second sees the other's outcome: the removal sees the committed row (READ
 * COMMITTED, and the check is a statement after the lock), or the upload finds the content gone
 * and puts it back before its row commits.
 */
export function lockContent(tx: EntityManager, sha256: string, mode: 'shared' | 'exclusive'): Promise<unknown> {
  return tx.query(`SELECT ${mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(hashtext('attachment:' || $1))`, [sha256]);
}

/**
 * Deletes the content of each hash that no attachment row names; returns how many were deleted.
 * Never throws: a failure leaves a file behind (the start-up sweep retries it), which must not fail
 * the request that triggered it, so it is logged and the next hash is tried.
 */
export async function collectFiles(services: Services, shas: Iterable<string>): Promise<number> {
  let removed = 0;
  for (const sha256 of new Set(shas)) {
    try {
      const gone = await services.db.transaction('READ COMMITTED', async (tx) => {
        await lockContent(tx, sha256, 'exclusive');
        if ((await tx.query('SELECT 1 FROM attachment WHERE sha256 = $1 LIMIT 1', [sha256])).length) return false;
        await services.files.remove(sha256);
        return true;
      });
      if (gone) removed++;
    } catch (err) {
      services.logger.warn({ err, sha256 }, 'could not remove unused attachment content; the next start-up sweep retries');
    }
  }
  return removed;
}

/** Content older than this with no row is a leftover (a crash between publishing and committing, or before a collection). */
export const LEFTOVER_AGE_MS = 60 * 60 * 1000;
const BATCH = 500;

/**
 * At start-up: deletes temporary copies and unused content older than LEFTOVER_AGE_MS (uploads in
 * flight are younger, and the content lock protects them anyway). Checks the hashes in batches, and
 * collects only those no row names. Stops between batches once `signal` aborts. Never throws.
 */
export async function sweepFileStore(services: Services, signal: AbortSignal, now = new Date()): Promise<void> {
  const before = new Date(now.getTime() - LEFTOVER_AGE_MS);
  try {
    const temps = await services.files.removeTemps(before);
    let checked = 0;
    let removed = 0;
    let batch: string[] = [];
    const flush = async () => {
      const unused = await rows<{ sha256: string }>(
        services.db,
        'SELECT s AS sha256 FROM unnest($1::text[]) AS s WHERE NOT EXISTS (SELECT 1 FROM attachment a WHERE a.sha256 = s)',
        [batch],
      );
      checked += batch.length;
      batch = [];
      removed += await collectFiles(
        services,
        unused.map((u) => u.sha256),
      );
    };
    for await (const sha256 of services.files.listContent(before)) {
      if (signal.aborted) break;
      batch.push(sha256);
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length && !signal.aborted) await flush();
    services.logger.info({ tempsRemoved: temps, contentChecked: checked, contentRemoved: removed }, 'attachment store swept');
  } catch (err) {
    services.logger.warn({ err }, 'attachment store sweep failed; it runs again at the next start');
  }
}
