/**
 * Issue 14's outcome figures from finished co-search runs (one or more run folders):
 * - the final Pareto front over (accuracy ↑, latency ↓, energy ↓, area ↓): how many of its designs
 *   run layers on CIM, and the most accurate of those against the most accurate NPU-only design;
 * - matched accuracy: the NPU+CIM and NPU-only designs (any evaluated, not only the front) whose
 *   accuracy is within `--match` points (default 0.5) of the most accurate NPU-only design; among
 *   them the lowest-latency and the lowest-energy design of each kind, and the change;
 * - the accuracy loss of CIM-mapped designs (clean − CIM accuracy): median and max.
 *
 *   node --conditions=@cosearch/source --import tsx tools/cim-outcome.ts runs/default-mnist [more runs…] [--match 0.5] [--json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_OBJECTIVES, nonDominatedIndices } from '@cosearch/core';

interface Row {
  index: number;
  metrics: { accuracy: number; latencyS: number; energyJ: number; areaMm2: number; extra?: Record<string, number> };
  reward: number;
}

interface Outcome {
  run: string;
  evaluations: number;
  failed: number;
  cimEvaluations: number;
  medianCimLossPts: number | null;
  maxCimLossPts: number | null;
  front: number;
  frontWithCim: number;
  bestNpuOnlyAcc: number;
  bestCimFrontAcc: number | null;
  cimFrontWithin1Pt: boolean;
  matched: null | { npu: Row; cim: Row; latencyChange: number; energyChange: number; npuE: Row; cimE: Row; energyOnlyChange: number; latencyAtEChange: number };
}

const cimLayers = (r: Row) => r.metrics.extra?.cimLayers ?? 0;
const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function outcome(run: string, matchPts: number): Outcome {
  const all = JSON.parse(readFileSync(join(run, 'evaluations.json'), 'utf8')) as Row[];
  // one row per distinct design (repeated proposals are cached copies)
  const seen = new Set<string>();
  const rows = all.filter((r) => {
    if (!r.metrics || !Number.isFinite(r.metrics.latencyS)) return false; // failed evaluations (e.g. a mapping that does not fit)
    const k = JSON.stringify(r.metrics);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const cim = rows.filter((r) => cimLayers(r) > 0);
  const npu = rows.filter((r) => cimLayers(r) === 0);
  // the loss on the images the CIM accuracy used (accuracy.cim.samples may be a head of the subset)
  const losses = cim.map((r) => 100 * ((r.metrics.extra?.cleanAccuracy ?? r.metrics.accuracy) - r.metrics.accuracy));
  const pts = rows.map((r) => DEFAULT_OBJECTIVES.map((o) => (o.direction === 'max' ? -1 : 1) * (r.metrics as unknown as Record<string, number>)[o.metric]));
  const front = nonDominatedIndices(pts).map((i) => rows[i]);
  const frontCim = front.filter((r) => cimLayers(r) > 0);
  const bestNpu = Math.max(...npu.map((r) => r.metrics.accuracy));
  const bestCimFront = frontCim.length ? Math.max(...frontCim.map((r) => r.metrics.accuracy)) : null;
  const floor = bestNpu - matchPts / 100;
  const ok = (r: Row) => r.metrics.accuracy >= floor - 1e-12;
  const by = (xs: Row[], m: 'latencyS' | 'energyJ') => xs.filter(ok).sort((a, b) => a.metrics[m] - b.metrics[m])[0];
  const nL = by(npu, 'latencyS'), cL = by(cim, 'latencyS'), nE = by(npu, 'energyJ'), cE = by(cim, 'energyJ');
  return {
    run, evaluations: all.length, failed: all.filter((r) => !r.metrics).length, cimEvaluations: cim.length,
    medianCimLossPts: median(losses), maxCimLossPts: losses.length ? Math.max(...losses) : null,
    front: front.length, frontWithCim: frontCim.length, bestNpuOnlyAcc: bestNpu, bestCimFrontAcc: bestCimFront,
    cimFrontWithin1Pt: bestCimFront !== null && bestCimFront >= bestNpu - 0.01 - 1e-12,
    matched: nL && cL && nE && cE
      ? {
          npu: nL, cim: cL, latencyChange: cL.metrics.latencyS / nL.metrics.latencyS - 1, energyChange: cL.metrics.energyJ / nL.metrics.energyJ - 1,
          npuE: nE, cimE: cE, energyOnlyChange: cE.metrics.energyJ / nE.metrics.energyJ - 1, latencyAtEChange: cE.metrics.latencyS / nE.metrics.latencyS - 1,
        }
      : null,
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const at = args.indexOf('--match');
  const matchPts = at >= 0 ? Number(args[at + 1]) : 0.5;
  if (!(matchPts >= 0)) throw new Error(`invalid --match: got ${args[at + 1]}, expected a number of points ≥ 0`);
  const runs = args.filter((a, i) => !a.startsWith('--') && !(at >= 0 && i === at + 1));
  if (runs.length === 0) {
    console.error('usage: tools/cim-outcome.ts RUN_DIR [RUN_DIR…] [--match POINTS] [--json]');
    process.exit(1);
  }
  const out = runs.map((r) => outcome(r, matchPts));
  if (args.includes('--json')) {
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);
  const sgn = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)} %`;
  for (const o of out) {
    console.log(`${o.run}: ${o.evaluations} evaluations (${o.failed} failed), ${o.cimEvaluations} distinct CIM-mapped designs`);
    console.log(`  CIM accuracy loss (clean − CIM): median ${o.medianCimLossPts?.toFixed(1) ?? '—'} points, max ${o.maxCimLossPts?.toFixed(1) ?? '—'}`);
    console.log(`  Pareto front: ${o.front} designs, ${o.frontWithCim} with CIM layers; most accurate NPU-only ${pct(o.bestNpuOnlyAcc)}, most accurate CIM on the front ${pct(o.bestCimFrontAcc)} → ${o.cimFrontWithin1Pt ? 'within' : 'NOT within'} 1 point`);
    if (o.matched) {
      const m = o.matched;
      console.log(`  matched accuracy (≥ ${pct(o.bestNpuOnlyAcc - matchPts / 100)}): lowest latency NPU-only ${(m.npu.metrics.latencyS * 1e6).toFixed(1)} µs vs NPU+CIM ${(m.cim.metrics.latencyS * 1e6).toFixed(1)} µs (${sgn(m.latencyChange)}, energy ${sgn(m.energyChange)})`);
      console.log(`                       lowest energy NPU-only ${(m.npuE.metrics.energyJ * 1e6).toFixed(2)} µJ vs NPU+CIM ${(m.cimE.metrics.energyJ * 1e6).toFixed(2)} µJ (${sgn(m.energyOnlyChange)}, latency ${sgn(m.latencyAtEChange)})`);
    } else {
      console.log('  matched accuracy: no NPU+CIM design within the match of the most accurate NPU-only design');
    }
  }
}

main();
