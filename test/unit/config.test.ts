import { loadConfig } from '../../src/config';

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
