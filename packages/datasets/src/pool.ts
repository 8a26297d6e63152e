import { Rng } from '@cosearch/core';
import { stratifiedSample, stratifiedSplit } from './split';
import type { ResolvedDatasetConfig } from './config';

/**
 * Index sets of a dataset that ships as one pool (mnist, synthetic): an optional stratified
 * `limit` subsample, then a stratified train/val/test split (default 80/10/10). Each step draws
 * from its own forked stream of the seed, so the same config always gives the same split.
 */
export function splitPool(
  labels: ArrayLike<number>,
  numClasses: number,
  config: ResolvedDatasetConfig,
): { train: Int32Array; val: Int32Array; test: Int32Array } {
  const rng = new Rng(config.seed);
  const testFraction = config.testFraction ?? 0.1;
  const pool = config.limit !== undefined ? stratifiedSample(labels, numClasses, config.limit, rng.fork('limit')) : undefined;
  const [train, val, test] = stratifiedSplit(labels, numClasses, [1 - config.valFraction - testFraction, config.valFraction, testFraction], rng.fork('split'), pool);
  return { train, val, test };
}

/**
 * Index sets of a dataset with its own train/test files (fashion-mnist, cifar): `limit` is
 * shared between the two files in proportion to their sizes, then validation is carved out of
 * the (sub-sampled) training file, stratified.
 */
export function splitTrainTest(
  trainLabels: ArrayLike<number>,
  testLabels: ArrayLike<number>,
  numClasses: number,
  config: ResolvedDatasetConfig,
): { train: Int32Array; val: Int32Array; test: Int32Array } {
  const rng = new Rng(config.seed);
  let trainPool: Int32Array | undefined;
  let test: Int32Array;
  if (config.limit !== undefined) {
    const nTrain = trainLabels.length, nTest = testLabels.length;
    const wantTrain = Math.round((config.limit * nTrain) / (nTrain + nTest));
    trainPool = stratifiedSample(trainLabels, numClasses, wantTrain, rng.fork('limit-train'));
    test = stratifiedSample(testLabels, numClasses, config.limit - wantTrain, rng.fork('limit-test'));
  } else {
    test = Int32Array.from({ length: testLabels.length }, (_, i) => i);
  }
  const [train, val] = stratifiedSplit(trainLabels, numClasses, [1 - config.valFraction, config.valFraction], rng.fork('split'), trainPool);
  // The test split also comes out in a seeded random order, like the others.
  return { train, val, test: Int32Array.from(rng.fork('test-order').shuffle(Array.from(test))) };
}
