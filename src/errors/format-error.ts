import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError } from './app-error';

/** Codes Apollo and graphql-js produce for malformed requests; they describe the request, not our internals. */
const requestCodes = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Postgres error codes that are the client's doing, mapped once here instead of in every service. */
function fromDatabase(err: unknown): AppError | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | undefined;
  const code = e?.driverError?.code ?? e?.code;
  if (code === '23505') return new AppError('CONFLICT', 'An object with the same unique value already exists');
  if (code === '22P02') return new AppError('NOT_FOUND', 'Object not found');
  // A NUL character (text 22021, JSON 22P05) can only come from a client's string: whatever argument,
  // variable, filter or header carried it to a statement, it is bad input, never a 500.
  if (code === '22021' || code === '22P05') return new AppError('BAD_USER_INPUT', 'A text value contains a character that is not allowed (NUL)');
  if (code === '22001' || code === '54000') return new AppError('BAD_USER_INPUT', 'A value is too long');
  // A number or date out of range can only come from a client value (e.g. a forged cursor).
  if (code === '22003' || code === '22008' || code === '22007') return new AppError('BAD_USER_INPUT', 'A value is out of range');
  return undefined;
}

/** graphql-js coercion errors (bad enum value, wrong scalar) and armor's limits carry no code and no original error. */
function isRequestError(err: GraphQLError): boolean {
  const code = err.extensions?.code;
  if (typeof code === 'string') return requestCodes.has(code);
  return !err.originalError && !err.path;
}

export function isUnexpected(err: GraphQLError): boolean {
  const original = unwrapResolverError(err);
  return !(original instanceof AppError) && !fromDatabase(original) && !isRequestError(err);
}

/** graphql-js's " Did you mean …?" hints: they describe the schema to whoever misspells a name. */
const SUGGESTION = / ?Did you mean [^]*$/;

/**
 * The one formatter: refusals keep their code, malformed requests keep graphql's codes, and
 * everything else is masked (the logging plugin records it with the request id). With
 * `hideSuggestions` (production), no message carries a schema hint, whatever produced it
 * (validation, variable or enum coercion, HTTP or graphql-ws, anonymous or not).
 */
export function createErrorFormatter(opts: { hideSuggestions?: boolean } = {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const out = formatError(formatted, error);
    return opts.hideSuggestions && SUGGESTION.test(out.message) ? { ...out, message: out.message.replace(SUGGESTION, '') } : out;
  };
}

function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof AppError) return { ...base, message: original.message, extensions: { ...original.extensions } };
  const mapped = fromDatabase(original);
  if (mapped) return { ...base, message: mapped.message, extensions: { code: mapped.code } };
  if (error instanceof GraphQLError && isRequestError(error)) {
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'GRAPHQL_VALIDATION_FAILED';
    return { ...base, message: formatted.message, extensions: { code } };
  }
  return { path: formatted.path, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
