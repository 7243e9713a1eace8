import type { GqlResponse } from '../support/gql-client';
import type { Endpoint, Harness, Who } from './harness';
import { CODE_TOKEN } from './personas';

/**
 * How to perform one root field of a served schema as a persona, on a named object, and what
 * was observed: an error code token (U/F/NF/BI/C), or a data token checked against the data
 * (ok, ∅, yes, no), or WRONG with the reason when the data is not what the rules say.
 */
export interface Observed {
  token: string;
  detail?: string;
}

export interface Op {
  endpoint: Endpoint;
  /** Root type and field, e.g. Mutation.updateCase. */
  field: string;
  /** The object names this operation knows how to build ('-' when it takes none). */
  objects: readonly string[];
  run(h: Harness, who: Who, object: string): Promise<Observed>;
}

export const wrong = (detail: string): Observed => ({ token: 'WRONG', detail });

/** The error code of the first error, or the check of the data. */
export function outcome<T = any>(res: GqlResponse<T>, check: (data: T) => Observed | string | Promise<Observed | string>): Promise<Observed> | Observed {
  if (res.errors?.length) {
    const code = res.errors[0].extensions?.code ?? 'NO_CODE';
    return { token: CODE_TOKEN[code] ?? code, detail: res.errors[0].message };
  }
  if (!res.data) return { token: 'NO_DATA', detail: `HTTP ${res.status}` };
  const r = check(res.data);
  const wrap = (x: Observed | string): Observed => (typeof x === 'string' ? { token: x } : x);
  return r instanceof Promise ? r.then(wrap) : wrap(r);
}

/** For reads: present (and right) → ok; absent → ∅. */
export const present = (isThere: boolean, rightWhenThere: true | string = true): Observed | string =>
  isThere ? (rightWhenThere === true ? 'ok' : wrong(rightWhenThere)) : '∅';

export const sameSet = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

export function defineOps(ops: Op[]): Record<string, Op> {
  const out: Record<string, Op> = {};
  for (const op of ops) {
    const key = opKey(op.endpoint, op.field);
    if (out[key]) throw new Error(`duplicate op ${key}`);
    out[key] = op;
  }
  return out;
}

export const opKey = (endpoint: Endpoint, field: string) => `${endpoint} ${field}`;
