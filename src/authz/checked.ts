import type { EntityManager } from 'typeorm';
import type { RowLock } from './case-access';

/**
 * The object a root field's `@requires(on: …)` rule loaded and checked, handed to the resolver.
 * `row` is what the rule saw; `lock(tx, lock)` loads it again inside the write's transaction with
 * the row lock the write needs and re-checks the same rule (R11b: a right lost while the request
 * was in flight — a share removed or downgraded — stops the write).
 */
export interface Checked<T> {
  readonly id: string;
  readonly row: T;
  lock(tx: EntityManager, lock: RowLock): Promise<T>;
}

/** Filled by the generated rules (directives.ts), keyed by the field's own args object. */
const byArgs = new WeakMap<object, Map<string, Checked<unknown>>>();

export function recordChecked(args: object, arg: string, target: Checked<unknown>): void {
  let m = byArgs.get(args);
  if (!m) byArgs.set(args, (m = new Map()));
  m.set(arg, target);
}

/**
 * The checked object of argument `arg` (default: the field's only one). A resolver asking for an
 * object its field does not declare is a programming error: it fails loudly instead of acting unchecked.
 */
export function checked<T>(args: object, arg?: string): Checked<T> {
  const m = byArgs.get(args);
  const target = arg ? m?.get(arg) : m?.size === 1 ? [...m.values()][0] : undefined;
  if (!target) throw new Error(`No checked object for argument ${arg ?? '(only)'}: declare it with @requires(on: …, arg: …) in the SDL`);
  return target as Checked<T>;
}
