import pino from 'pino';

export type Logger = pino.Logger;

/** JSON logs; secrets are redacted by path so a careless log call cannot print them. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      // err.parameters/err.query: TypeORM's QueryFailedError carries the statement's values (hashes, tokens).
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'variables.password',
        'variables.token',
        'headers.authorization',
        'err.parameters',
        'err.query',
        'err.driverError.parameters',
      ],
      censor: '<hidden>',
    },
  });
}
