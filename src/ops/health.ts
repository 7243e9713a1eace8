import type { Express } from 'express';
import type { DataSource } from 'typeorm';

/** Whether this instance should receive traffic; turned off first thing on shutdown. */
export class Readiness {
  private stopping = false;

  get shuttingDown(): boolean {
    return this.stopping;
  }

  markShuttingDown(): void {
    this.stopping = true;
  }
}

/**
 * GET /livez: the process answers (a restart would not help otherwise).
 * GET /readyz (and /healthz, kept for existing probes): the database answers, every migration this
 * build knows is applied, and the instance is not shutting down. The body names the failing check,
 * never a database message.
 */
export function mountHealth(app: Express, db: DataSource, readiness: Readiness): void {
  app.get('/livez', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });
  const known = db.migrations.map((m) => m.name ?? m.constructor.name);
  const ready = async (_req: unknown, res: import('express').Response) => {
    res.setHeader('Cache-Control', 'no-store');
    if (readiness.shuttingDown) {
      res.status(503).json({ status: 'unavailable', reason: 'shutting down' });
      return;
    }
    try {
      // One read, no DDL (TypeORM's showMigrations would create the table if missing).
      const applied = new Set(((await db.query('SELECT name FROM migrations')) as Array<{ name: string }>).map((m) => m.name));
      if (known.some((name) => !applied.has(name))) {
        res.status(503).json({ status: 'unavailable', reason: 'migrations pending' });
        return;
      }
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database check failed' });
      return;
    }
    res.json({ status: 'ok' });
  };
  app.get('/readyz', ready);
  app.get('/healthz', ready);
}
