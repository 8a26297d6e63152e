import { asObject, booleanField, numberField, oneOf, rejectUnknownKeys, ConfigError } from '@cosearch/core';

/** Input encodings with T time steps (see encoders.ts for the exact definitions). */
export const ENCODINGS = ['isi', 'rate', 'ttfs'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** What a neuron's membrane does after it spikes. */
export const RESET_MODES = ['subtract', 'zero'] as const;
export type ResetMode = (typeof RESET_MODES)[number];

/**
 * Leaky integrate-and-fire parameters (discrete time, one step = one crossbar read):
 * v[t] = leak·v[t−1] + I[t]; spike when v[t] ≥ threshold; then v ← v − threshold ('subtract')
 * or v ← 0 ('zero'), and the neuron ignores its input for `refractorySteps` steps (v held at 0).
 * `leak` = 1 is a non-leaky integrate-and-fire neuron.
 */
export interface LifParams {
  threshold: number;
  leak: number;
  reset: ResetMode;
  refractorySteps: number;
}

/** A spiking run: encoding, time steps, neuron parameters and how the class is read out. */
export interface SnnConfig extends LifParams {
  encoding: Encoding;
  /** Time steps T per image (every encoding gets the same T). */
  steps: number;
  /** Output-layer threshold as a multiple of `threshold` (higher: later, surer first spike). */
  outputThresholdScale: number;
  /** Seed of the rate encoder's Bernoulli draws (the other encodings are deterministic). */
  seed: number;
  /** Stop an image at the first output spike (TTFS early exit): saves spikes and energy. */
  stopAtFirstSpike: boolean;
}

export const SNN_DEFAULTS: Readonly<SnnConfig> = Object.freeze({
  encoding: 'isi',
  steps: 32,
  threshold: 1,
  leak: 1,
  reset: 'subtract',
  refractorySteps: 0,
  outputThresholdScale: 1,
  seed: 0,
  stopAtFirstSpike: false,
});

const FIELDS = Object.keys(SNN_DEFAULTS);

/** Validates LIF parameters (`path` prefixes the field names in errors). */
export function validateLifParams(raw: unknown, path = 'lif', defaults: LifParams = SNN_DEFAULTS): LifParams {
  const o = asObject(raw, path);
  return {
    threshold: numberField(o, 'threshold', path, { above: 0 }, defaults.threshold),
    leak: numberField(o, 'leak', path, { above: 0, max: 1 }, defaults.leak),
    reset: o.reset === undefined ? defaults.reset : oneOf(o.reset, `${path}.reset`, RESET_MODES),
    refractorySteps: numberField(o, 'refractorySteps', path, { integer: true, min: 0 }, defaults.refractorySteps),
  };
}

/**
 * Validates a partial SNN config from JSON or code and fills defaults; errors are one line
 * naming the field, the value and what is allowed (e.g. `invalid snn.steps: got 0, expected an
 * integer >= 1`).
 */
export function validateSnnConfig(raw: unknown = {}, path = 'snn'): SnnConfig {
  const o = asObject(raw, path);
  rejectUnknownKeys(o, path, FIELDS);
  const d = SNN_DEFAULTS;
  const lif = validateLifParams(o, path, d);
  const steps = numberField(o, 'steps', path, { integer: true, min: 1 }, d.steps);
  const encoding = o.encoding === undefined ? d.encoding : oneOf(o.encoding, `${path}.encoding`, ENCODINGS);
  const cfg: SnnConfig = {
    ...lif,
    encoding,
    steps,
    outputThresholdScale: numberField(o, 'outputThresholdScale', path, { above: 0 }, d.outputThresholdScale),
    seed: numberField(o, 'seed', path, { integer: true }, d.seed),
    stopAtFirstSpike: booleanField(o, 'stopAtFirstSpike', path, d.stopAtFirstSpike),
  };
  if (cfg.refractorySteps >= steps) throw new ConfigError(`${path}.refractorySteps`, cfg.refractorySteps, `an integer < steps (${steps})`);
  return cfg;
}
