import { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';
import { listen } from '../../db/data-source';
import type { Logger } from '../../logger';

/**
 * Announces committed audit entries (ids) to this server's live-feed subscribers. The source is
 * PostgreSQL's NOTIFY from the audit insert trigger: delivered at commit, in commit order, to
 * every server instance (R30). Subscribers read the entries themselves through their scope.
 */
export class AuditBus extends EventEmitter {
  private stopListening?: () => Promise<void>;

  constructor() {
    super();
    this.setMaxListeners(0);
  }

  async start(db: DataSource, logger: Logger): Promise<void> {
    this.stopListening = await listen(
      db,
      'hive_audit',
      (id) => this.emit('audit', id),
      (err) => logger.error({ err }, 'live feed listener failed'),
    );
  }

  async close(): Promise<void> {
    await this.stopListening?.();
    this.removeAllListeners();
  }
}
