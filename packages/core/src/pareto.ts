import { CosearchError, MetricError } from './errors';
import { isMaximised, metricValue, type Metrics } from './metrics';

/** One objective of a Pareto archive: a metric name and whether larger is better. */
export interface Objective {
  metric: string;
  direction: 'max' | 'min';
}

/** The usual co-search objectives: accuracy ↑, latency ↓, energy ↓, area ↓ (REFERENCES §1). */
export const DEFAULT_OBJECTIVES: readonly Objective[] = [
  { metric: 'accuracy', direction: 'max' },
  { metric: 'latencyS', direction: 'min' },
  { metric: 'energyJ', direction: 'min' },
  { metric: 'areaMm2', direction: 'min' },
];

export function objective(metric: string): Objective {
  return { metric, direction: isMaximised(metric) ? 'max' : 'min' };
}

/** Converts objective values to "smaller is better" so one dominance rule serves all. */
function toMin(values: readonly number[], objectives: readonly Objective[]): number[] {
  return values.map((v, i) => (objectives[i].direction === 'max' ? -v : v));
}

/** a dominates b (minimisation form): no worse everywhere, strictly better somewhere. */
export function dominatesMin(a: readonly number[], b: readonly number[]): boolean {
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) strictly = true;
  }
  return strictly;
}

export interface ParetoEntry<T> {
  item: T;
  values: number[];
}

/**
 * Non-dominated archive over any number of objectives with per-objective direction.
 * `insert` keeps the archive exactly the non-dominated set of everything inserted (duplicates
 * of an archived point are not added twice).
 */
export class ParetoArchive<T = unknown> {
  private entries: ParetoEntry<T>[] = [];

  constructor(readonly objectives: readonly Objective[] = DEFAULT_OBJECTIVES) {
    if (objectives.length === 0) throw new CosearchError('a Pareto archive needs at least one objective');
  }

  valuesOf(metrics: Metrics): number[] {
    return this.objectives.map((o) => metricValue(metrics, o.metric));
  }

  /** Does `a` dominate `b` (both in the objectives' own directions)? */
  dominates(a: readonly number[], b: readonly number[]): boolean {
    return dominatesMin(toMin(a, this.objectives), toMin(b, this.objectives));
  }

  /** Inserts a point; returns true when it joined the front. */
  insert(item: T, values: readonly number[]): boolean {
    if (values.length !== this.objectives.length) throw new CosearchError(`expected ${this.objectives.length} objective values, got ${values.length}`);
    // A NaN would neither dominate nor be dominated and so sit on the front for ever.
    const bad = values.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new MetricError(`Pareto objective ${this.objectives[bad].metric} must be finite, got ${values[bad]}`);
    const v = toMin(values, this.objectives);
    for (const e of this.entries) {
      const ev = toMin(e.values, this.objectives);
      if (dominatesMin(ev, v) || ev.every((x, i) => x === v[i])) return false;
    }
    this.entries = this.entries.filter((e) => !dominatesMin(v, toMin(e.values, this.objectives)));
    this.entries.push({ item, values: [...values] });
    return true;
  }

  insertMetrics(item: T, metrics: Metrics): boolean {
    return this.insert(item, this.valuesOf(metrics));
  }

  front(): ParetoEntry<T>[] {
    return this.entries.map((e) => ({ item: e.item, values: [...e.values] }));
  }

  get size(): number {
    return this.entries.length;
  }

  /** Exact hypervolume of the front against `reference` (given in the objectives' own units). */
  hypervolume(reference: readonly number[]): number {
    return hypervolume(this.entries.map((e) => e.values), reference, this.objectives);
  }

  toJSON(): { objectives: Objective[]; entries: ParetoEntry<T>[] } {
    return { objectives: [...this.objectives], entries: this.front() };
  }

  static fromJSON<T>(json: { objectives: Objective[]; entries: ParetoEntry<T>[] }): ParetoArchive<T> {
    const a = new ParetoArchive<T>(json.objectives);
    for (const e of json.entries) a.insert(e.item, e.values);
    return a;
  }
}

/** Indices of the non-dominated points of a set (minimisation form). */
export function nonDominatedIndices(pointsMin: readonly (readonly number[])[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < pointsMin.length; i++) {
    let dominated = false;
    for (let j = 0; j < pointsMin.length && !dominated; j++) {
      if (j !== i && dominatesMin(pointsMin[j], pointsMin[i])) dominated = true;
    }
    if (!dominated) out.push(i);
  }
  return out;
}

/**
 * Exact hypervolume dominated by `points` and bounded by `reference`, by recursive slicing
 * along the last objective (HSO, While et al. 2006): exact for any dimension, fast enough for
 * fronts of a few hundred points in ≤ 4 objectives. Points that do not strictly improve on the
 * reference in every objective contribute nothing.
 */
export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[], objectives: readonly Objective[]): number {
  if (reference.length !== objectives.length) throw new CosearchError(`hypervolume reference has ${reference.length} values for ${objectives.length} objectives`);
  if (points.some((p) => p.length !== objectives.length)) throw new CosearchError(`hypervolume points must have ${objectives.length} values each`);
  const ref = toMin(reference, objectives);
  const pts = points.map((p) => toMin(p, objectives)).filter((p) => p.every((x, i) => x < ref[i]));
  return hvMin(pts, ref);
}

function hvMin(points: number[][], ref: readonly number[]): number {
  const d = ref.length;
  if (points.length === 0) return 0;
  if (d === 1) return ref[0] - Math.min(...points.map((p) => p[0]));
  if (d === 2) {
    // Base case by one sweep (O(n log n)) instead of recursing: slabs between consecutive
    // second coordinates, each as wide as the best first coordinate seen so far.
    const pts = [...points].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    let area = 0;
    let bestX = ref[0];
    for (let i = 0; i < pts.length; i++) {
      bestX = Math.min(bestX, pts[i][0]);
      const top = i + 1 < pts.length ? pts[i + 1][1] : ref[1];
      area += (ref[0] - bestX) * (top - pts[i][1]);
    }
    return area;
  }
  const front = nonDominatedIndices(points).map((i) => points[i]);
  front.sort((a, b) => a[d - 1] - b[d - 1]);
  const subRef = ref.slice(0, d - 1);
  let volume = 0;
  for (let i = 0; i < front.length; i++) {
    const top = i + 1 < front.length ? front[i + 1][d - 1] : ref[d - 1];
    const height = top - front[i][d - 1];
    if (height <= 0) continue;
    volume += height * hvMin(front.slice(0, i + 1).map((p) => p.slice(0, d - 1)), subRef);
  }
  return volume;
}
