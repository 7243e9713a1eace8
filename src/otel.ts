/**
 * OpenTelemetry tracing: HTTP → GraphQL operation → SQL, configured by the standard OTEL_*
 * variables (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_TRACES_EXPORTER,
 * OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER, …). main.ts loads this module only when an exporter is
 * configured, and before express and pg, which the instrumentations patch as they are required.
 * Metrics and logs are not exported over OTLP (Prometheus scrapes /metrics) unless asked for.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

process.env.OTEL_METRICS_EXPORTER ??= 'none';
process.env.OTEL_LOGS_EXPORTER ??= 'none';
process.env.OTEL_SERVICE_NAME ??= 'hive-cases';

const sdk = new NodeSDK({
  instrumentations: [
    // Probes and scrapes would drown the traces.
    new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(livez|readyz|healthz|metrics)\b/.test(req.url ?? '') }),
    new ExpressInstrumentation(),
    // One span per operation phase (parse, validate, execute), not one per trivial field; no variable values (they may hold secrets).
    new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true, allowValues: false }),
    // Statement text with placeholders; parameter values are never recorded (the default).
    new PgInstrumentation(),
  ],
});
sdk.start();

/** Flushes the spans still buffered; called once the server has stopped. */
export function shutdownTracing(): Promise<void> {
  return sdk.shutdown();
}
