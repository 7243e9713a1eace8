import type { NextFunction, Request, Response } from 'express';
import { Lexer, Source, TokenKind } from 'graphql';

/** True when the document has more than `max` tokens. Syntax errors are left to the parser. */
export function tooManyTokens(query: string, max: number): boolean {
  const lexer = new Lexer(new Source(query));
  let n = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) if (++n > max) return true;
  } catch {
    return false;
  }
  return false;
}

/**
 * Token limit for HTTP, checked before Apollo parses. (graphql-armor's own max-tokens plugin
 * throws from parsingDidStart, which Apollo answers with a 500 — for syntax errors too.)
 */
export function limitQueryTokens(max: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const query = (req.body as { query?: unknown } | undefined)?.query ?? req.query?.query;
    if (typeof query === 'string' && tooManyTokens(query, max)) {
      res.status(400).json({ errors: [{ message: `Query has more than ${max} tokens`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
      return;
    }
    next();
  };
}
