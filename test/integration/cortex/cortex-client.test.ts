import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../src/config';
import { cortexCall, CortexError } from '../../../src/modules/cortex/cortex.client';
import { CortexServer, startCortexServer } from '../../support/cortex-server';

/** R37: how each way a Cortex call can go wrong becomes a readable reason, transient (retried) or not. */
let cortex: CortexServer;
beforeAll(async () => {
  cortex = await startCortexServer({ slowMs: 4000 });
});
afterAll(async () => {
  await cortex.stop();
});

const config = (over: Record<string, string> = {}) => loadConfig({ CORTEX_URL: cortex.url, CORTEX_API_KEY: cortex.apiKey, CORTEX_TIMEOUT_MS: '1000', ...over });

async function failure(run: Promise<unknown>): Promise<{ message: string; transient: boolean }> {
  const e = await run.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof CortexError)) throw new Error(`expected a CortexError, got ${String(e)}`);
  return { message: e.message, transient: e.transient };
}

it('R37: a wrong API key is refused for good, naming CORTEX_API_KEY; no URL is refused for good, naming CORTEX_URL', async () => {
  expect(await failure(cortexCall(config({ CORTEX_API_KEY: 'wrong' }), 'POST', '/api/analyzer/normal-a/run', {}))).toEqual({
    message: 'Cortex refused the API key (401); check CORTEX_API_KEY',
    transient: false,
  });
  expect(await failure(cortexCall(loadConfig({}), 'GET', '/api/job/x'))).toEqual({
    message: 'Cortex is not configured on this server (CORTEX_URL is not set)',
    transient: false,
  });
});

it('R37: 500, malformed JSON, no answer in time and a closed port are transient; 404 is not', async () => {
  expect(await failure(cortexCall(config(), 'POST', '/api/analyzer/fail500-x/run', {}))).toEqual({
    message: 'Cortex answered 500: Cortex is broken (fixture)',
    transient: true,
  });
  expect(await failure(cortexCall(config(), 'POST', '/api/analyzer/malformed-x/run', {}))).toEqual({
    message: 'Cortex answered something that is not JSON',
    transient: true,
  });
  const started = Date.now();
  expect(await failure(cortexCall(config(), 'POST', '/api/analyzer/slow-x/run', {}))).toEqual({
    message: 'Cortex did not answer within 1000 ms',
    transient: true,
  });
  expect(Date.now() - started).toBeLessThan(3000);
  const closed = await failure(cortexCall(config({ CORTEX_URL: 'http://127.0.0.1:1' }), 'GET', '/api/job/x'));
  expect(closed).toEqual({ message: expect.stringMatching(/^Cortex could not be reached \(/), transient: true });
  expect(await failure(cortexCall(config(), 'GET', '/api/job/nope'))).toEqual({ message: 'Cortex has no such job (404): job not found', transient: false });
});

it('R37: the key is never carried to another address by a redirect', async () => {
  const seen: Array<string | undefined> = [];
  const elsewhere = http.createServer((req, res) => {
    seen.push(req.headers.authorization);
    res.end('{}');
  });
  await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
  const redirecting = http.createServer((_req, res) => {
    res.writeHead(302, { location: `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/` });
    res.end();
  });
  await new Promise<void>((r) => redirecting.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
    expect((await failure(cortexCall(config({ CORTEX_URL: url }), 'GET', '/api/job/x'))).transient).toBe(true);
    expect(seen).toEqual([]);
  } finally {
    redirecting.close();
    elsewhere.close();
  }
});
