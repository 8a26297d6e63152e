import { checkNumber, Registry, booleanField, type Rng } from '@cosearch/core';
import type { SupernetConfig } from './config';
import { largestArch, sampleArch, smallestArch, type SubnetArch } from './arch';

/** One subnet trained in a step: what it learns from (labels, or the largest subnet's soft predictions). */
export interface SubnetPlan {
  arch: SubnetArch;
  role: 'largest' | 'smallest' | 'random';
  target: 'labels' | 'teacher';
}

export interface SamplingContext {
  config: SupernetConfig;
  rng: Rng;
  /** Probability that a slot allowing both types is a ViT block (phase schedule). */
  vitProbability: number;
}

/** Chooses the subnets of one training step. A plan with target 'teacher' must follow a 'largest' one. */
export interface SamplingStrategy {
  readonly name: string;
  plan(ctx: SamplingContext): SubnetPlan[];
}

/** Sampling strategies by versioned name (`cosearch list sampling`). */
export const samplingRegistry = new Registry<SamplingStrategy, Record<string, unknown>>('sampling strategy');

samplingRegistry.register({
  name: 'spos-v1',
  description: 'Uniform single path one-shot (Guo et al. 2020): one uniformly sampled subnet per step, trained on labels',
  defaults: {},
  create: () => ({
    name: 'spos-v1',
    plan: (ctx) => [{ arch: sampleArch(ctx.config, ctx.rng, ctx.vitProbability), role: 'random', target: 'labels' }],
  }),
});

samplingRegistry.register({
  name: 'sandwich-v1',
  description: 'Sandwich rule + in-place distillation (BigNAS 2020): largest on labels; smallest and N random subnets learn its soft predictions; gradients summed',
  defaults: { random: 2, distill: true },
  create: (params) => {
    const random = params.random === undefined ? 2 : checkNumber(params.random, 'sampling.random', { integer: true, min: 0 });
    const distill = booleanField(params, 'distill', 'sampling', true);
    const target: SubnetPlan['target'] = distill ? 'teacher' : 'labels';
    return {
      name: 'sandwich-v1',
      plan: (ctx) => [
        { arch: largestArch(ctx.config), role: 'largest', target: 'labels' },
        { arch: smallestArch(ctx.config), role: 'smallest', target },
        ...Array.from({ length: random }, () => ({ arch: sampleArch(ctx.config, ctx.rng, ctx.vitProbability), role: 'random' as const, target })),
      ],
    };
  },
});
