import { attach, createCase, shareCase } from '../fixtures/portal';
import { PASSWORD } from '../fixtures/world';
import { useWorld } from '../support/use-world';
import { startTestServer } from '../support/test-server';
import { requestedRange } from '../../src/modules/attachment/attachment.download';

/** Health, metrics, CORS, Range and GET queries: what operators and browsers on other origins rely on. */
const ALLOWED = 'https://console.example.org';
const METRICS_TOKEN = 'metrics-secret-token';
const { server, world } = useWorld({ corsOrigins: [ALLOWED, 'https://other.example.org'], metricsToken: METRICS_TOKEN });
const CONTENT = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
let attachmentId: string;

beforeAll(async () => {
  const caseId = await createCase(server, world.soc['incident-handler'], 'ops');
  await shareCase(server, world.soc['incident-handler'], caseId, 'partner', 'read-only');
  attachmentId = await attach(server, world.soc.analyst, caseId, { name: 'range.bin', content: CONTENT, type: 'application/octet-stream' });
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('health', () => {
  it('/livez, /readyz and /healthz answer 200 while the database answers and every migration is applied', async () => {
    for (const path of ['/livez', '/readyz', '/healthz']) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(await res.json()).toEqual({ status: 'ok' });
    }
  });

  it('/readyz is 503 when a migration is not applied; /livez stays 200', async () => {
    const [last] = await server.sql<{ id: number; timestamp: string; name: string }>('SELECT id, timestamp, name FROM migrations ORDER BY id DESC LIMIT 1');
    await server.sql('DELETE FROM migrations WHERE id = $1', [last.id]);
    try {
      const res = await get('/readyz');
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unavailable', reason: 'migrations pending' });
      expect((await get('/healthz')).status).toBe(503);
      expect((await get('/livez')).status).toBe(200);
    } finally {
      await server.sql('INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [last.id, last.timestamp, last.name]);
    }
    expect((await get('/readyz')).status).toBe(200);
  });

  it('graceful shutdown turns readiness off first, while requests are still served', async () => {
    const other = await startTestServer({ shutdownDelayMs: 1500 });
    let stopped = false;
    const stopping = other.app.stop().then(() => {
      stopped = true;
    });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const ready = await fetch(`${other.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', reason: 'shutting down' });
      expect((await fetch(`${other.url}/livez`)).status).toBe(200);
      // Still serving: a login works during the delay.
      const res = await other.client.request('mutation { login(login: "admin@thehive.local", password: "wrong") { token } }');
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(stopped).toBe(false);
    } finally {
      await stopping;
      await other.stop();
    }
  });
});

describe('/metrics', () => {
  it('needs the METRICS_TOKEN bearer when one is configured', async () => {
    expect((await get('/metrics')).status).toBe(401);
    expect((await get('/metrics', bearer('wrong'))).status).toBe(401);
    expect((await get('/metrics', bearer(world.admin.token))).status).toBe(401);
    expect((await get('/metrics', bearer(METRICS_TOKEN))).status).toBe(200);
  });

  it('counts HTTP requests, GraphQL operations by bounded name, errors by code and login failures, with no tenant data', async () => {
    await server.client.ok('query CaseList { cases(first: 5) { totalCount } }', {}, world.soc.analyst);
    await server.client.request('query { organisations { name } }', {}, world.soc.analyst);
    await server.client.request('mutation Login { login(login: "analyst@soc.test", password: "not-the-password") { token } }');
    await server.client.request('mutation { a: login(login: "nobody@soc.test", password: "x") { token } }', {}, {}, 'portal');
    expect(await server.client.code('query { organisation(name: "stranger") { name } }', {}, {})).toBe('UNAUTHENTICATED');
    await get(`/attachments/${attachmentId}`, bearer(world.soc.analyst.token));
    // Many distinct names: the label keeps a bounded set, the rest count as "other".
    for (let i = 0; i < 110; i++) await server.client.request(`query Flood${i} { __typename }`);

    const res = await get('/metrics', bearer(METRICS_TOKEN));
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/hive_http_request_duration_seconds_count\{route="\/graphql",method="POST",status="200"\} \d+/);
    expect(text).toMatch(/hive_http_request_duration_seconds_count\{route="\/attachments",method="GET",status="200"\} 1/);
    expect(text).toMatch(/hive_graphql_operation_duration_seconds_count\{endpoint="internal",type="query",operation="CaseList"\} 1/);
    expect(text).toMatch(/hive_graphql_operation_duration_seconds_count\{endpoint="internal",type="query",operation="other"\} \d+/);
    expect(text).toMatch(/hive_graphql_errors_total\{endpoint="internal",code="UNAUTHENTICATED"\} [2-9]/);
    expect(text).toMatch(/hive_login_failures_total\{endpoint="internal",code="UNAUTHENTICATED"\} 1/);
    expect(text).toMatch(/hive_login_failures_total\{endpoint="portal",code="UNAUTHENTICATED"\} 1/);
    expect(text).toMatch(/hive_db_pool_connections\{state="max"\} 5/);
    expect(text).toMatch(/hive_live_feed_subscribers 0/);
    const names = new Set([...text.matchAll(/operation="([^"]+)"/g)].map((m) => m[1]));
    expect(names.size).toBeLessThanOrEqual(100 + 3);
    // No tenant data: no organisation, login, token, id or hash in any label or value.
    const labelValues = [...text.matchAll(/="([^"]*)"/g)].map((m) => m[1]);
    for (const secret of ['soc', 'partner', 'stranger', 'analyst', 'nobody']) expect(labelValues.filter((v) => v.includes(secret))).toEqual([]);
    for (const secret of [world.soc.analyst.token, attachmentId, PASSWORD]) expect(text).not.toContain(secret);
  });
});

describe('CORS_ORIGINS', () => {
  const preflight = (path: string, origin: string, headers = 'authorization, content-type') =>
    fetch(`${server.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
    });

  it('an allowed origin gets its preflight answered and the headers exposed, on GraphQL, downloads and health', async () => {
    for (const path of ['/graphql', '/portal/graphql', `/attachments/${attachmentId}`, '/readyz']) {
      const res = await preflight(path, ALLOWED, 'authorization, x-organisation, range');
      expect([path, res.status]).toEqual([path, 204]);
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
      expect(res.headers.get('access-control-allow-headers')).toMatch(/X-Organisation/);
      expect(res.headers.get('access-control-allow-headers')).toMatch(/Range/);
      expect(res.headers.get('vary')).toMatch(/Origin/);
    }
    const dl = await get(`/attachments/${attachmentId}`, { origin: ALLOWED, ...bearer(world.soc.analyst.token) });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(dl.headers.get('access-control-expose-headers')).toMatch(/X-Request-Id/);
    expect(dl.headers.get('access-control-expose-headers')).toMatch(/Content-Disposition/);
    const gql = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json', ...bearer(world.soc.analyst.token) },
      body: JSON.stringify({ query: '{ organisations { name } }' }),
    });
    expect(gql.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('a refused origin gets no CORS header at all, on preflight and on the answer', async () => {
    for (const origin of ['https://evil.example.net', 'null', `${ALLOWED}.evil.net`, 'http://console.example.org']) {
      const pre = await preflight('/graphql', origin);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      expect(pre.headers.get('access-control-allow-headers')).toBeNull();
      const dl = await get(`/attachments/${attachmentId}`, { origin, ...bearer(world.soc.analyst.token) });
      expect(dl.headers.get('access-control-allow-origin')).toBeNull();
      expect(dl.headers.get('access-control-expose-headers')).toBeNull();
    }
  });

  it('unset: same-origin only, no CORS header for any origin', async () => {
    const other = await startTestServer();
    try {
      const pre = await fetch(`${other.url}/graphql`, { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'POST' } });
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      const res = await fetch(`${other.url}/graphql`, {
        method: 'POST',
        headers: { origin: ALLOWED, 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await other.stop();
    }
  });
});

describe('Range on GET /attachments/:id', () => {
  const ranged = (range: string, token = world.soc.analyst.token, extra: Record<string, string> = {}) =>
    get(`/attachments/${attachmentId}`, { ...bearer(token), range, ...extra });

  it('a single range → 206 with Content-Range and exactly those bytes; suffix and open ranges too', async () => {
    const res = await ranged('bytes=10-19');
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 10-19/${CONTENT.length}`);
    expect(res.headers.get('content-length')).toBe('10');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(CONTENT.subarray(10, 20));
    const suffix = await ranged('bytes=-5');
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(CONTENT.subarray(CONTENT.length - 5));
    const open = await ranged('bytes=990-');
    expect(open.headers.get('content-range')).toBe(`bytes 990-999/${CONTENT.length}`);
    expect(Buffer.from(await open.arrayBuffer())).toEqual(CONTENT.subarray(990));
    const past = await ranged('bytes=995-5000');
    expect(Buffer.from(await past.arrayBuffer())).toEqual(CONTENT.subarray(995));
  });

  it('a range past the end → 416 with the size; several ranges or a stale If-Range → the whole file (200)', async () => {
    const res = await ranged(`bytes=${CONTENT.length}-`);
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe(`bytes */${CONTENT.length}`);
    expect(res.headers.get('content-disposition')).toBeNull();
    const multi = await ranged('bytes=0-1,5-6');
    expect(multi.status).toBe(200);
    expect(Buffer.from(await multi.arrayBuffer())).toEqual(CONTENT);
    const stale = await ranged('bytes=0-1', undefined, { 'if-range': '"0000"' });
    expect(stale.status).toBe(200);
    const whole = await get(`/attachments/${attachmentId}`, bearer(world.soc.analyst.token));
    const fresh = await ranged('bytes=0-1', undefined, { 'if-range': whole.headers.get('etag')! });
    expect(fresh.status).toBe(206);
  });

  it('R13: the visibility decision is unchanged — invisible stays 404 and unauthenticated 401, whatever the range', async () => {
    for (const range of ['bytes=0-1', `bytes=${CONTENT.length}-`]) {
      expect((await ranged(range, world.stranger['org-admin'].token)).status).toBe(404);
      expect((await get(`/attachments/${attachmentId}`, { range })).status).toBe(401);
      expect((await get('/attachments/00000000-0000-0000-0000-000000000000', { range, ...bearer(world.soc.analyst.token) })).status).toBe(404);
    }
    // Visible through the share: partner's read-only member gets the range.
    expect((await ranged('bytes=0-1', world.partner['read-only'].token)).status).toBe(206);
  });

  it('parses ranges as RFC 9110 says', () => {
    expect(requestedRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
    expect(requestedRange('bytes=-20', 10)).toEqual({ start: 0, end: 9 });
    expect(requestedRange('bytes=-0', 10)).toBe('unsatisfiable');
    expect(requestedRange('bytes=5-2', 10)).toBeUndefined();
    expect(requestedRange('items=0-2', 10)).toBeUndefined();
    expect(requestedRange('bytes=0-', 0)).toBe('unsatisfiable');
    expect(requestedRange('bytes=99999999999999999999999-', 10)).toBe('unsatisfiable');
  });
});

describe('GET queries', () => {
  it('are accepted with the bearer header alone; without any non-simple header they are refused (CSRF); mutations never', async () => {
    const q = encodeURIComponent('{ organisations { name } }');
    const ok = await get(`/graphql?query=${q}`, bearer(world.soc.analyst.token));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: { organisations: unknown[] } }).data.organisations.length).toBeGreaterThan(0);
    const csrf = await get(`/graphql?query=${q}`);
    expect(csrf.status).toBe(400);
    const m = encodeURIComponent('mutation { logout }');
    const mutation = await get(`/graphql?query=${m}`, bearer(world.soc.analyst.token));
    expect(mutation.status).toBe(405);
  });
});
