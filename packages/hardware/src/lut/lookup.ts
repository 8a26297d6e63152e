import type { LayerSpec } from '@cosearch/core';
import { lutBits, lutShape, shapeMacs, type LutKind, type LutRow, type LutTable } from './table';

/**
 * The rules for a layer the table is asked about (README "Lookup-table model"):
 * 1. a row of the same kind, bits and every shape field → **measured** (that row's latency, and
 *    its energy when the row has one);
 * 2. otherwise, among rows of the same kind and bits, by `rule` → **estimated**:
 *    - `nearest`: the row closest in shape (least Σ |ln(layer field / row field)| over the kind's
 *      shape fields; ties → the earlier row), latency (and energy) × layer MACs / row MACs;
 *    - `interpolate`: piecewise-linear in MACs through the rows (rows with equal MACs averaged);
 *      beyond the smallest/largest MACs, the end point × MACs ratio;
 *    - `fallback`: the analytical model;
 * 3. no row of the same kind and bits (or a kind a table cannot hold: vector-unit layers) → the
 *    analytical model. Energy the rows do not give comes from the analytical model too.
 */
export type LutRule = 'nearest' | 'interpolate' | 'fallback';
export const LUT_RULES: readonly LutRule[] = ['nearest', 'interpolate', 'fallback'];

/** What the table says about a layer; an absent latency/energy means "use the analytical figure". */
export interface LutEstimate {
  source: 'measured' | 'estimated';
  latencyS?: number;
  energyJ?: number;
  /** How it was obtained, e.g. `exact row 12`, `nearest row 7 × MACs 2.00`, `no conv rows at 8 bits: analytical`. */
  note: string;
}

interface Point {
  macs: number;
  latencyS: number;
  energyJ?: number;
  rows: number[];
}

/** Lookup structures of one table, built once. */
export class LutIndex {
  private readonly exact = new Map<string, LutRow>();
  private readonly groups = new Map<string, LutRow[]>();
  private readonly points = new Map<string, Point[]>();

  constructor(readonly table: LutTable) {
    for (const r of table.rows) {
      this.exact.set(`${r.kind}|${r.shape.join(',')}|${r.bits}`, r);
      const g = `${r.kind}|${r.bits}`;
      if (!this.groups.has(g)) this.groups.set(g, []);
      this.groups.get(g)!.push(r);
    }
    for (const [g, rows] of this.groups) {
      const byMacs = new Map<number, LutRow[]>();
      for (const r of rows) byMacs.set(r.macs, [...(byMacs.get(r.macs) ?? []), r]);
      const pts = [...byMacs.entries()].sort((a, b) => a[0] - b[0]).map(([macs, rs]): Point => ({
        macs,
        latencyS: rs.reduce((s, r) => s + r.latencyS, 0) / rs.length,
        energyJ: rs.every((r) => r.energyJ !== undefined) ? rs.reduce((s, r) => s + r.energyJ!, 0) / rs.length : undefined,
        rows: rs.map((r) => r.row),
      }));
      this.points.set(g, pts);
    }
  }

  lookup(l: LayerSpec, rule: LutRule): LutEstimate {
    const shape = lutShape(l);
    if (shape === null) return { source: 'estimated', note: `${l.kind}: not a table kind, analytical` };
    const kind = l.kind as LutKind;
    const bits = lutBits(l);
    const hit = this.exact.get(`${kind}|${shape.join(',')}|${bits}`);
    if (hit) return { source: 'measured', latencyS: hit.latencyS, energyJ: hit.energyJ, note: `exact row ${hit.row}` };
    const group = this.groups.get(`${kind}|${bits}`);
    if (!group) return { source: 'estimated', note: `no ${kind} rows at ${bits} bits: analytical` };
    if (rule === 'fallback') return { source: 'estimated', note: 'rule fallback: analytical' };
    const macs = shapeMacs(kind, shape);
    if (rule === 'nearest') {
      let best = group[0];
      let bestD = Infinity;
      for (const r of group) {
        let d = 0;
        for (let i = 0; i < shape.length; i++) d += Math.abs(Math.log(shape[i] / r.shape[i]));
        if (d < bestD) { best = r; bestD = d; }
      }
      const f = macs / best.macs;
      return { source: 'estimated', latencyS: best.latencyS * f, energyJ: best.energyJ === undefined ? undefined : best.energyJ * f, note: `nearest row ${best.row} × MACs ${f.toFixed(2)}` };
    }
    const pts = this.points.get(`${kind}|${bits}`)!;
    const hi = pts.findIndex((p) => p.macs >= macs);
    if (hi >= 0 && pts[hi].macs === macs) {
      const p = pts[hi];
      return { source: 'estimated', latencyS: p.latencyS, energyJ: p.energyJ, note: `same MACs as rows ${p.rows.join('+')}` };
    }
    if (hi > 0) {
      const a = pts[hi - 1], b = pts[hi];
      const t = (macs - a.macs) / (b.macs - a.macs);
      const lerp = (x: number, y: number) => x + t * (y - x);
      return {
        source: 'estimated',
        latencyS: lerp(a.latencyS, b.latencyS),
        energyJ: a.energyJ !== undefined && b.energyJ !== undefined ? lerp(a.energyJ, b.energyJ) : undefined,
        note: `interpolated in MACs between rows ${a.rows.join('+')} and ${b.rows.join('+')}`,
      };
    }
    const end = hi === 0 ? pts[0] : pts[pts.length - 1];
    const f = macs / end.macs;
    return { source: 'estimated', latencyS: end.latencyS * f, energyJ: end.energyJ === undefined ? undefined : end.energyJ * f, note: `beyond rows ${end.rows.join('+')} × MACs ${f.toFixed(2)}` };
  }
}
