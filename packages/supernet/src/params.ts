import type { Rng } from '@cosearch/core';
import type { SupernetConfig } from './config';
import { supernetParams, type ParamSpec } from './network';

export type { ParamSpec, ParamRole } from './network';

/**
 * Every tensor of the supernet at its largest size, derived from the network description
 * (`supernetParams`: the tensors the ops of the largest subnets read). Convolutions have no bias
 * (a BN follows); 1×1 convs are stored as [in, out] matrices (they run as matMul). Every BN
 * starts with γ = 1: zero-initialising the last BN of each residual block (BigNAS) made the short
 * CPU-budget runs learn ≈2× slower on MNIST (measured: loss 1.99 vs 1.37 after 40 steps, smallest
 * subnet), as the blocks' receptive field is unused until γ grows. ViT output projections start small.
 */
export function paramSpecs(cfg: SupernetConfig): ParamSpec[] {
  return supernetParams(cfg).map((p) => p.spec);
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Initial values from the seeded Rng (normal with the spec's std, or the spec's constant). */
export function initialValues(spec: ParamSpec, rng: Rng): Float32Array {
  const a = new Float32Array(sizeOf(spec.shape));
  if (spec.std !== undefined) for (let i = 0; i < a.length; i++) a[i] = rng.normal(0, spec.std);
  else a.fill(spec.init ?? 0);
  return a;
}
