import type { Config } from '../../config';
import type { Queryable } from '../../db/sql';
import { one } from '../../db/sql';
import { BadInputError } from '../../errors/app-error';

/**
 * R36: the platform settings an administrator may change at run time (api-contract.md, "Configuration").
 * Each starts from the environment (src/config.ts); a change is a row of `config_setting`.
 */
export const SETTING_KEYS = ['sessionTtlSeconds', 'invitationTtlSeconds', 'maxUploadBytes', 'cortexEnabled', 'loginMaxAttempts', 'loginWindowSeconds'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];
export type Settings = Pick<Config, SettingKey>;

type Rule = { kind: 'int'; min: number; max: number } | { kind: 'bool' };

const TEN_YEARS = 10 * 365 * 24 * 3600;
/** The largest upload limit a setting may ask for; graphql-upload's own cut-off is set to it (app.ts). */
export const MAX_UPLOAD_CEILING = 10 * 1024 ** 3;

const RULES: Record<SettingKey, Rule> = {
  sessionTtlSeconds: { kind: 'int', min: 60, max: TEN_YEARS },
  invitationTtlSeconds: { kind: 'int', min: 60, max: TEN_YEARS },
  maxUploadBytes: { kind: 'int', min: 1, max: MAX_UPLOAD_CEILING },
  cortexEnabled: { kind: 'bool' },
  loginMaxAttempts: { kind: 'int', min: 1, max: 1_000_000 },
  loginWindowSeconds: { kind: 'int', min: 1, max: TEN_YEARS },
};

export function isSettingKey(key: string): key is SettingKey {
  return (SETTING_KEYS as readonly string[]).includes(key);
}

/** BAD_USER_INPUT naming the key unless it is a known key with a value of its type and range. */
export function validateSetting(key: string, value: unknown): { key: SettingKey; value: number | boolean } {
  if (!isSettingKey(key)) throw new BadInputError(`Unknown configuration key "${key}"; known keys: ${SETTING_KEYS.join(', ')}`, 'key');
  const rule = RULES[key];
  if (rule.kind === 'bool') {
    if (typeof value !== 'boolean') throw new BadInputError(`${key} must be true or false`, key);
    return { key, value };
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < rule.min || value > rule.max) {
    throw new BadInputError(`${key} must be an integer from ${rule.min} to ${rule.max}`, key);
  }
  return { key, value };
}

/** The environment's values with the run-time changes on top; a stored value that no longer validates is ignored. */
export function settingsFrom(config: Config, changed: Record<string, unknown> | null | undefined): Settings {
  const out = Object.fromEntries(SETTING_KEYS.map((k) => [k, config[k]])) as Record<SettingKey, number | boolean>;
  for (const [k, v] of Object.entries(changed ?? {})) {
    try {
      const ok = validateSetting(k, v);
      out[ok.key] = ok.value;
    } catch {
      /* a key or range of an older/newer build: the environment's value stands */
    }
  }
  return out as unknown as Settings;
}

/**
 * The changed settings as one JSON object: a column of the principal statement that every
 * authenticated request runs anyway (auth/principal.ts), so every instance sees a change at
 * its next request without an extra statement or a cache to invalidate.
 */
export const CHANGED_SETTINGS_SQL = `(SELECT jsonb_object_agg(cs.key, cs.value) FROM config_setting cs)`;

/** The same for requests without a principal row (anonymous: login, acceptInvitation): one statement. */
export async function loadSettings(db: Queryable, config: Config): Promise<Settings> {
  const row = await one<{ changed: Record<string, unknown> | null }>(db, `SELECT ${CHANGED_SETTINGS_SQL} AS changed`, []);
  return settingsFrom(config, row?.changed);
}
