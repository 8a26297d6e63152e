import { ConfigError, asObject, numberField, oneOf, rejectUnknownKeys, type Obj } from '@cosearch/core';
import { samplingRegistry } from './sampling';
import { validatePhases } from './schedule';
import type { TrainOptions } from './train';

/**
 * The validator of a supernet training-options config section (e.g. a co-search problem's
 * `network.train`): the `trainSupernet` options a config may set, each checked with its field
 * path. Returns the options object as given once valid, ready to spread into `TrainOptions`.
 */
export const TRAIN_CONFIG_KEYS = [
  'phases', 'mode', 'epochs', 'steps', 'phase1Fraction', 'lr', 'phase2Lr', 'vitProbability', 'sampling', 'samplingParams', 'sharedLrScale',
  'batchSize', 'weightDecay', 'augmentShift', 'labelSmoothing', 'logEvery', 'conflictEvery', 'checkpointEvery', 'hardwareAwareSteps', 'hardwareAwareLr',
] as const;

export type TrainConfig = Pick<TrainOptions, (typeof TRAIN_CONFIG_KEYS)[number]>;

export function validateTrainConfig(raw: unknown, p = 'train'): TrainConfig {
  const o = asObject(raw ?? {}, p);
  rejectUnknownKeys(o, p, TRAIN_CONFIG_KEYS);
  const out: Obj = {};
  const num = (k: string, opts: NonNullable<Parameters<typeof numberField>[3]>) => {
    if (o[k] !== undefined) out[k] = numberField(o, k, p, { ...opts, max: Math.min(opts.max ?? Infinity, 1e9) });
  };
  for (const k of ['epochs', 'lr', 'phase2Lr', 'weightDecay', 'labelSmoothing']) num(k, { min: 0 });
  for (const k of ['steps', 'batchSize', 'logEvery', 'checkpointEvery']) num(k, { integer: true, min: 1 });
  for (const k of ['hardwareAwareSteps', 'conflictEvery', 'augmentShift']) num(k, { integer: true, min: 0 });
  num('hardwareAwareLr', { above: 0 });
  num('sharedLrScale', { min: 0 });
  for (const k of ['phase1Fraction', 'vitProbability']) num(k, { min: 0, max: 1 });
  if (o.labelSmoothing !== undefined && (out.labelSmoothing as number) >= 1) throw new ConfigError(`${p}.labelSmoothing`, o.labelSmoothing, 'a number in [0, 1)');
  if (o.mode !== undefined) out.mode = oneOf(o.mode, `${p}.mode`, ['two', 'one'] as const);
  if (o.sampling !== undefined) out.sampling = oneOf(o.sampling, `${p}.sampling`, samplingRegistry.names());
  if (o.samplingParams !== undefined) out.samplingParams = asObject(o.samplingParams, `${p}.samplingParams`);
  if (o.phases !== undefined) {
    validatePhases(o.phases, `${p}.phases`);
    out.phases = o.phases;
  }
  // the options as written (same keys, same order: the supernet cache key hashes them)
  return o as TrainConfig;
}
