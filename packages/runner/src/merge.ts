import type { Obj } from '@cosearch/core';

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep merge of plain objects (arrays and scalars replace). A policy's `params` object is
 * replaced whole: parameters of one policy mean nothing to another. Used by suites (variant
 * overrides) and by problems (preset + overrides).
 */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObj(base) || !isObj(over)) return over === undefined ? base : over;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k === 'params' ? v : deepMerge(base[k], v);
  return out;
}
