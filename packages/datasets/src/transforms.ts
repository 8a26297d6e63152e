import { ConfigError } from '@cosearch/core';
import type { ImageSet } from './types';

/**
 * Per-channel mean and population standard deviation over every pixel of every sample
 * (two passes in float64, so large sets do not lose precision).
 */
export function channelStats(set: ImageSet): { mean: number[]; std: number[] } {
  const c = set.channels;
  const total = set.images.length / c;
  const mean = new Array<number>(c).fill(0);
  const sq = new Array<number>(c).fill(0);
  if (total === 0) return { mean, std: mean.map(() => 1) };
  for (let i = 0; i < set.images.length; i++) mean[i % c] += set.images[i];
  for (let ch = 0; ch < c; ch++) mean[ch] /= total;
  for (let i = 0; i < set.images.length; i++) {
    const d = set.images[i] - mean[i % c];
    sq[i % c] += d * d;
  }
  return { mean, std: sq.map((s) => Math.sqrt(s / total)) };
}

/**
 * Standardises each channel: x' = (x − mean_c) / std_c. Without `mean`/`std` the set's own
 * statistics are used; pass the training set's `channelStats` to normalise val/test the same
 * way. A channel with zero spread is only centred (std taken as 1) instead of dividing by 0.
 */
export function normalise(set: ImageSet, mean?: number[], std?: number[]): ImageSet {
  const c = set.channels;
  if ((mean === undefined) !== (std === undefined)) {
    throw new ConfigError(mean === undefined ? 'normalise.mean' : 'normalise.std', undefined, 'given together with the other (both from channelStats of the training set) or both left out');
  }
  const stats = mean && std ? null : channelStats(set);
  const m = mean ?? stats!.mean;
  const s = std ?? stats!.std;
  if (m.length !== c) throw new ConfigError('normalise.mean', m, `${c} per-channel values`);
  if (s.length !== c) throw new ConfigError('normalise.std', s, `${c} per-channel values`);
  s.forEach((v, i) => {
    if (!Number.isFinite(v) || v < 0) throw new ConfigError(`normalise.std[${i}]`, v, 'a finite number >= 0');
  });
  m.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new ConfigError(`normalise.mean[${i}]`, v, 'a finite number');
  });
  const inv = s.map((v) => (v > 0 ? 1 / v : 1));
  const images = new Float32Array(set.images.length);
  for (let i = 0; i < images.length; i++) images[i] = (set.images[i] - m[i % c]) * inv[i % c];
  return { ...set, images, labels: set.labels.slice() };
}

/** One-hot rows: n × k float32 with a single 1 per row. */
export function oneHot(labels: Int32Array, k: number): Float32Array {
  if (!Number.isInteger(k) || k < 1) throw new ConfigError('oneHot.k', k, 'a positive integer');
  const out = new Float32Array(labels.length * k);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y < 0 || y >= k) throw new ConfigError(`oneHot.labels[${i}]`, y, `an integer from 0 to ${k - 1}`);
    out[i * k + y] = 1;
  }
  return out;
}
