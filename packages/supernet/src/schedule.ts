import { asObject, booleanField, checkNumber, ConfigError, oneOf, rejectUnknownKeys, stringField, type Obj } from '@cosearch/core';
import { samplingRegistry } from './sampling';

/** One training phase: its step budget, learning rate, subnet sampling and ViT-probability schedule. */
export interface PhaseSpec {
  name: string;
  steps: number;
  /** Peak learning rate (AdamW), linear warm-up then cosine decay to 0 within the phase. */
  lr: number;
  warmupSteps: number;
  /** P(ViT) per hybrid slot at the phase start and end; linear over `vitRampFraction` of the phase, then held. */
  vitProbability: [number, number];
  vitRampFraction: number;
  sampling: string;
  samplingParams: Record<string, unknown>;
  /** LR multiplier for non-ViT parameters (e.g. < 1 to protect phase-1 weights in phase 2). */
  sharedLrScale: number;
  /** Static-weight ops run through the trainer's `linearOverride` (hardware-aware training, e.g. CIM effects). Default false. */
  hardwareAware?: boolean;
}

export type TrainMode = 'two' | 'one';

export interface ScheduleOptions {
  mode?: TrainMode;
  /** Total step budget across phases. */
  steps: number;
  /** Share of the budget given to phase 1 (CNN-only) in two-phase mode (default 0.5). */
  phase1Fraction?: number;
  lr?: number;
  /** Phase-2 peak lr (default: lr / 2, a warm restart below the phase-1 peak). */
  phase2Lr?: number;
  /** Target P(ViT) per hybrid slot (default 0.5 = uniform over the two block types). */
  vitProbability?: number;
  sampling?: string;
  samplingParams?: Record<string, unknown>;
  sharedLrScale?: number;
  warmupSteps?: number;
  /** Steps of a hardware-aware phase appended after the others (default 0 = none); see `hardwareAwarePhase`. */
  hardwareAwareSteps?: number;
  /** Its peak lr (default HARDWARE_AWARE_DEFAULTS.lr). */
  hardwareAwareLr?: number;
}

/** Defaults of the hardware-aware phase: a low-lr fine-tune of the trained weights (1/10 of the default peak). */
export const HARDWARE_AWARE_DEFAULTS = { lr: 1e-3 } as const;

/**
 * A hardware-aware phase (issue 14, NeuRRAM-style noise-resilient training): the same sampling
 * as the other phases at the target P(ViT), every sampled subnet's static-weight ops run
 * through the trainer's `linearOverride` (e.g. CIM weight quantisation with straight-through
 * gradients, programming noise and ADC quantisation sampled per step); short warm-up, cosine to 0.
 */
export function hardwareAwarePhase(o: { steps: number; lr?: number; vitProbability?: number; sampling?: string; samplingParams?: Record<string, unknown>; warmupSteps?: number }): PhaseSpec {
  const p = o.vitProbability ?? 0.5;
  return {
    name: 'hardware-aware', steps: o.steps, lr: o.lr ?? HARDWARE_AWARE_DEFAULTS.lr,
    warmupSteps: o.warmupSteps ?? Math.min(20, Math.ceil(o.steps * 0.05)),
    vitProbability: [p, p], vitRampFraction: 0, sampling: o.sampling ?? 'sandwich-v1', samplingParams: o.samplingParams ?? {},
    sharedLrScale: 1, hardwareAware: true,
  };
}

/**
 * Phases for the two training modes at the same total step budget (REFERENCES §2, our H4H-NAS
 * design): `two` = phase 1 CNN-only (P(ViT) = 0), then phase 2 warm-started with ViT unlocked,
 * P(ViT) annealed from 0 to the target over the first half of the phase; `one` = everything
 * unlocked from the first step at the target P(ViT).
 */
export function makePhases(o: ScheduleOptions): PhaseSpec[] {
  const lr = o.lr ?? 1e-2;
  const p = o.vitProbability ?? 0.5;
  const base = {
    sampling: o.sampling ?? 'sandwich-v1',
    samplingParams: o.samplingParams ?? {},
    warmupSteps: o.warmupSteps ?? Math.min(50, Math.ceil(o.steps * 0.05)),
    vitRampFraction: 0.5,
  };
  const hwa = o.hardwareAwareSteps ? [hardwareAwarePhase({ steps: o.hardwareAwareSteps, lr: o.hardwareAwareLr, vitProbability: p, sampling: base.sampling, samplingParams: base.samplingParams })] : [];
  if ((o.mode ?? 'two') === 'one') {
    return [{ ...base, name: 'hybrid', steps: o.steps, lr, vitProbability: [p, p], sharedLrScale: 1 }, ...hwa];
  }
  const s1 = Math.round(o.steps * (o.phase1Fraction ?? 0.5));
  return [
    { ...base, name: 'cnn', steps: s1, lr, vitProbability: [0, 0], sharedLrScale: 1 },
    { ...base, name: 'hybrid', steps: o.steps - s1, lr: o.phase2Lr ?? lr / 2, vitProbability: [0, p], sharedLrScale: o.sharedLrScale ?? 1, warmupSteps: 0 },
    ...hwa,
  ];
}

/** Learning rate at step t of a phase: linear warm-up, then cosine decay to 0. */
export function lrAt(phase: PhaseSpec, t: number): number {
  if (t < phase.warmupSteps) return (phase.lr * (t + 1)) / phase.warmupSteps;
  const span = Math.max(1, phase.steps - phase.warmupSteps);
  return 0.5 * phase.lr * (1 + Math.cos((Math.PI * (t - phase.warmupSteps)) / span));
}

export function vitProbabilityAt(phase: PhaseSpec, t: number): number {
  const [a, b] = phase.vitProbability;
  const ramp = Math.max(1, phase.vitRampFraction * phase.steps);
  return a + (b - a) * Math.min(1, t / ramp);
}

const PHASE_KEYS = ['name', 'steps', 'lr', 'warmupSteps', 'vitProbability', 'vitRampFraction', 'sampling', 'samplingParams', 'sharedLrScale', 'hardwareAware'];

/** Validates user-given phases (JSON). */
export function validatePhases(raw: unknown, path = 'phases'): PhaseSpec[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new ConfigError(path, raw, 'a non-empty list of phases');
  return raw.map((r, i) => {
    const p = `${path}[${i}]`;
    const o: Obj = asObject(r, p);
    rejectUnknownKeys(o, p, PHASE_KEYS);
    const vp = o.vitProbability ?? [0, 0];
    if (!Array.isArray(vp) || vp.length !== 2) throw new ConfigError(`${p}.vitProbability`, vp, '[start, end] probabilities');
    const sampling = stringField(o, 'sampling', p, 'sandwich-v1');
    oneOf(sampling, `${p}.sampling`, samplingRegistry.names());
    const steps = checkNumber(o.steps, `${p}.steps`, { integer: true, min: 1 });
    return {
      name: stringField(o, 'name', p, `phase${i + 1}`),
      steps,
      lr: checkNumber(o.lr ?? 1e-2, `${p}.lr`, { above: 0 }),
      warmupSteps: checkNumber(o.warmupSteps ?? 0, `${p}.warmupSteps`, { integer: true, min: 0 }),
      vitProbability: [checkNumber(vp[0], `${p}.vitProbability[0]`, { min: 0, max: 1 }), checkNumber(vp[1], `${p}.vitProbability[1]`, { min: 0, max: 1 })],
      vitRampFraction: checkNumber(o.vitRampFraction ?? 0.5, `${p}.vitRampFraction`, { min: 0, max: 1 }),
      sampling,
      samplingParams: o.samplingParams === undefined ? {} : asObject(o.samplingParams, `${p}.samplingParams`),
      sharedLrScale: checkNumber(o.sharedLrScale ?? 1, `${p}.sharedLrScale`, { min: 0 }),
      ...(o.hardwareAware === undefined ? {} : { hardwareAware: booleanField(o, 'hardwareAware', p) }),
    };
  });
}
