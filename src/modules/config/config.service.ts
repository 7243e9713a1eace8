import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one, rows } from '../../db/sql';
import { recordAudit } from '../audit-trail/audit-trail.shared';
import { BadInputError } from '../../errors/app-error';
import { isSettingKey, SETTING_KEYS, SettingKey, settingsFrom, validateSetting } from './settings';

export interface ConfigValueRow {
  key: SettingKey;
  value: unknown;
  source: 'ENVIRONMENT' | 'CHANGED';
}

/** R36: every setting, its value now and whether it was changed at run time. */
export async function listConfig(ctx: RequestContext): Promise<ConfigValueRow[]> {
  const changed = await rows<{ key: string; value: unknown }>(ctx.db, 'SELECT key, value FROM config_setting', []);
  const stored = Object.fromEntries(changed.map((r) => [r.key, r.value]));
  const now = settingsFrom(ctx.config, stored);
  return SETTING_KEYS.map((key) => ({
    key,
    value: now[key],
    // A stored value this build does not accept (settingsFrom ignores it) leaves the environment's in force.
    source: key in stored && acceptable(key, stored[key]) ? 'CHANGED' : 'ENVIRONMENT',
  }));
}

function acceptable(key: string, value: unknown): boolean {
  try {
    validateSetting(key, value);
    return true;
  } catch {
    return false;
  }
}

/**
 * R36: stored in config_setting, which every request reads with its principal (settings.ts): each
 * instance applies it from its next request on. Audited with the value before and after.
 */
export async function setConfig(ctx: RequestContext, key: string, value: unknown): Promise<ConfigValueRow> {
  const ok = validateSetting(key, value);
  await ctx.transaction(async (tx) => {
    const before = await one<{ value: unknown }>(tx, 'SELECT value FROM config_setting WHERE key = $1 FOR UPDATE', [ok.key]);
    const from = before ? settingsFrom(ctx.config, { [ok.key]: before.value })[ok.key] : ctx.config[ok.key];
    await tx.query(
      `INSERT INTO config_setting (key, value, updated_by, updated_at) VALUES ($1, $2::jsonb, $3, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [ok.key, JSON.stringify(ok.value), principalOf(ctx).userId],
    );
    // "setting", not "key": the audit hides fields whose name looks like a secret (audit-trail.shared redact).
    await recordAudit(ctx, tx, { action: 'config.update', objectType: 'Config', details: { setting: ok.key, value: { from, to: ok.value } } });
  });
  ctx.settings = { ...ctx.settings, [ok.key]: ok.value };
  return { key: ok.key, value: ok.value, source: 'CHANGED' };
}

/** R36: back to the environment's value (audited when a change is undone). */
export async function resetConfig(ctx: RequestContext, key: string): Promise<ConfigValueRow> {
  if (!isSettingKey(key)) throw new BadInputError(`Unknown configuration key "${key}"; known keys: ${SETTING_KEYS.join(', ')}`, 'key');
  const value = ctx.config[key];
  await ctx.transaction(async (tx) => {
    const [removed] = await rows<{ value: unknown }>(tx, 'DELETE FROM config_setting WHERE key = $1 RETURNING value', [key]);
    if (removed) {
      await recordAudit(ctx, tx, { action: 'config.reset', objectType: 'Config', details: { setting: key, value: { from: removed.value, to: value } } });
    }
  });
  ctx.settings = { ...ctx.settings, [key]: value };
  return { key, value, source: 'ENVIRONMENT' };
}
