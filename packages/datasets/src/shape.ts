import { validateDatasetConfig } from './config';
import { syntheticOptions } from './synthetic';
import type { DatasetConfig } from './types';

export interface DatasetShape {
  height: number;
  width: number;
  channels: number;
  numClasses: number;
}

/** Shapes of the built-in datasets, known without reading any file (MNIST/Fashion 28×28×1, CIFAR 32×32×3). */
const SHAPES: Record<string, (c: DatasetConfig) => DatasetShape> = {
  mnist: () => ({ height: 28, width: 28, channels: 1, numClasses: 10 }),
  'mnist-idx': () => ({ height: 28, width: 28, channels: 1, numClasses: 10 }),
  'fashion-mnist': () => ({ height: 28, width: 28, channels: 1, numClasses: 10 }),
  cifar10: () => ({ height: 32, width: 32, channels: 3, numClasses: 10 }),
  cifar100: (c) => ({ height: 32, width: 32, channels: 3, numClasses: c.labelMode === 'coarse' ? 20 : 100 }),
  synthetic: (c) => {
    const o = syntheticOptions(c.options);
    return { height: o.height, width: o.width, channels: o.channels, numClasses: o.numClasses };
  },
};

/**
 * Input shape and class count of a dataset config without loading it (e.g. to size a network
 * before the data is read), or `undefined` for a user-registered dataset (load it to find out).
 * The config is validated like `loadDataset` does (`names`: the registered dataset names).
 */
export function datasetShape(config: DatasetConfig, names: readonly string[]): DatasetShape | undefined {
  const c = validateDatasetConfig(config, names);
  return SHAPES[c.name]?.(c);
}
