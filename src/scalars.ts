import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import type GraphQLUploadType from 'graphql-upload/GraphQLUpload.mjs' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const GraphQLUpload: typeof GraphQLUploadType = require('graphql-upload/GraphQLUpload.mjs').default;

function toIso(value: unknown): string {
  const d = value instanceof Date ? value : new Date(value as string);
  if (Number.isNaN(d.getTime())) throw new GraphQLError('Invalid DateTime');
  return d.toISOString();
}

const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO-8601 timestamp in UTC, e.g. 2026-11-23T14:45:32.000Z.',
  serialize: toIso,
  parseValue: (v) => new Date(toIso(v)),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be an ISO-8601 string');
    return new Date(toIso(ast.value));
  },
});

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Free-form JSON.',
  serialize: (v) => v,
  parseValue: (v) => v,
});

/** A DateTime argument as the scalar parsed it (a Date), or null. */
export const asDate = (v: Date | string | null | undefined): Date | null => (v == null ? null : new Date(v));

export const scalarResolvers = { DateTime, Upload: GraphQLUpload };
export const internalScalarResolvers = { ...scalarResolvers, JSON: JSONScalar };
