import type { Rng } from '@cosearch/core';
import { maxOf, seChannels, stageSizes, type SupernetConfig } from './config';
import { transitionKernel } from './layers';

/** How a parameter is initialised and whether it is a static weight (CIM-mappable, weight-decayed). */
export type ParamRole = 'weight' | 'bias' | 'gamma' | 'beta' | 'pos';

export interface ParamSpec {
  name: string;
  shape: number[];
  role: ParamRole;
  /** Init std for weights (He/Glorot from the full shape) or constant for gamma/beta/bias. */
  std?: number;
  init?: number;
  /** True for ViT-only parameters (unused by CNN-only subnets). */
  vit?: boolean;
}

/**
 * Every tensor of the supernet at its largest size. Convolutions have no bias (a BN follows);
 * 1×1 convs are stored as [in, out] matrices (they run as matMul). Every BN starts with γ = 1:
 * zero-initialising the last BN of each residual block (BigNAS) made the short CPU-budget runs
 * learn ≈2× slower on MNIST (measured: loss 1.99 vs 1.37 after 40 steps, smallest subnet), as the
 * blocks' receptive field is unused until γ grows. ViT output projections start small.
 */
export function paramSpecs(cfg: SupernetConfig): ParamSpec[] {
  const out: ParamSpec[] = [];
  const he = (fanIn: number) => Math.sqrt(2 / fanIn);
  const bn = (n: string, ch: number, gamma = 1) => {
    out.push({ name: `${n}.gamma`, shape: [ch], role: 'gamma', init: gamma });
    out.push({ name: `${n}.beta`, shape: [ch], role: 'beta', init: 0 });
  };
  const k0 = cfg.stemKernel;
  out.push({ name: 'stem.w', shape: [k0, k0, cfg.inputChannels, cfg.stemChannels], role: 'weight', std: he(k0 * k0 * cfg.inputChannels) });
  bn('stem.bn', cfg.stemChannels);
  const sizes = stageSizes(cfg);
  let prev = cfg.stemChannels;
  cfg.stages.forEach((s, i) => {
    const sn = `s${i + 1}`;
    const C = maxOf(s.widths);
    const tk = transitionKernel(s.stride);
    out.push({ name: `${sn}.trans.w`, shape: [tk, tk, prev, C], role: 'weight', std: he(tk * tk * prev) });
    bn(`${sn}.trans.bn`, C);
    const N = sizes.stages[i][0] * sizes.stages[i][1];
    for (let j = 0; j < maxOf(s.depths); j++) {
      const bn_ = `${sn}.b${j + 1}`;
      if (s.blockTypes.includes('mbconv')) {
        const hid = C * maxOf(s.expansions);
        const k = maxOf(s.kernels);
        out.push({ name: `${bn_}.expand.w`, shape: [C, hid], role: 'weight', std: he(C) });
        bn(`${bn_}.bn1`, hid);
        out.push({ name: `${bn_}.dw.w`, shape: [k, k, hid, 1], role: 'weight', std: he(s.kernels[0] * s.kernels[0]) });
        bn(`${bn_}.bn2`, hid);
        if (s.squeezeExcite) {
          const se = seChannels(hid);
          out.push({ name: `${bn_}.se1.w`, shape: [hid, se], role: 'weight', std: he(hid) });
          out.push({ name: `${bn_}.se1.b`, shape: [se], role: 'bias', init: 0 });
          out.push({ name: `${bn_}.se2.w`, shape: [se, hid], role: 'weight', std: Math.sqrt(1 / se) });
          out.push({ name: `${bn_}.se2.b`, shape: [hid], role: 'bias', init: 0 });
        }
        out.push({ name: `${bn_}.project.w`, shape: [hid, C], role: 'weight', std: he(hid) });
        bn(`${bn_}.bn3`, C);
      }
      if (s.blockTypes.includes('vit')) {
        const inner = maxOf(s.heads) * cfg.headDim;
        const hid = C * maxOf(s.mlpRatios);
        const v = (p: ParamSpec) => out.push({ ...p, vit: true });
        v({ name: `${bn_}.pos`, shape: [N, C], role: 'pos', std: 0.02 });
        v({ name: `${bn_}.ln1.gamma`, shape: [C], role: 'gamma', init: 1 });
        v({ name: `${bn_}.ln1.beta`, shape: [C], role: 'beta', init: 0 });
        for (const q of ['q', 'k', 'v']) {
          v({ name: `${bn_}.${q}.w`, shape: [C, inner], role: 'weight', std: Math.sqrt(1 / C) });
          v({ name: `${bn_}.${q}.b`, shape: [inner], role: 'bias', init: 0 });
        }
        v({ name: `${bn_}.proj.w`, shape: [inner, C], role: 'weight', std: 0.1 * Math.sqrt(1 / inner) });
        v({ name: `${bn_}.proj.b`, shape: [C], role: 'bias', init: 0 });
        v({ name: `${bn_}.ln2.gamma`, shape: [C], role: 'gamma', init: 1 });
        v({ name: `${bn_}.ln2.beta`, shape: [C], role: 'beta', init: 0 });
        v({ name: `${bn_}.mlp1.w`, shape: [C, hid], role: 'weight', std: he(C) });
        v({ name: `${bn_}.mlp1.b`, shape: [hid], role: 'bias', init: 0 });
        v({ name: `${bn_}.mlp2.w`, shape: [hid, C], role: 'weight', std: 0.1 * Math.sqrt(1 / hid) });
        v({ name: `${bn_}.mlp2.b`, shape: [C], role: 'bias', init: 0 });
      }
    }
    prev = C;
  });
  out.push({ name: 'head.fc.w', shape: [prev, cfg.numClasses], role: 'weight', std: Math.sqrt(1 / prev) });
  out.push({ name: 'head.fc.b', shape: [cfg.numClasses], role: 'bias', init: 0 });
  return out;
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
