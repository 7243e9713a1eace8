import 'reflect-metadata';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { startApp } from './app';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await startApp(config, { logger });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    app.stop().then(
      () => { logger.info('stopped'); process.exit(0); },
      (err) => { logger.error({ err }, 'error while stopping'); process.exit(1); },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  // One clear line for the operator: what failed at start.
  console.error(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
