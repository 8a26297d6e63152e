import { ConfigError, asObject, checkNumber, oneOf, rejectUnknownKeys } from '@cosearch/core';
import type { DatasetConfig } from './types';

const FIELDS = ['name', 'path', 'seed', 'valFraction', 'testFraction', 'limit', 'labelMode', 'options'] as const;

/** A config with the shared defaults filled in (seed 0, valFraction 0.1). */
export type ResolvedDatasetConfig = DatasetConfig & { seed: number; valFraction: number };

/**
 * Checks a dataset config from JSON (or code) at the package boundary. `names` are the
 * registered dataset names. Each error names the field, the value and what is allowed.
 */
export function validateDatasetConfig(raw: unknown, names: readonly string[]): ResolvedDatasetConfig {
  const o = asObject(raw, 'dataset');
  rejectUnknownKeys(o, 'dataset', FIELDS);
  const name = oneOf(o.name, 'dataset.name', names);
  if (o.path !== undefined && (typeof o.path !== 'string' || o.path.length === 0)) {
    throw new ConfigError('dataset.path', o.path, 'a non-empty folder path');
  }
  const seed = o.seed === undefined ? 0 : checkNumber(o.seed, 'dataset.seed', { integer: true });
  const valFraction = o.valFraction === undefined ? 0.1 : checkNumber(o.valFraction, 'dataset.valFraction', { min: 0, max: 0.9 });
  const testFraction = o.testFraction === undefined ? undefined : checkNumber(o.testFraction, 'dataset.testFraction', { min: 0, max: 0.9 });
  if (valFraction + (testFraction ?? 0) >= 1) {
    throw new ConfigError('dataset.valFraction + dataset.testFraction', valFraction + (testFraction ?? 0), 'a sum below 1 (something must remain for training)');
  }
  const limit = o.limit === undefined ? undefined : checkNumber(o.limit, 'dataset.limit', { integer: true, min: 3 });
  const labelMode = o.labelMode === undefined ? undefined : oneOf(o.labelMode, 'dataset.labelMode', ['fine', 'coarse'] as const);
  if (labelMode !== undefined && name !== 'cifar100') throw new ConfigError('dataset.labelMode', labelMode, 'only set for cifar100');
  const options = o.options === undefined ? undefined : asObject(o.options, 'dataset.options');
  return { name, path: o.path as string | undefined, seed, valFraction, testFraction, limit, labelMode, options };
}

/** Rejects `testFraction` for datasets whose files bring their own test split. */
export function rejectTestFraction(config: DatasetConfig): void {
  if (config.testFraction !== undefined) {
    throw new ConfigError('dataset.testFraction', config.testFraction, `not set for ${config.name} (its files have their own test split)`);
  }
}

/** Rejects `path` for datasets that read no files (embedded or generated). */
export function rejectPath(config: DatasetConfig, why: string): void {
  if (config.path !== undefined) throw new ConfigError('dataset.path', config.path, `not set for ${config.name} (${why})`);
}
