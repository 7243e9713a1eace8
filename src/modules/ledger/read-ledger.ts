import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../logger';

export type ReadKind = 'CASE_VIEW' | 'ATTACHMENT_DOWNLOAD';

export interface ReadRecordInput {
  kind: ReadKind;
  userId: string;
  organisationId: string;
  caseId: string;
  objectId: string;
  viaPortal: boolean;
}

interface Buffered extends ReadRecordInput {
  id: string;
  at: Date;
}

export interface ReadLedgerOptions {
  /** Buffered records are written at least this often (LEDGER_FLUSH_MS, default 500). */
  flushMs: number;
  /** A flush writes at most this many records in one INSERT; reaching it starts a flush at once. */
  batchSize: number;
  /** Records kept while the database refuses them; beyond it the oldest are dropped (and logged). */
  maxBuffered?: number;
}

/**
 * R40: the read ledger, off the read's critical path. `record` only appends to an in-memory
 * buffer (no statement, no await); a timer writes the buffer every `flushMs`, or sooner when it
 * holds `batchSize` records, with one multi-row INSERT per batch. `close` (graceful shutdown,
 * after the HTTP server has drained) writes what is left. What a crash (SIGKILL, power loss) can
 * lose is bounded: the records of reads served since the last flush, i.e. the last `flushMs`
 * (plus the duration of a flush in progress). A failed flush keeps its records for the next one.
 */
export class ReadLedger {
  private buffer: Buffered[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly maxBuffered: number;

  constructor(
    private readonly db: DataSource,
    private readonly logger: Logger,
    private readonly options: ReadLedgerOptions,
  ) {
    this.maxBuffered = options.maxBuffered ?? 100_000;
    this.timer = setInterval(() => void this.flush(), options.flushMs);
    this.timer.unref();
  }

  record(input: ReadRecordInput): void {
    this.buffer.push({ ...input, id: randomUUID(), at: new Date() });
    if (this.closed)
      void this.flush(); // a read served during shutdown: written at once
    else if (this.buffer.length >= this.options.batchSize) void this.flush();
  }

  /** Writes everything buffered now (in batches); resolves when written or kept for retry. Flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeAll());
    return this.flushing;
  }

  /** Graceful shutdown: no more timer, and the buffer written before the database closes. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
  }

  private async writeAll(): Promise<void> {
    while (this.buffer.length) {
      const batch = this.buffer.splice(0, this.options.batchSize);
      try {
        await this.insert(batch);
      } catch (err) {
        this.buffer.unshift(...batch);
        const excess = this.buffer.length - this.maxBuffered;
        if (excess > 0) {
          this.buffer.splice(0, excess);
          this.logger.error({ dropped: excess }, 'read ledger: records dropped, the database refused them for too long');
        }
        this.logger.error({ err, pending: this.buffer.length }, 'read ledger flush failed; retrying at the next flush');
        return;
      }
    }
  }

  /** One statement per batch: parallel arrays unnested into rows. */
  private async insert(batch: Buffered[]): Promise<void> {
    const col = <K extends keyof Buffered>(k: K) => batch.map((r) => r[k]);
    await this.db.query(
      `INSERT INTO read_record (id, kind, user_id, organisation_id, case_id, object_id, via_portal, at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::boolean[], $8::timestamptz[])`,
      [col('id'), col('kind'), col('userId'), col('organisationId'), col('caseId'), col('objectId'), col('viaPortal'), col('at')],
    );
  }
}
