import { createHash } from 'node:crypto';
import { ADMIN_LOGIN, ADMIN_PASSWORD } from '../../support/test-server';
import { PASSWORD } from '../../fixtures/world';
import { useWorld } from '../../support/use-world';
import { purgeExpiredSessions } from '../../../src/modules/auth/auth.service';

const { server, world } = useWorld({ loginMaxAttempts: 3, loginWindowSeconds: 60 });
const gql = () => server.client;
const LOGIN = 'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token user { login memberships { organisation { name } } } } }';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('login and sessions', () => {
  it('logs in with login and password and returns the session and the user', async () => {
    const data = await gql().ok(LOGIN, { l: 'Analyst@SOC.test', p: PASSWORD });
    expect(data.login.user).toEqual({ login: 'analyst@soc.test', memberships: [{ organisation: { name: 'soc' } }] });
    expect(data.login.token).toMatch(/^hs_[\w-]{40,}$/);
  });

  it('stores only a hash of session tokens and API keys', async () => {
    const token = await gql().login('analyst@soc.test', PASSWORD);
    const key = (await gql().ok('mutation { createApiKey(login: "analyst@soc.test") }', {}, { token })).createApiKey;
    const dump = JSON.stringify(await server.sql('SELECT * FROM credential'));
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(key);
    expect(await server.sql('SELECT kind FROM credential WHERE token_hash = $1', [sha256(token)])).toEqual([{ kind: 'SESSION' }]);
    expect(await server.sql('SELECT kind FROM credential WHERE token_hash = $1', [sha256(key)])).toEqual([{ kind: 'API_KEY' }]);
    expect((await gql().ok('{ me { login } }', {}, { token: key })).me.login).toBe('analyst@soc.test');
  });

  it('wrong password, unknown login: UNAUTHENTICATED; malformed login: BAD_USER_INPUT; no session is created', async () => {
    const before = (await server.sql('SELECT count(*)::int AS n FROM credential'))[0].n;
    expect(await gql().code(LOGIN, { l: 'read-only@soc.test', p: 'wrong-password' })).toBe('UNAUTHENTICATED');
    expect(await gql().code(LOGIN, { l: 'nobody@nowhere.test', p: 'whatever-pw' })).toBe('UNAUTHENTICATED');
    expect(await gql().code(LOGIN, { l: '', p: 'x' })).toBe('BAD_USER_INPUT');
    expect(await gql().code(LOGIN, { l: 'x'.repeat(300), p: 'x' })).toBe('BAD_USER_INPUT');
    expect((await server.sql('SELECT count(*)::int AS n FROM credential'))[0].n).toBe(before);
  });

  it('logout ends the session; the token is then UNAUTHENTICATED', async () => {
    const token = await gql().login('incident-handler@soc.test', PASSWORD);
    expect((await gql().ok('mutation { logout }', {}, { token })).logout).toBe(true);
    expect(await gql().code('{ me { login } }', {}, { token })).toBe('UNAUTHENTICATED');
  });

  it('invalid, malformed and missing credentials', async () => {
    expect(await gql().code('{ me { login } }', {}, { token: 'hs_not-a-real-token' })).toBe('UNAUTHENTICATED');
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: '{"query":"{ me { login } }"}',
    });
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await gql().code('{ me { login } }')).toBe('UNAUTHENTICATED');
  });

  it('a stale token does not stop login from working (login is @public)', async () => {
    const data = await gql().ok(LOGIN, { l: ADMIN_LOGIN, p: ADMIN_PASSWORD }, { token: 'hs_stale' });
    expect(data.login.user.login).toBe(ADMIN_LOGIN);
  });

  it('expired sessions are refused', async () => {
    const token = await gql().login('analyst@partner.test', PASSWORD);
    await server.sql(`UPDATE credential SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [sha256(token)]);
    expect(await gql().code('{ me { login } }', {}, { token })).toBe('UNAUTHENTICATED');
  });

  it("expired sessions are purged: a user's own at their next login, everyone's by the purge the server runs hourly", async () => {
    const sessions = async (login: string) =>
      (
        await server.sql(`SELECT c.token_hash AS hash FROM credential c JOIN app_user u ON u.id = c.user_id WHERE u.login = $1 AND c.kind = 'SESSION'`, [login])
      ).map((r) => r.hash);
    const expire = (token: string) => server.sql(`UPDATE credential SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [sha256(token)]);
    const mine = await gql().login('read-only@soc.test', PASSWORD);
    const theirs = await gql().login('analyst@partner.test', PASSWORD);
    await expire(mine);
    await expire(theirs);
    const next = await gql().login('read-only@soc.test', PASSWORD);
    expect(await sessions('read-only@soc.test')).not.toContain(sha256(mine));
    expect(await sessions('read-only@soc.test')).toContain(sha256(next));
    // Another user's expired session stays until the timer's purge, which removes it and nothing valid.
    expect(await sessions('analyst@partner.test')).toContain(sha256(theirs));
    await purgeExpiredSessions(server.app.services.db, 60);
    expect(await sessions('analyst@partner.test')).not.toContain(sha256(theirs));
    expect(await sessions('read-only@soc.test')).toContain(sha256(next));
  });
});

describe('throttling', () => {
  it('after LOGIN_MAX_ATTEMPTS failures in the window even the right password is refused, for that login only', async () => {
    const login = 'analyst@stranger.test';
    for (let i = 0; i < 3; i++) expect(await gql().code(LOGIN, { l: login, p: `bad-${i}` })).toBe('UNAUTHENTICATED');
    expect(await gql().code(LOGIN, { l: login, p: PASSWORD })).toBe('UNAUTHENTICATED');
    await gql().login('org-admin@stranger.test', PASSWORD);
    // Once the window has passed, the right password works again.
    await server.sql(`UPDATE login_throttle SET window_start = window_start - interval '2 minutes' WHERE login = $1`, [login]);
    await gql().login(login, PASSWORD);
  });

  it('a success resets the count', async () => {
    const login = 'read-only@stranger.test';
    for (let i = 0; i < 2; i++) await gql().code(LOGIN, { l: login, p: 'bad-password' });
    await gql().login(login, PASSWORD);
    for (let i = 0; i < 2; i++) await gql().code(LOGIN, { l: login, p: 'bad-password' });
    await gql().login(login, PASSWORD);
  });
});

describe('R28: login attempts are audited', () => {
  it('R28: success and failure each leave one entry, with no secret in it', async () => {
    const login = 'org-admin@partner.test';
    await gql().code(LOGIN, { l: login, p: 'wrong-secret-pw' });
    await gql().login(login, PASSWORD);
    const rows = await server.sql(
      `SELECT a.action, a.details, a.actor_id = u.id AS by_user, a.organisation_id = o.id AS in_org
         FROM audit a, app_user u, organisation o
        WHERE u.login = $1 AND o.name = 'partner' AND a.action LIKE 'login.%' AND a.details->>'login' = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT 2`,
      [login],
    );
    expect(rows.map((r) => r.action)).toEqual(['login.success', 'login.failure']);
    expect(rows.every((r) => r.by_user && r.in_org)).toBe(true);
    expect(rows[1].details).toMatchObject({ login, reason: 'bad-credentials' });
    const all = JSON.stringify(await server.sql('SELECT details FROM audit'));
    expect(all).not.toContain('wrong-secret-pw');
    expect(all).not.toContain(PASSWORD);
  });

  it('R28: a failed attempt for an unknown login is recorded without an actor', async () => {
    await gql().code(LOGIN, { l: 'ghost@nowhere.test', p: 'whatever-pw' });
    const rows = await server.sql(`SELECT actor_id, details FROM audit WHERE action = 'login.failure' AND details->>'login' = 'ghost@nowhere.test'`);
    expect(rows).toEqual([{ actor_id: null, details: { login: 'ghost@nowhere.test', endpoint: 'internal', reason: 'bad-credentials' } }]);
  });
});

describe('errors', () => {
  it('never answers a stack trace or an internal message', async () => {
    const res = await gql().request('{ me { login } }', {}, { token: world.soc.analyst.token });
    expect(JSON.stringify(res)).not.toMatch(/stacktrace|at .*\.ts:\d+/i);
  });

  it('malformed JSON and wrong content types are 4xx with a code, never 5xx', async () => {
    const bad = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
    const text = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{ me { login } }' });
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
  });

  it('a body larger than the limit is 413 with a code', async () => {
    const big = JSON.stringify({ query: `{ me { login } } # ${'x'.repeat(2 * 1024 * 1024)}` });
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});
