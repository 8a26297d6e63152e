import { tf } from '@cosearch/backend';
import type { Region } from './forward';

export interface CosineResult {
  /** Cosine over all weights both subnets used (the concatenated shared slices). */
  global: number;
  /** Per parameter tensor, over the entries both used; tensors where either gradient is zero are skipped. */
  perTensor: { name: string; cosine: number }[];
}

/** The overlap of two slices of one tensor, or null when they do not overlap. */
export function intersect(a: Region, b: Region): Region | null {
  const begin: number[] = [];
  const size: number[] = [];
  for (let i = 0; i < a.begin.length; i++) {
    const lo = Math.max(a.begin[i], b.begin[i]);
    const hi = Math.min(a.begin[i] + a.size[i], b.begin[i] + b.size[i]);
    if (hi <= lo) return null;
    begin.push(lo);
    size.push(hi - lo);
  }
  return { begin, size };
}

/**
 * Cosine similarity between two subnets' gradients on the weights they share (NASViT, ICLR 2022,
 * measure it between the supernet's and each sampled subnet's gradients). Gradients are full-size
 * tensors (zero outside a subnet's slice); only the overlap of the two slices counts, so entries
 * one subnet does not use do not dilute the cosine.
 */
export function gradientCosine(
  ga: ReadonlyMap<string, tf.Tensor>, ua: ReadonlyMap<string, Region>,
  gb: ReadonlyMap<string, tf.Tensor>, ub: ReadonlyMap<string, Region>,
): CosineResult {
  const names: string[] = [];
  const stacked: tf.Tensor | null = tf.tidy(() => {
    const rows: tf.Tensor[] = [];
    for (const [name, a] of ga) {
      const b = gb.get(name);
      const ra = ua.get(name);
      const rb = ub.get(name);
      if (!b || !ra || !rb) continue;
      const r = intersect(ra, rb);
      if (!r) continue;
      const sa = tf.slice(a, r.begin, r.size);
      const sb = tf.slice(b, r.begin, r.size);
      rows.push(tf.stack([tf.sum(tf.mul(sa, sb)), tf.sum(tf.square(sa)), tf.sum(tf.square(sb))]));
      names.push(name);
    }
    return rows.length ? tf.stack(rows) : (undefined as unknown as tf.Tensor);
  }) ?? null;
  if (!stacked) return { global: NaN, perTensor: [] };
  const v = stacked.dataSync();
  stacked.dispose();
  let dot = 0, na = 0, nb = 0;
  const perTensor: { name: string; cosine: number }[] = [];
  names.forEach((name, i) => {
    const [d, a, b] = [v[3 * i], v[3 * i + 1], v[3 * i + 2]];
    dot += d; na += a; nb += b;
    if (a > 0 && b > 0) perTensor.push({ name, cosine: d / Math.sqrt(a * b) });
  });
  return { global: na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : NaN, perTensor };
}

/** Running statistics of cosines for one group (block-type mix). */
export interface ConflictGroup {
  samples: number;
  meanGlobalCosine: number;
  negativeGlobalFraction: number;
  tensorCosines: number;
  negativeTensorFraction: number;
  meanTensorCosine: number;
}

export class ConflictStats {
  private groups = new Map<string, { n: number; sumG: number; negG: number; t: number; negT: number; sumT: number }>();

  add(group: string, r: CosineResult): void {
    if (Number.isNaN(r.global)) return;
    const g = this.groups.get(group) ?? { n: 0, sumG: 0, negG: 0, t: 0, negT: 0, sumT: 0 };
    g.n++;
    g.sumG += r.global;
    if (r.global < 0) g.negG++;
    for (const p of r.perTensor) {
      g.t++;
      g.sumT += p.cosine;
      if (p.cosine < 0) g.negT++;
    }
    this.groups.set(group, g);
  }

  summary(): Record<string, ConflictGroup> {
    const out: Record<string, ConflictGroup> = {};
    const all = { n: 0, sumG: 0, negG: 0, t: 0, negT: 0, sumT: 0 };
    const entry = (g: typeof all): ConflictGroup => ({
      samples: g.n, meanGlobalCosine: g.n ? g.sumG / g.n : NaN, negativeGlobalFraction: g.n ? g.negG / g.n : NaN,
      tensorCosines: g.t, negativeTensorFraction: g.t ? g.negT / g.t : NaN, meanTensorCosine: g.t ? g.sumT / g.t : NaN,
    });
    for (const [k, g] of [...this.groups].sort()) {
      out[k] = entry(g);
      for (const f of Object.keys(all) as (keyof typeof all)[]) all[f] += g[f];
    }
    out.all = entry(all);
    return out;
  }
}
