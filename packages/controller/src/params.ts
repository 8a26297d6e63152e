import { asObject, checkNumber, ConfigError, rejectUnknownKeys, type NumberRule } from '@cosearch/core';

/** How one policy parameter is checked: a number rule, or a kind for non-numbers. */
export type ParamRule = NumberRule | 'boolean' | 'string' | 'any';

/**
 * Validates a policy's `params` against its defaults at the boundary: unknown keys and
 * ill-typed values throw a `ConfigError` naming `params.<field>`; absent keys take defaults.
 */
export function readParams<T extends Record<string, unknown>>(
  policy: string,
  raw: Record<string, unknown> | undefined,
  defaults: T,
  rules: { [K in keyof T]: ParamRule },
): T {
  const obj = raw === undefined ? {} : asObject(raw, `${policy} params`);
  rejectUnknownKeys(obj, `${policy} params`, Object.keys(defaults));
  const out: Record<string, unknown> = { ...defaults };
  for (const key of Object.keys(defaults)) {
    const v = obj[key];
    if (v === undefined) continue;
    const rule = rules[key as keyof T];
    const path = `${policy} params.${key}`;
    if (rule === 'boolean') {
      if (typeof v !== 'boolean') throw new ConfigError(path, v, 'true or false');
    } else if (rule === 'string') {
      if (typeof v !== 'string' || v.length === 0) throw new ConfigError(path, v, 'a non-empty string');
    } else if (rule !== 'any') {
      checkNumber(v, path, rule);
    }
    out[key] = v;
  }
  return out as T;
}

/** Checks the seed every policy receives. */
export function checkSeed(seed: unknown): number {
  return checkNumber(seed, 'seed', { integer: true });
}
