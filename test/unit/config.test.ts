import { loadConfig } from '../../src/config';
import { settingsFrom, validateSetting } from '../../src/modules/config/settings';

it('R7: CORTEX_ENABLED defaults to true; "false" disables the connector; anything else is refused at start', () => {
  expect(loadConfig({}).cortexEnabled).toBe(true);
  expect(loadConfig({ CORTEX_ENABLED: 'false' }).cortexEnabled).toBe(false);
  expect(loadConfig({ CORTEX_ENABLED: 'true' }).cortexEnabled).toBe(true);
  expect(() => loadConfig({ CORTEX_ENABLED: 'off' })).toThrow(/CORTEX_ENABLED must be "true" or "false"/);
});

it('numeric settings refuse what is not a non-negative integer', () => {
  expect(loadConfig({ LOGIN_MAX_ATTEMPTS: '3' }).loginMaxAttempts).toBe(3);
  expect(loadConfig({}).loginMaxAttempts).toBe(10);
  expect(() => loadConfig({ WS_IDLE_SECONDS: '-1' })).toThrow(/WS_IDLE_SECONDS/);
});

it('R37: CORTEX_URL (trailing slash dropped), CORTEX_API_KEY, CORTEX_TIMEOUT_MS and CORTEX_POLL_MS', () => {
  const c = loadConfig({ CORTEX_URL: ' http://cortex.test:9001/ ', CORTEX_API_KEY: 'k', CORTEX_TIMEOUT_MS: '2500', CORTEX_POLL_MS: '200' });
  expect([c.cortexUrl, c.cortexApiKey, c.cortexTimeoutMs, c.cortexPollMs]).toEqual(['http://cortex.test:9001', 'k', 2500, 200]);
  expect([loadConfig({}).cortexUrl, loadConfig({}).cortexTimeoutMs, loadConfig({}).cortexPollMs]).toEqual([undefined, 10_000, 1000]);
  expect(() => loadConfig({ CORTEX_TIMEOUT_MS: 'soon' })).toThrow(/CORTEX_TIMEOUT_MS/);
});

it('R36: the changed settings apply over the environment; a stored value this build does not accept is ignored', () => {
  const env = loadConfig({ SESSION_TTL_SECONDS: '600' });
  expect(settingsFrom(env, null).sessionTtlSeconds).toBe(600);
  expect(settingsFrom(env, { sessionTtlSeconds: 120, cortexEnabled: false })).toMatchObject({ sessionTtlSeconds: 120, cortexEnabled: false });
  expect(settingsFrom(env, { sessionTtlSeconds: 'long', retired: 1 }).sessionTtlSeconds).toBe(600);
  expect(() => validateSetting('maxUploadBytes', 2 ** 40)).toThrow(/maxUploadBytes must be an integer/);
});
