import { checkNumber } from '@cosearch/core';
import type { DatasetSplits } from '@cosearch/datasets';
import { hardwareAwarePhase } from './schedule';
import { trainSupernet, TRAIN_DEFAULTS, type LinearOverrideFactory, type TrainOptions, type TrainSummary } from './train';
import type { Supernet } from './supernet';

export interface HardwareAwareOptions extends Omit<TrainOptions, 'phases' | 'mode' | 'epochs' | 'steps' | 'phase1Fraction' | 'phase2Lr' | 'lr' | 'hardwareAwareSteps' | 'hardwareAwareLr' | 'linearOverride'> {
  /** One override per training step (e.g. cim-training's CIM-aware linear with fresh noise and a sampled ADC precision). */
  linearOverride: LinearOverrideFactory;
  steps: number;
  /** Peak lr (default HARDWARE_AWARE_DEFAULTS.lr = 1e-3), short warm-up, cosine to 0. */
  lr?: number;
  warmupSteps?: number;
}

/**
 * Hardware-aware fine-tune of a trained supernet (issue 14 part 2): one `hardwareAwarePhase` —
 * the sandwich sampling of the other phases (largest on labels, smallest + random subnets
 * distilled from it; TRAIN_DEFAULTS.random random subnets unless `samplingParams` say otherwise)
 * with every sampled subnet's static-weight ops (or those `hardwareAwareLayers` selects) through
 * the step's override — continuing the supernet's weights and AdamW state. Checkpoints, resume
 * (`resume: true` on a checkpoint this wrote) and progress lines are `trainSupernet`'s.
 */
export async function hardwareAwareFinetune(net: Supernet, data: DatasetSplits, o: HardwareAwareOptions): Promise<TrainSummary> {
  const steps = checkNumber(o.steps, 'steps', { integer: true, min: 1 });
  const sampling = o.sampling ?? 'sandwich-v1';
  const phase = hardwareAwarePhase({
    steps, lr: o.lr, warmupSteps: o.warmupSteps, vitProbability: o.vitProbability, sampling,
    samplingParams: o.samplingParams ?? (sampling === 'sandwich-v1' ? { random: TRAIN_DEFAULTS.random } : {}),
  });
  if (!o.resume) net.trainState = null;
  return trainSupernet(net, data, { ...o, phases: [phase] });
}
