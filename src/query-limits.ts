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
  // Per document, not per request: clients send the same few query texts again and again, and
  // lexing the reference page's text on every request is pure waste. The verdict depends on the
  // text alone; the cache is bounded (texts up to 20 kB, cleared at 1,000) so it cannot grow memory.
  const verdicts = new Map<string, boolean>();
  const tooMany = (query: string) => {
    if (query.length > 20_000) return tooManyTokens(query, max);
    let v = verdicts.get(query);
    if (v === undefined) {
      v = tooManyTokens(query, max);
      if (verdicts.size >= 1000) verdicts.clear();
      verdicts.set(query, v);
    }
    return v;
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const query = (req.body as { query?: unknown } | undefined)?.query ?? req.query?.query;
    if (typeof query === 'string' && tooMany(query)) {
      res.status(400).json({ errors: [{ message: `Query has more than ${max} tokens`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
      return;
    }
    next();
  };
}
