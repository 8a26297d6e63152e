import { Registry, rejectUnknownKeys } from '@cosearch/core';
import { floatScheme } from './float';
import { hwaScheme } from './hwa';
import { MIXED_PRECISION_DEFAULTS, mixedPrecisionScheme } from './mixed-precision';
import { naiveScheme } from './naive';
import type { TrainingScheme } from './types';

/** Training schemes by versioned name; `create(name, params)` gives a fresh scheme instance. */
export const schemeRegistry = new Registry<TrainingScheme, Record<string, unknown>>('training scheme');

schemeRegistry.register({ name: 'float-v1', description: 'floating-point SGD baseline, ideal matrix products', create: (c) => (rejectUnknownKeys(c, 'scheme', []), floatScheme()) });
schemeRegistry.register({
  name: 'naive-v1',
  description: 'naive in-situ analog SGD: each update stochastically rounded to device pulses at once',
  defaults: { maxPulses: 31 },
  create: (c) => (rejectUnknownKeys(c, 'scheme', ['maxPulses']), naiveScheme(c)),
});
schemeRegistry.register({
  name: 'mixed-precision-v1',
  description: 'digital χ accumulator, threshold ε = k·dw_min, pulse cap, optional bulk programming / program-and-verify',
  defaults: { ...MIXED_PRECISION_DEFAULTS },
  create: (c) => (rejectUnknownKeys(c, 'scheme', Object.keys(MIXED_PRECISION_DEFAULTS)), mixedPrecisionScheme(c)),
});
schemeRegistry.register({
  name: 'hwa-v1',
  description: 'NeuRRAM-style noise-aware training: quantised weights + noise σ = α·max|W| per batch, learned activation clip',
  defaults: { weightBits: 4, noise: 0.1, activationBits: 4 },
  create: (c) => (rejectUnknownKeys(c, 'scheme', ['weightBits', 'noise', 'activationBits']), hwaScheme(c)),
});

/** Short CLI aliases → registry names. */
export const SCHEME_ALIASES: Readonly<Record<string, string>> = {
  float: 'float-v1',
  naive: 'naive-v1',
  'mixed-precision': 'mixed-precision-v1',
  hwa: 'hwa-v1',
};

export function createScheme(name: string, params: Record<string, unknown> = {}): TrainingScheme {
  return schemeRegistry.create(SCHEME_ALIASES[name] ?? name, params);
}
