import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { rows } from '../../db/sql';
import { listen } from '../../db/data-source';
import { appendAudit } from '../audit-trail/audit-append';
import { cortexCall, CortexError } from './cortex.client';

/** Consecutive failed calls after which a job fails with the last reason. */
export const CORTEX_MAX_ATTEMPTS = 5;
/** Backoff between retries: poll interval × 2^attempt, at most this. */
const MAX_BACKOFF_MS = 30_000;
/** A job Cortex has not finished after this long is failed (it would otherwise be polled forever). */
const MAX_JOB_AGE_SECONDS = 24 * 3600;
/** Jobs one instance takes at a time. */
const BATCH = 20;
/** With no job running anywhere, a NOTIFY wakes the follower; this tick only covers a notification missed while its connection was down. */
const IDLE_TICK_MS = 60_000;
/** Announced at the commit of a new job (cortex.service recordJob), to every instance. */
export const CORTEX_CHANNEL = 'hive_cortex';

export type JobStatus = 'WAITING' | 'IN_PROGRESS' | 'SUCCESS' | 'FAILURE';

interface ClaimedJob {
  id: string;
  kind: 'ANALYZER' | 'RESPONDER';
  worker: string;
  status: JobStatus;
  payload: unknown;
  cortexId: string | null;
  attempts: number;
  caseId: string;
  organisationId: string;
  createdBy: string;
  expired: boolean;
}

/** What one step decided: the job's next state. */
interface Step {
  status: JobStatus;
  cortexId?: string;
  report?: unknown;
  attempts: number;
  /** Next look, in ms from now (ignored when the status is final). */
  afterMs: number;
}

const CORTEX_STATUS: Record<string, JobStatus> = { Waiting: 'WAITING', InProgress: 'IN_PROGRESS', Success: 'SUCCESS', Failure: 'FAILURE' };

const failure = (reason: string, attempts: number): Step => ({ status: 'FAILURE', report: { errorMessage: reason }, attempts, afterMs: 0 });

/**
 * R37: follows Cortex jobs from the database, not from memory, so a job survives a restart and
 * several instances share the work. Each round claims due jobs with `FOR UPDATE SKIP LOCKED` and a
 * lease (`lease_until`) longer than one Cortex call: exactly one instance works on a job at a time,
 * and a job whose instance died is taken again when its lease runs out. One step per claim —
 * submit, poll, or fetch the report — then the state is written with its audit entry (which the
 * live feed announces) and the lease released. Failed calls are retried with exponential backoff
 * stored in the row (`attempts`, `next_at`); after CORTEX_MAX_ATTEMPTS the job fails with the reason.
 */
export class CortexFollower {
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private again = false;
  private stopped = true;
  private stopListening?: () => Promise<void>;

  constructor(
    private readonly db: DataSource,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  private get leaseSeconds(): number {
    return Math.ceil(this.config.cortexTimeoutMs / 1000) * 2 + 5;
  }

  /** Takes up the jobs a previous start (or a stopped instance) left, and listens for new ones created on any instance. */
  async start(): Promise<void> {
    this.stopped = false;
    this.stopListening = await listen(
      this.db,
      CORTEX_CHANNEL,
      () => this.wake(),
      (err) => this.logger.error({ err }, 'cortex job listener failed'),
    );
    this.wake();
  }

  /** Look now (a job was just created): it is submitted without waiting for a tick. */
  wake(): void {
    if (this.stopped) return;
    if (this.round) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.round = this.runRound().then((active) => {
      this.round = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.wake();
        return;
      }
      // While some job runs (here or on another instance, whose death leaves it to us) the follower
      // ticks; otherwise it sleeps until a NOTIFY, with a slow safety tick for a missed one.
      this.timer = setTimeout(() => this.wake(), active ? Math.min(this.config.cortexPollMs, 1000) : IDLE_TICK_MS);
      this.timer.unref();
    });
  }

  /** Finishes the step under way (its calls are bounded by CORTEX_TIMEOUT_MS); leases are released as each step ends. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.stopListening?.();
    await this.round;
  }

  /** One round: claims and follows due jobs; answers whether any job is still running anywhere. */
  private async runRound(): Promise<boolean> {
    try {
      for (;;) {
        const { jobs, active } = await this.claim();
        if (!jobs.length || this.stopped) return active;
        await Promise.all(jobs.map((j) => this.follow(j)));
        if (jobs.length < BATCH) return true;
      }
    } catch (err) {
      this.logger.error({ err }, 'cortex follower round failed');
      return true;
    }
  }

  /** Due jobs nobody holds, leased to this instance (SKIP LOCKED: instances never wait for, or take, each other's). */
  private async claim(): Promise<{ jobs: ClaimedJob[]; active: boolean }> {
    const found = await rows<ClaimedJob & { active: boolean }>(
      this.db,
      `WITH claimed AS (
         UPDATE cortex_job j SET lease_until = now() + make_interval(secs => $1)
          WHERE j.id IN (SELECT id FROM cortex_job
                          WHERE status IN ('WAITING', 'IN_PROGRESS') AND next_at <= now() AND (lease_until IS NULL OR lease_until < now())
                          ORDER BY next_at LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING j.id, j.kind, j.worker, j.status, j.payload, j.cortex_id AS "cortexId", j.attempts, j.case_id AS "caseId",
                    j.organisation_id AS "organisationId", j.created_by AS "createdBy",
                    j.created_at < now() - make_interval(secs => $3) AS expired)
       SELECT c.*, a.active
         FROM (SELECT EXISTS (SELECT 1 FROM cortex_job WHERE status IN ('WAITING', 'IN_PROGRESS')) AS active) a
         LEFT JOIN claimed c ON true`,
      [this.leaseSeconds, BATCH, MAX_JOB_AGE_SECONDS],
    );
    return { jobs: found.filter((j) => j.id), active: found[0]?.active ?? false };
  }

  private async follow(job: ClaimedJob): Promise<void> {
    let step: Step;
    try {
      step = job.expired ? failure('Cortex did not finish the job within a day', job.attempts) : await this.step(job);
    } catch (e) {
      // Anything but a CortexError is this server's fault (logged): retried like a transient failure, so never followed forever.
      const err = e instanceof CortexError ? e : new CortexError('The job could not be followed because of an internal error', true);
      if (e instanceof CortexError) this.logger.warn({ job: job.id, reason: e.message, attempts: job.attempts + 1 }, 'cortex call failed');
      else this.logger.error({ err: e, job: job.id }, 'cortex job step failed');
      const attempts = job.attempts + 1;
      if (!err.transient) step = failure(err.message, attempts);
      else if (attempts >= CORTEX_MAX_ATTEMPTS) step = failure(`${err.message} (gave up after ${attempts} attempts)`, attempts);
      else step = { status: job.status, attempts, afterMs: this.backoff(attempts) };
    }
    try {
      await this.db.transaction((tx) => this.record(tx, job, step));
    } catch (err) {
      this.logger.error({ err, job: job.id }, 'cortex job state not recorded; the lease will expire and the job be taken again');
    }
  }

  private backoff(attempts: number): number {
    return Math.min(this.config.cortexPollMs * 2 ** attempts, MAX_BACKOFF_MS);
  }

  /** One call (two when the job has just ended: its status, then its report). */
  private async step(job: ClaimedJob): Promise<Step> {
    const poll = this.config.cortexPollMs;
    if (!job.cortexId) {
      const path = `/api/${job.kind === 'ANALYZER' ? 'analyzer' : 'responder'}/${encodeURIComponent(job.worker)}/run`;
      const started = await cortexCall(this.config, 'POST', path, job.payload);
      if (typeof started.id !== 'string' || !started.id) throw new CortexError('Cortex answered without a job id', true);
      const status = CORTEX_STATUS[String(started.status)] ?? 'WAITING';
      // A job that already ended is read on the next step, like any other.
      return {
        status: status === 'SUCCESS' || status === 'FAILURE' ? 'IN_PROGRESS' : status,
        cortexId: started.id,
        attempts: 0,
        afterMs: status === 'SUCCESS' || status === 'FAILURE' ? 0 : poll,
      };
    }
    const id = encodeURIComponent(job.cortexId);
    const state = await cortexCall(this.config, 'GET', `/api/job/${id}`);
    const status = CORTEX_STATUS[String(state.status)];
    if (state.status === 'Deleted') return failure('The job was deleted on Cortex', 0);
    if (!status) throw new CortexError(`Cortex answered an unknown job status "${String(state.status).slice(0, 50)}"`, true);
    if (status === 'FAILURE') {
      const reason = typeof state.errorMessage === 'string' && state.errorMessage ? state.errorMessage : 'Cortex reported that the job failed';
      return failure(reason, 0);
    }
    if (status !== 'SUCCESS') return { status, attempts: 0, afterMs: poll };
    const report = await cortexCall(this.config, 'GET', `/api/job/${id}/report`);
    return { status: 'SUCCESS', report: report.report ?? report, attempts: 0, afterMs: 0 };
  }

  /** Writes the step's outcome and releases the lease; a status change is audited (R28) and so reaches liveFeed (R30). */
  private async record(tx: EntityManager, job: ClaimedJob, step: Step): Promise<void> {
    await tx.query(
      `UPDATE cortex_job SET status = $2, cortex_id = COALESCE($3, cortex_id), report = COALESCE($4::jsonb, report), attempts = $5,
              next_at = now() + make_interval(secs => $6::float8 / 1000), lease_until = NULL,
              updated_at = CASE WHEN status <> $2 OR $4::jsonb IS NOT NULL THEN now() ELSE updated_at END
        WHERE id = $1`,
      [job.id, step.status, step.cortexId ?? null, step.report === undefined ? null : JSON.stringify(step.report), step.attempts, step.afterMs],
    );
    if (step.status === job.status) return;
    const failed = step.status === 'FAILURE' ? { reason: (step.report as { errorMessage?: string }).errorMessage } : {};
    await appendAudit(tx, [
      {
        id: randomUUID(),
        // The job runs on behalf of the user who started it, in that organisation.
        actorId: job.createdBy,
        organisationId: job.organisationId,
        caseId: job.caseId,
        action: 'job.update',
        objectType: 'CortexJob',
        objectId: job.id,
        details: { worker: job.worker, status: { from: job.status, to: step.status }, ...failed },
        viaPortal: false,
      },
    ]);
  }
}
