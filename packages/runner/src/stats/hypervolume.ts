import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, DataError, DEFAULT_OBJECTIVES, ParetoArchive, asObject, checkNumber, hypervolume, rejectUnknownKeys } from '@cosearch/core';
import type { EvalRecord } from '../journal';

/**
 * Hypervolume of a run's Pareto front over (accuracy ↑, latencyS ↓, energyJ ↓, areaMm2 ↓) against a
 * fixed reference point — the volume of objective space that the front dominates and the
 * reference bounds (core's exact `hypervolume`). Accuracy is maximised, the three costs are
 * minimised; a design counts only where it is strictly better than the reference in all four.
 *
 * Normalisation: the raw volume (units 1 · s · J · mm²) is divided by the volume of the box
 * between the reference point and the utopia point (accuracy 1, zero latency, energy and area),
 * (1 − accuracyRef) · latencyRef · energyRef · areaRef, so the figure is the fraction of that box
 * the front dominates: unit-free, in [0, 1], and proportional to the raw volume (any comparison
 * at one reference gives the same order and the same rank-test p-values). Costs enter linearly.
 */
export interface HvReference {
  accuracy: number;
  latencyS: number;
  energyJ: number;
  areaMm2: number;
}

export const HV_METRICS = ['accuracy', 'latencyS', 'energyJ', 'areaMm2'] as const;

/** Validates a reference point at a config boundary (`field` names it in errors, e.g. "reference"). */
export function validateReference(raw: unknown, field: string): HvReference {
  if (raw === undefined) throw new ConfigError(field, raw, 'a hypervolume reference point {accuracy, latencyS, energyJ, areaMm2} (accuracy in [0, 1), costs > 0, SI units)');
  const o = asObject(raw, field);
  rejectUnknownKeys(o, field, [...HV_METRICS]);
  const accuracy = checkNumber(o.accuracy, `${field}.accuracy`, { min: 0, max: 1 });
  if (accuracy >= 1) throw new ConfigError(`${field}.accuracy`, accuracy, 'a number >= 0 and < 1 (accuracy is maximised: the reference is the worst accuracy that still counts)');
  return {
    accuracy,
    latencyS: checkNumber(o.latencyS, `${field}.latencyS`, { above: 0 }),
    energyJ: checkNumber(o.energyJ, `${field}.energyJ`, { above: 0 }),
    areaMm2: checkNumber(o.areaMm2, `${field}.areaMm2`, { above: 0 }),
  };
}

/**
 * A run folder made by a suite holds the suite's reference point in this file, so that
 * `cosearch report` on that folder draws the hypervolume against the same point.
 */
export const REFERENCE_FILE = 'hypervolume-reference.json';

export function writeReferenceFile(dir: string, ref: HvReference): void {
  fs.writeFileSync(path.join(dir, REFERENCE_FILE), JSON.stringify(ref) + '\n');
}

/** The reference point stored in a run folder, or null when there is none. */
export function readReferenceFile(dir: string): HvReference | null {
  const file = path.join(dir, REFERENCE_FILE);
  if (!fs.existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataError(file, `not JSON (${(e as Error).message})`);
  }
  return validateReference(raw, file);
}

const vectorOf = (m: HvReference): number[] => HV_METRICS.map((k) => m[k]);

/** Volume of the box between the reference and the utopia point (accuracy 1, costs 0). */
export function referenceBox(ref: HvReference): number {
  return (1 - ref.accuracy) * ref.latencyS * ref.energyJ * ref.areaMm2;
}

function evaluated(records: readonly EvalRecord[]): EvalRecord[] {
  return records.filter((r) => r.metrics && r.error === undefined);
}

/** Normalised hypervolume (fraction of the reference box) of the front of every evaluated design. */
export function frontHypervolume(records: readonly EvalRecord[], ref: HvReference): number {
  const archive = new ParetoArchive<number>(DEFAULT_OBJECTIVES);
  for (const r of evaluated(records)) archive.insert(r.index, vectorOf(r.metrics!));
  return archive.hypervolume(vectorOf(ref)) / referenceBox(ref);
}

/**
 * Normalised hypervolume after each evaluation (records in index order): one point per
 * evaluation count at which the volume changed, plus the last count — a step function (the
 * volume changes only when a design joins the front).
 *
 * Incremental, so a 1000-evaluation run does not recompute the whole front each time: a design p
 * joining the front adds its exclusive volume, the volume of its own box [p, reference] minus the
 * volume the old front already covers inside that box, which is the hypervolume of the old front
 * with every point limited to p (componentwise the worse of the two values). Designs that leave
 * the front (dominated by p) lie inside p's box, so nothing is lost by not subtracting them.
 */
export function hypervolumeCurve(records: readonly EvalRecord[], ref: HvReference): { evaluations: number; hypervolume: number }[] {
  const archive = new ParetoArchive<number>(DEFAULT_OBJECTIVES);
  const refVec = vectorOf(ref);
  const box = referenceBox(ref);
  const out: { evaluations: number; hypervolume: number }[] = [];
  let volume = 0;
  records.forEach((r, i) => {
    if (!r.metrics || r.error !== undefined) return;
    const p = vectorOf(r.metrics);
    const old = archive.front().map((e) => e.values);
    if (!archive.insert(r.index, p)) return;
    const inside = p[0] > refVec[0] && p[1] < refVec[1] && p[2] < refVec[2] && p[3] < refVec[3];
    const gain = inside
      ? (p[0] - refVec[0]) * (refVec[1] - p[1]) * (refVec[2] - p[2]) * (refVec[3] - p[3])
        - hypervolume(old.map((q) => [Math.min(q[0], p[0]), Math.max(q[1], p[1]), Math.max(q[2], p[2]), Math.max(q[3], p[3])]), refVec, DEFAULT_OBJECTIVES)
      : 0;
    if (gain > 0 || out.length === 0) {
      volume += gain;
      out.push({ evaluations: i + 1, hypervolume: volume / box });
    }
  });
  if (records.length > 0 && out[out.length - 1]?.evaluations !== records.length) out.push({ evaluations: records.length, hypervolume: volume / box });
  return out;
}

/**
 * A reference point from a run's own designs, for reports of runs that declare none: the worst
 * value of each objective among the evaluated designs (lowest accuracy, highest costs), widened
 * by 10 % of that objective's range (10 % of the value when every design has the same), so that
 * every evaluated design adds volume; accuracy is kept ≥ 0. Null when nothing was evaluated.
 * It depends on the run, so use a declared point (a suite's `reference`) to compare runs.
 */
export function derivedReference(records: readonly EvalRecord[]): HvReference | null {
  const ok = evaluated(records);
  if (ok.length === 0) return null;
  const span = (k: (typeof HV_METRICS)[number]) => {
    const vs = ok.map((r) => r.metrics![k]);
    const lo = Math.min(...vs);
    const hi = Math.max(...vs);
    return { lo, hi, margin: hi > lo ? 0.1 * (hi - lo) : 0.1 * Math.abs(hi) };
  };
  const a = span('accuracy');
  const cost = (k: 'latencyS' | 'energyJ' | 'areaMm2') => {
    const s = span(k);
    return s.hi + (s.margin > 0 ? s.margin : 1e-30);
  };
  return { accuracy: Math.min(Math.max(0, a.lo - a.margin), 1 - 1e-9), latencyS: cost('latencyS'), energyJ: cost('energyJ'), areaMm2: cost('areaMm2') };
}
