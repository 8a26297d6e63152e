import { ConfigError, type Rng } from '@cosearch/core';
import { sampleSize } from './image-set';
import type { Batch, ImageSet } from './types';

/**
 * Shuffled mini-batches over one epoch: a permutation drawn from `rng`, cut into batches of
 * `batchSize`. Every sample appears exactly once per epoch; the last batch is shorter unless
 * `dropLast` (then the leftover < batchSize samples are skipped this epoch). Images and labels
 * are copies, so callers may hand them to tfjs without aliasing the set. The permutation is
 * drawn when the first batch is requested.
 */
export function batches(set: ImageSet, batchSize: number, rng: Rng, opts: { dropLast?: boolean } = {}): Generator<Batch> {
  // Checked here, eagerly, rather than at the first next() of the generator.
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError('batchSize', batchSize, 'a positive integer');
  return epoch(set, batchSize, rng, opts.dropLast ?? false);
}

function* epoch(set: ImageSet, batchSize: number, rng: Rng, dropLast: boolean): Generator<Batch> {
  const order = rng.permutation(set.n);
  const s = sampleSize(set);
  for (let start = 0; start < set.n; start += batchSize) {
    const n = Math.min(batchSize, set.n - start);
    if (n < batchSize && dropLast) return;
    const indices = order.slice(start, start + n);
    const images = new Float32Array(n * s);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = indices[i];
      images.set(set.images.subarray(k * s, (k + 1) * s), i * s);
      labels[i] = set.labels[k];
    }
    yield { images, labels, n, indices };
  }
}

/** Number of batches `batches` yields for a set of `n` samples. */
export function batchCount(n: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}
