import { Harness, pool } from './harness';
import type { Row } from './matrix.table';
import { Observed, Op, opKey } from './ops';
import { INTERNAL_OPS } from './ops-internal';
import { PORTAL_OPS } from './ops-portal';
import { ALERT_OPS } from './ops-alerts';
import { parseExpect, PERSONAS } from './personas';

/**
 * The one generic runner of the matrix: for each table row, every persona performs the row's
 * operation on an object of the row's kind (made for that cell when the operation writes),
 * and the observed outcome is compared with the table. A row is one test; its failure lists
 * every cell that disagrees with the rules.
 */

export const OPS: Record<string, Op> = { ...INTERNAL_OPS, ...PORTAL_OPS, ...ALERT_OPS };

/** Cells of one row run side by side, at most this many at once (the test database pool has 5 connections). */
const CONCURRENCY = 6;

export function opOf(row: Row): Op {
  const op = OPS[opKey(row.endpoint, row.field)];
  if (!op) throw new Error(`no operation for ${row.endpoint} ${row.field}`);
  if (!op.objects.includes(row.object)) throw new Error(`${row.field} knows no object "${row.object}" (it knows ${op.objects.join(', ')})`);
  return op;
}

export async function runRow(h: Harness, row: Row): Promise<string[]> {
  const op = opOf(row);
  const expected = parseExpect(row.expect);
  const observed = await pool(PERSONAS, CONCURRENCY, async (k): Promise<Observed> => {
    try {
      return await op.run(h, h.who[k], row.object);
    } catch (e) {
      return { token: 'THREW', detail: (e as Error).message };
    }
  });
  return PERSONAS.flatMap((k, n) =>
    observed[n].token === expected[k] ? [] : [`${k}: expected ${expected[k]}, got ${observed[n].token}${observed[n].detail ? ` (${observed[n].detail})` : ''}`],
  );
}

/** One file: one server and world (built once), then one test per row. */
export function describeMatrix(title: string, rows: Row[]): void {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });
  describe(title, () => {
    for (const row of rows) {
      it(`${row.rules}: ${row.endpoint} ${row.field} on ${row.object}`, async () => {
        expect(await runRow(h, row)).toEqual([]);
      }, 60_000);
    }
  });
}
