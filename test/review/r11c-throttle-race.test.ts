import { PASSWORD } from '../fixtures/world';
import { useWorld } from '../support/use-world';

/**
 * Review finding 4 (R11c): 300 parallel wrong passwords for one login were all checked (the
 * failures were counted before any was recorded); 30 aliased logins in one request ran 30
 * password checks and opened 30 sessions.
 */
const { server } = useWorld({ loginMaxAttempts: 10 });
const LOGIN = 'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }';

it('R11c: of 300 parallel wrong passwords, at most LOGIN_MAX_ATTEMPTS are checked', async () => {
  const login = 'analyst@stranger.test';
  await Promise.all(Array.from({ length: 300 }, (_, i) => server.client.code(LOGIN, { l: login, p: `wrong-${i}` })));
  const checked = await server.sql(
    `SELECT count(*)::int AS n FROM audit WHERE action = 'login.failure' AND details->>'login' = $1 AND details->>'reason' = 'bad-credentials'`,
    [login],
  );
  expect(checked[0].n).toBeLessThanOrEqual(10);
  expect(checked[0].n).toBeGreaterThan(0);
  // Throttled: even the right password is refused now.
  expect(await server.client.code(LOGIN, { l: login, p: PASSWORD })).toBe('UNAUTHENTICATED');
});

it('R11c: one request performs at most one login, whatever its aliases', async () => {
  const login = 'analyst@soc.test';
  const sessionsBefore = (
    await server.sql(`SELECT count(*)::int AS n FROM credential c JOIN app_user u ON u.id = c.user_id WHERE u.login = $1 AND c.kind = 'SESSION'`, [login])
  )[0].n;
  const query = `mutation { ${Array.from({ length: 30 }, (_, i) => `l${i}: login(login: "${login}", password: "${PASSWORD}") { token }`).join(' ')} }`;
  const res = await server.client.request(query);
  const tokens = Object.values(res.data ?? {}).filter(Boolean);
  expect(tokens.length).toBeLessThanOrEqual(1);
  const sessionsAfter = (
    await server.sql(`SELECT count(*)::int AS n FROM credential c JOIN app_user u ON u.id = c.user_id WHERE u.login = $1 AND c.kind = 'SESSION'`, [login])
  )[0].n;
  expect(sessionsAfter - sessionsBefore).toBe(1);
  expect(res.errors?.every((e) => e.extensions?.code === 'BAD_USER_INPUT')).toBe(true);
  // The other side: a later request logs in normally.
  await server.client.login(login, PASSWORD);
});
