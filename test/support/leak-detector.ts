import { randomBytes } from 'node:crypto';

/**
 * The leak detector of the portal tests (R27): every internal value a test plants is a unique
 * marker `zq-secret-<label>-<run>`, and a response leaks when it contains one. Markers are
 * lower-case ASCII (they survive JSON, URLs, login normalisation and Content-Disposition
 * encoding unchanged), so a plain substring search finds them wherever they end up.
 *
 * A request must never carry a secret itself (an error message may rightly echo its input):
 * use assertNotIn on what is sent.
 */
export const SECRET_PREFIX = 'zq-secret-';

export class Secrets {
  readonly run = randomBytes(4).toString('hex');
  private readonly values = new Map<string, string>();

  /** A new secret; each label is planted once. Labels: lower-case letters, digits and '-'. */
  plant(label: string): string {
    if (!/^[a-z0-9-]+$/.test(label)) throw new Error(`secret label "${label}": use lower-case letters, digits and '-'`);
    if (this.values.has(label)) throw new Error(`secret "${label}" planted twice`);
    const value = `${SECRET_PREFIX}${label}-${this.run}`;
    this.values.set(label, value);
    return value;
  }

  get size(): number {
    return this.values.size;
  }

  labels(): string[] {
    return [...this.values.keys()];
  }

  valueOf(label: string): string {
    const v = this.values.get(label);
    if (!v) throw new Error(`no secret "${label}"`);
    return v;
  }

  /**
   * The labels of the secrets found in any of the bodies, sorted. A fragment of the marker that
   * matches no planted secret in full (a truncated or transformed secret) is reported too, as
   * `?<context>`, so an altered leak is not missed.
   */
  leaksIn(bodies: Iterable<string>): string[] {
    const found = new Set<string>();
    for (const body of bodies) {
      if (!body.includes(SECRET_PREFIX) && !body.includes(this.run)) continue;
      let matched = false;
      for (const [label, value] of this.values) {
        if (body.includes(value)) {
          found.add(label);
          matched = true;
        }
      }
      if (!matched) {
        const at = Math.max(body.indexOf(SECRET_PREFIX), body.indexOf(this.run));
        found.add(`?${body.slice(Math.max(0, at - 40), at + 60)}`);
      }
    }
    return [...found].sort();
  }

  /** Fails loudly when a request carries a secret (the test, not the server, would be wrong). */
  assertNotIn(request: string): void {
    if (request.includes(SECRET_PREFIX) || request.includes(this.run)) throw new Error(`test bug: a request carries a secret: ${request.slice(0, 300)}`);
  }
}
