import { Rng, asObject, numberField, rejectUnknownKeys } from '@cosearch/core';
import { rejectPath, type ResolvedDatasetConfig } from './config';
import { splitPool } from './pool';
import { subset } from './image-set';
import type { DatasetSplits, ImageSet } from './types';

/** Shape and difficulty of the synthetic set (all optional; defaults below). */
export interface SyntheticOptions {
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  /** Samples before splitting (`limit`, when set, caps it). */
  samples: number;
  /** Standard deviation of the additive Gaussian pixel noise (pattern amplitude is 0.4). */
  noise: number;
}

export const SYNTHETIC_DEFAULTS: SyntheticOptions = { height: 8, width: 8, channels: 1, numClasses: 4, samples: 400, noise: 0.25 };

export function syntheticOptions(raw: Record<string, unknown> | undefined): SyntheticOptions {
  const o = asObject(raw ?? {}, 'dataset.options');
  rejectUnknownKeys(o, 'dataset.options', Object.keys(SYNTHETIC_DEFAULTS));
  const d = SYNTHETIC_DEFAULTS;
  const int = (k: keyof SyntheticOptions, min: number, max: number) => numberField(o, k, 'dataset.options', { integer: true, min, max }, d[k]);
  return {
    height: int('height', 1, 256),
    width: int('width', 1, 256),
    channels: int('channels', 1, 16),
    numClasses: int('numClasses', 2, 100),
    samples: int('samples', 3, 1_000_000),
    noise: numberField(o, 'noise', 'dataset.options', { min: 0, max: 10 }, d.noise),
  };
}

/**
 * Class prototype c: a sinusoidal grating, orientation θ_c = π·c/K, two cycles across the
 * image, phase shifted by π/3 per channel, amplitude 0.4 around 0.5. Distinct orientations make
 * the classes separable by a small CNN (or nearest-centroid) while noise keeps it non-trivial.
 */
export function syntheticPrototype(c: number, o: SyntheticOptions): Float32Array {
  const { height: h, width: w, channels: ch, numClasses: k } = o;
  const theta = (Math.PI * c) / k;
  const out = new Float32Array(h * w * ch);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = (x / w) * Math.cos(theta) + (y / h) * Math.sin(theta);
      for (let j = 0; j < ch; j++) out[(y * w + x) * ch + j] = 0.5 + 0.4 * Math.sin(2 * Math.PI * 2 * u + (j * Math.PI) / 3);
    }
  }
  return out;
}

/** The whole synthetic pool: balanced classes (sample i has class i mod K), pixels clipped to [0,1]. */
export function syntheticPool(o: SyntheticOptions, seed: number): ImageSet {
  const rng = new Rng(seed).fork('synthetic-pixels');
  const s = o.height * o.width * o.channels;
  const protos = Array.from({ length: o.numClasses }, (_, c) => syntheticPrototype(c, o));
  const images = new Float32Array(o.samples * s);
  const labels = new Int32Array(o.samples);
  for (let i = 0; i < o.samples; i++) {
    const c = i % o.numClasses;
    labels[i] = c;
    for (let j = 0; j < s; j++) images[i * s + j] = Math.min(1, Math.max(0, protos[c][j] + rng.normal(0, o.noise)));
  }
  return { images, labels, n: o.samples, height: o.height, width: o.width, channels: o.channels, numClasses: o.numClasses };
}

/** A small seeded dataset for fast tests of other packages (default 8×8×1, 4 classes, 400 samples, 320/40/40). */
export function loadSynthetic(config: ResolvedDatasetConfig): DatasetSplits {
  rejectPath(config, 'it is generated from the seed');
  const o = syntheticOptions(config.options);
  const pool = syntheticPool(o, config.seed);
  const idx = splitPool(pool.labels, o.numClasses, config);
  return {
    name: 'synthetic',
    train: subset(pool, idx.train),
    val: subset(pool, idx.val),
    test: subset(pool, idx.test),
    classNames: Array.from({ length: o.numClasses }, (_, c) => `grating-${Math.round((180 * c) / o.numClasses)}deg`),
  };
}
