import { useWorld } from '../support/use-world';

/**
 * Review: keyset cursors are validated as 1–19 digits, then cast to integer/smallint/bigint in SQL
 * (case.service.ts ORDER[*].param, audit.query.ts). A forged cursor whose key does not fit the
 * column type makes PostgreSQL raise 22003 (numeric out of range), which the formatter does not map:
 * bad input answers INTERNAL_SERVER_ERROR (api-contract: "never a 500 for bad input").
 */
const { server, world } = useWorld();

const cursor = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const ZERO = '00000000-0000-0000-0000-000000000000';

it('Errors: a forged case cursor whose key overflows the column type is BAD_USER_INPUT, not INTERNAL_SERVER_ERROR', async () => {
  const q = 'query($a: String, $f: CaseOrderField!) { cases(after: $a, orderBy: { field: $f, direction: DESC }) { totalCount } }';
  for (const [field, key] of [
    ['NUMBER', '99999999999'],
    ['SEVERITY', '99999'],
    ['CREATED_AT', '9999999999999999999'],
  ]) {
    const code = await server.client.code(q, { a: cursor([field, 'DESC', key, ZERO]), f: field }, world.soc.analyst);
    expect({ field, code }).toEqual({ field, code: 'BAD_USER_INPUT' });
  }
});

it('Errors: a forged audit cursor beyond bigint is BAD_USER_INPUT', async () => {
  const code = await server.client.code(
    'query($a: String) { audit(after: $a) { totalCount } }',
    { a: cursor(['audit', '9999999999999999999']) },
    world.soc['org-admin'],
  );
  expect(code).toBe('BAD_USER_INPUT');
});
