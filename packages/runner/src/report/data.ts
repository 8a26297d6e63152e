import type { Candidate, SearchSpace } from '@cosearch/core';
import type { EvalRecord } from '../journal';

/**
 * Plain tables the report draws from the evaluation records (pure functions, tested apart from
 * the rendering).
 */
export interface Point {
  index: number;
  accuracy: number;
  cost: number;
  front: boolean;
}

/** Records with metrics and no error (what fronts and tables show). */
export function validRecords(records: readonly EvalRecord[]): EvalRecord[] {
  return records.filter((r) => r.metrics && r.error === undefined);
}

/**
 * All (accuracy, cost) points of first evaluations, each marked whether it is on the 2-D
 * Pareto front (accuracy ↑, cost ↓): sorted by cost, a point is on the front when its accuracy
 * beats every cheaper point's (exact ties keep the first).
 */
export function paretoPoints(records: readonly EvalRecord[], metric: 'latencyS' | 'energyJ' | 'areaMm2'): Point[] {
  const pts = validRecords(records)
    .filter((r) => !r.cached)
    .map((r) => ({ index: r.index, accuracy: r.metrics!.accuracy, cost: r.metrics![metric], front: false }));
  const order = [...pts].sort((a, b) => a.cost - b.cost || b.accuracy - a.accuracy || a.index - b.index);
  let bestAcc = -Infinity;
  for (const p of order) {
    if (p.accuracy > bestAcc) {
      p.front = true;
      bestAcc = p.accuracy;
    }
  }
  return pts;
}

/** Reward of every evaluation and the best reward so far, with the phase it was asked in. */
export function rewardCurve(records: readonly EvalRecord[]): { index: number; reward: number; best: number; phase: string }[] {
  let best = -Infinity;
  return records.map((r) => {
    best = Math.max(best, r.reward);
    return { index: r.index, reward: r.reward, best, phase: r.phase };
  });
}

/** The `top` best distinct candidates by reward (ties: earlier first). */
export function bestRecords(records: readonly EvalRecord[], top: number): EvalRecord[] {
  const seen = new Set<string>();
  const out: EvalRecord[] = [];
  for (const r of [...validRecords(records)].sort((a, b) => b.reward - a.reward || a.index - b.index)) {
    if (seen.has(r.key)) continue;
    seen.add(r.key);
    out.push(r);
    if (out.length >= top) break;
  }
  return out;
}

/** A candidate's choices grouped by decision phase, e.g. { network: 'stage1.depth=2, ...' }; `keep` filters decisions by name. */
export function choicesByPhase(space: SearchSpace, c: Candidate, keep: (name: string) => boolean = () => true): Record<string, string> {
  const out: Record<string, string[]> = {};
  for (const d of space.decisions) if (keep(d.name)) (out[d.phase] ??= []).push(`${d.name}=${String(c[d.name])}`);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.join(', ')]));
}

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every evaluation as CSV: counters, reward, metrics (SI units), extras, error, then every decision. */
export function recordsToCsv(space: SearchSpace, records: readonly EvalRecord[]): string {
  const extras = [...new Set(records.flatMap((r) => Object.keys(r.metrics?.extra ?? {})))].sort();
  const names = space.names();
  const header = ['index', 'batch', 'stage', 'phase', 'cached', 'reward', 'accuracy', 'latencyS', 'energyJ', 'areaMm2', ...extras, 'error', 'violations', ...names];
  const rows = records.map((r) => [
    r.index, r.batch, r.stage, r.phase, r.cached, r.reward,
    r.metrics?.accuracy, r.metrics?.latencyS, r.metrics?.energyJ, r.metrics?.areaMm2,
    ...extras.map((e) => r.metrics?.extra?.[e]),
    r.error, r.violations?.join('; '),
    ...names.map((n) => r.candidate[n]),
  ]);
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}
