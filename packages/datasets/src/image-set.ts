import { ConfigError } from '@cosearch/core';
import type { ImageSet } from './types';

/** Values per sample (height × width × channels). */
export function sampleSize(set: Pick<ImageSet, 'height' | 'width' | 'channels'>): number {
  return set.height * set.width * set.channels;
}

/** An empty set with the same shape as `like` (e.g. a zero-size validation split). */
export function emptyLike(like: ImageSet): ImageSet {
  return { ...like, images: new Float32Array(0), labels: new Int32Array(0), n: 0 };
}

/** The first `n` samples (copied). Asking for more than the set holds is an error, never a silent short set. */
export function take(set: ImageSet, n: number): ImageSet {
  if (!Number.isInteger(n) || n < 0 || n > set.n) throw new ConfigError('take.n', n, `an integer from 0 to ${set.n}`);
  const s = sampleSize(set);
  return { ...set, images: set.images.slice(0, n * s), labels: set.labels.slice(0, n), n };
}

/** The samples at `indices`, in that order (copied; repeats allowed). */
export function subset(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const s = sampleSize(set);
  const images = new Float32Array(indices.length * s);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    if (!Number.isInteger(k) || k < 0 || k >= set.n) throw new ConfigError(`subset.indices[${i}]`, k, `an integer from 0 to ${set.n - 1}`);
    images.set(set.images.subarray(k * s, (k + 1) * s), i * s);
    labels[i] = set.labels[k];
  }
  return { ...set, images, labels, n: indices.length };
}

/**
 * Builds a float set from 8-bit pixels, picking samples `indices` of a uint8 source laid out
 * sample after sample. `layout` 'hwc' copies as is (IDX, already H×W×1); 'chw' transposes
 * planar CIFAR records to NHWC. `stride` is the bytes per source record, `offset` where the
 * pixels start inside a record (CIFAR records begin with label bytes).
 */
export function fromBytes(
  bytes: Uint8Array,
  indices: ArrayLike<number>,
  shape: { height: number; width: number; channels: number; numClasses: number },
  labels: ArrayLike<number>,
  layout: { kind: 'hwc' | 'chw'; stride: number; offset: number },
): ImageSet {
  const { height: h, width: w, channels: c } = shape;
  const s = h * w * c;
  const images = new Float32Array(indices.length * s);
  const out = new Int32Array(indices.length);
  const scale = 1 / 255;
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    const src = k * layout.stride + layout.offset;
    const dst = i * s;
    if (layout.kind === 'hwc') {
      for (let j = 0; j < s; j++) images[dst + j] = bytes[src + j] * scale;
    } else {
      const plane = h * w;
      for (let ch = 0; ch < c; ch++) {
        for (let p = 0; p < plane; p++) images[dst + p * c + ch] = bytes[src + ch * plane + p] * scale;
      }
    }
    out[i] = labels[k];
  }
  return { images, labels: out, n: indices.length, height: h, width: w, channels: c, numClasses: shape.numClasses };
}

/** Counts per class. */
export function classCounts(labels: ArrayLike<number>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}
