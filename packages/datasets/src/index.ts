export * from './types';
export { take, subset, emptyLike, sampleSize, classCounts } from './image-set';
export { apportion, stratifiedSplit, stratifiedSample } from './split';
export { batches, batchCount } from './batches';
export { channelStats, normalise, oneHot } from './transforms';
export { validateDatasetConfig, type ResolvedDatasetConfig } from './config';
export { mnistAll, MNIST_SIZE } from './mnist';
export { datasetRegistry, loadDataset } from './registry';
