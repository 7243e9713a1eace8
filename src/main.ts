import 'reflect-metadata';
import { loadConfig } from './config';
import { createLogger } from './logger';

// Tracing must patch http, express and pg before anything requires them: app.ts is loaded after it.
const tracing: typeof import('./otel') | undefined =
  (process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_TRACES_EXPORTER) &&
  process.env.OTEL_TRACES_EXPORTER !== 'none' &&
  process.env.OTEL_SDK_DISABLED !== 'true'
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('./otel')
    : undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startApp } = require('./app') as typeof import('./app');

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await startApp(config, { logger });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    app.stop().then(
      async () => {
        await tracing?.shutdownTracing().catch((err) => logger.warn({ err }, 'could not flush traces'));
        logger.info('stopped');
        process.exit(0);
      },
      (err) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  // One clear line for the operator: what failed at start.
  // eslint-disable-next-line no-console
  console.error(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
