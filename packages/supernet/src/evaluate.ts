import { networkTotals, type LayerSpec } from '@cosearch/core';
import { tf } from '@cosearch/backend';
import type { ImageSet } from '@cosearch/datasets';
import type { SubnetArch } from './arch';
import type { BnStat, ParamSource, Region } from './forward';
import { subnetLayers, subnetParams } from './layers';
import type { LinearOverride } from './linear';
import { checkImages, imageBatch, type CalibrationOptions, type Supernet } from './supernet';

/** Replaces a static weight slice (conv, depthwise, dense kernel) by e.g. its read-back from a simulated CIM chip. */
export type WeightTransform = (name: string, w: Float32Array, shape: number[]) => Float32Array;

export interface EvaluateOptions {
  weightTransform?: WeightTransform;
  /** Images for BN re-calibration (default: the evaluation images themselves; labels are not used). */
  calibration?: ImageSet;
  calibrationOptions?: CalibrationOptions;
  /**
   * Runs every static-weight op (conv, depthwise, dense) through this hook, e.g. a tile-accurate
   * CIM simulation (null from the hook = that op runs digitally). Applied after `weightTransform`.
   */
  linearOverride?: LinearOverride;
  /** Evaluate on the first `limit` images only (a fixed subset; default all). */
  limit?: number;
  /** Images per forward pass (default 250; 50 with a `linearOverride`, whose im2col and tile tensors are larger). */
  batchSize?: number;
  /** Re-calibrate BN with the transformed weights / through the override (default false: a chip uses the clean model's folded BN). */
  recalibrateTransformed?: boolean;
  /** Bit width recorded in the returned LayerSpecs. */
  bits?: number;
}

export interface SubnetEvaluation {
  accuracy: number;
  layers: LayerSpec[];
  params: number;
  macs: number;
}

/** A source that passes every static-weight slice through `transform` once and keeps the result. */
export function transformedSource(net: Supernet, transform: WeightTransform): ParamSource & { dispose(): void } {
  const base = net.source();
  const cache = new Map<string, tf.Tensor>();
  return {
    get(name: string, r: Region) {
      if (net.specs.get(name)?.role !== 'weight') return base.get(name, r);
      const key = `${name}@${r.begin.join(',')}/${r.size.join(',')}`;
      let t = cache.get(key);
      if (!t) {
        const sliced = tf.tidy(() => base.get(name, r).clone());
        const out = transform(name, sliced.dataSync() as Float32Array, [...r.size]);
        sliced.dispose();
        if (out.length !== r.size.reduce((a, b) => a * b, 1)) throw new Error(`weightTransform returned ${out.length} values for ${name} of shape ${r.size}`);
        t = tf.keep(tf.tensor(out, r.size, 'float32'));
        cache.set(key, t);
      }
      return t;
    },
    dispose() {
      for (const t of cache.values()) t.dispose();
      cache.clear();
    },
  };
}

/** Top-1 accuracy of a subnet with fixed BN statistics on the first `n` images of a set. */
export function accuracyOn(net: Supernet, arch: SubnetArch, data: ImageSet, stats: Map<string, BnStat>, n: number, batchSize: number, src?: ParamSource, linearOverride?: LinearOverride): number {
  let correct = 0;
  for (let from = 0; from < n; from += batchSize) {
    const m = Math.min(batchSize, n - from);
    const pred = tf.tidy(() => tf.argMax(net.logits(arch, imageBatch(data, from, m), { kind: 'stats', stats }, src, linearOverride), 1).dataSync());
    for (let i = 0; i < m; i++) if (pred[i] === data.labels[from + i]) correct++;
  }
  return n === 0 ? 0 : correct / n;
}

/**
 * Accuracy of a subnet with inherited weights (BN re-calibrated per arch and cached), plus its
 * LayerSpecs, parameter count and MACs per image. With `weightTransform`, the subnet's static
 * weights are replaced by the transform's output (e.g. CIM programming noise) for this call; with
 * `linearOverride`, its weight ops run through the hook (e.g. a simulated CIM tile).
 */
export async function evaluateSubnet(net: Supernet, arch: SubnetArch, data: ImageSet, opts: EvaluateOptions = {}): Promise<SubnetEvaluation> {
  checkImages(net.config, data, 'evaluation');
  const n = Math.min(opts.limit ?? data.n, data.n);
  const bs = opts.batchSize ?? (opts.linearOverride ? 50 : 250);
  const calib = opts.calibration ?? data;
  const src = opts.weightTransform ? transformedSource(net, opts.weightTransform) : undefined;
  try {
    const stats = opts.recalibrateTransformed
      ? net.calibrate(arch, calib, opts.calibrationOptions, src, opts.linearOverride)
      : net.calibrate(arch, calib, opts.calibrationOptions);
    const accuracy = accuracyOn(net, arch, data, stats, n, bs, src, opts.linearOverride);
    const layers = subnetLayers(net.config, arch, { bits: opts.bits });
    return { accuracy, layers, params: subnetParams(net.config, arch), macs: networkTotals(layers).macs };
  } finally {
    src?.dispose();
  }
}
