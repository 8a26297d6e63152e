import { ConfigError } from './errors';

/**
 * Small validators for configs parsed from JSON. Each returns the typed value or throws a
 * `ConfigError` naming the field path, the value and what is allowed. Used once at package
 * boundaries; internals trust validated configs.
 */
export type Obj = Record<string, unknown>;

export function asObject(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(path, value, 'an object');
  return value as Obj;
}

export function rejectUnknownKeys(obj: Obj, path: string, known: readonly string[]): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) throw new ConfigError(`${path ? path + '.' : ''}${k}`, obj[k], `a known field (${known.join(', ')})`);
  }
}

export interface NumberRule {
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
  integer?: boolean;
}

function describeRule(r: NumberRule): string {
  const parts: string[] = [r.integer ? 'an integer' : 'a number'];
  if (r.above !== undefined) parts.push(`> ${r.above}`);
  if (r.min !== undefined) parts.push(`>= ${r.min}`);
  if (r.max !== undefined) parts.push(`<= ${r.max}`);
  return parts.join(' ');
}

export function checkNumber(value: unknown, path: string, rule: NumberRule = {}): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.max === undefined || value <= rule.max) &&
    (rule.above === undefined || value > rule.above);
  if (!ok) throw new ConfigError(path, value, describeRule(rule));
  return value as number;
}

/** Reads `obj[key]`, falling back to `dflt` when absent. */
export function numberField(obj: Obj, key: string, path: string, rule: NumberRule = {}, dflt?: number): number {
  const v = obj[key];
  if (v === undefined && dflt !== undefined) return dflt;
  return checkNumber(v, `${path ? path + '.' : ''}${key}`, rule);
}

export function oneOf<T extends string | number | boolean>(value: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new ConfigError(path, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  return value as T;
}

export function stringField(obj: Obj, key: string, path: string, dflt?: string): string {
  const v = obj[key];
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'string' || v.length === 0) throw new ConfigError(`${path ? path + '.' : ''}${key}`, v, 'a non-empty string');
  return v;
}

export function booleanField(obj: Obj, key: string, path: string, dflt?: boolean): boolean {
  const v = obj[key];
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'boolean') throw new ConfigError(`${path ? path + '.' : ''}${key}`, v, 'true or false');
  return v;
}
