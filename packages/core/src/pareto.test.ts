import fc from 'fast-check';
import { MetricError } from './errors';
import { Rng } from './rng';
import { DEFAULT_OBJECTIVES, ParetoArchive, dominatesMin, hypervolume, nonDominatedIndices, objective, type Objective } from './pareto';

const minN = (d: number): Objective[] => Array.from({ length: d }, (_, i) => ({ metric: `f${i}`, direction: 'min' as const }));

/** Brute-force non-dominated set: every point no other point dominates (minimisation), duplicates once. */
function bruteFront(points: number[][]): Set<string> {
  const out = new Set<string>();
  for (const p of points) {
    if (!points.some((q) => q.every((x, i) => x <= p[i]) && q.some((x, i) => x < p[i]))) out.add(p.join(','));
  }
  return out;
}

/** Exact hypervolume by inclusion–exclusion over all subsets (independent of HSO; n ≤ ~10). */
function hvInclusionExclusion(points: number[][], ref: number[]): number {
  const pts = points.filter((p) => p.every((x, i) => x < ref[i]));
  let total = 0;
  for (let mask = 1; mask < 1 << pts.length; mask++) {
    const lower = ref.map(() => -Infinity);
    let bits = 0;
    pts.forEach((p, j) => {
      if (mask & (1 << j)) {
        bits++;
        p.forEach((x, i) => (lower[i] = Math.max(lower[i], x)));
      }
    });
    const vol = ref.reduce((v, r, i) => v * (r - lower[i]), 1);
    total += bits % 2 === 1 ? vol : -vol;
  }
  return total;
}

describe('dominance', () => {
  it('minimisation form and per-objective direction', () => {
    expect(dominatesMin([1, 2], [1, 3])).toBe(true);
    expect(dominatesMin([1, 3], [1, 3])).toBe(false);
    expect(dominatesMin([0, 4], [1, 3])).toBe(false);
    const a = new ParetoArchive([objective('accuracy'), objective('latencyS')]);
    expect(a.objectives.map((o) => o.direction)).toEqual(['max', 'min']);
    expect(a.dominates([0.9, 1e-3], [0.8, 1e-3])).toBe(true);
    expect(a.dominates([0.8, 1e-3], [0.9, 2e-3])).toBe(false);
  });
});

describe('ParetoArchive', () => {
  it('insertion keeps exactly the non-dominated set (hand case)', () => {
    const a = new ParetoArchive<string>([objective('accuracy'), objective('latencyS')]);
    expect(a.insert('A', [0.8, 2])).toBe(true);
    expect(a.insert('B', [0.9, 3])).toBe(true); // better accuracy, slower: both stay
    expect(a.insert('C', [0.7, 2.5])).toBe(false); // dominated by A
    expect(a.insert('A2', [0.8, 2])).toBe(false); // duplicate of A
    expect(a.insert('D', [0.95, 1])).toBe(true); // dominates A and B
    expect(a.front().map((e) => e.item)).toEqual(['D']);
    expect(a.insertMetrics('E', { accuracy: 0.99, latencyS: 5, energyJ: 0, areaMm2: 0 })).toBe(true);
    expect(a.size).toBe(2);
    const back = ParetoArchive.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(back.front()).toEqual(a.front());
  });

  it('refuses non-finite objective values and wrong lengths', () => {
    const a = new ParetoArchive();
    expect(() => a.insert('x', [NaN, 1, 1, 1])).toThrow(MetricError);
    expect(() => a.insert('x', [0.5, 1, Infinity, 1])).toThrow('Pareto objective energyJ must be finite, got Infinity');
    expect(() => a.insert('x', [0.5, 1])).toThrow('expected 4 objective values, got 2');
    expect(a.objectives).toEqual(DEFAULT_OBJECTIVES);
  });

  it('matches the brute-force front on random points in 2–4 objectives, mixed directions (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }).chain((d) =>
          fc.tuple(fc.constant(d), fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 40 }), fc.array(fc.boolean(), { minLength: d, maxLength: d })),
        ),
        ([d, pts, maxes]) => {
          const objs: Objective[] = maxes.map((mx, i) => ({ metric: `f${i}`, direction: mx ? 'max' : 'min' }));
          const a = new ParetoArchive(objs);
          pts.forEach((p, i) => a.insert(i, p));
          const asMin = pts.map((p) => p.map((x, i) => (maxes[i] ? -x : x)));
          const want = new Set([...bruteFront(asMin)].map((k) => k.split(',').map((x, i) => (maxes[i] ? -Number(x) : Number(x))).join(',')));
          const got = a.front().map((e) => e.values.join(','));
          expect(new Set(got)).toEqual(want);
          expect(got.length).toBe(want.size); // no duplicates kept
          expect(d).toBe(objs.length);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it('nonDominatedIndices agrees with brute force', () => {
    const pts = [[1, 5], [2, 2], [5, 1], [3, 3], [2, 2]];
    expect(nonDominatedIndices(pts)).toEqual([0, 1, 2, 4]);
  });
});

describe('hypervolume (exact, HSO)', () => {
  it('2-D hand value: staircase (1,3),(2,2),(3,1) to reference (4,4) = 3 + 2 + 1', () => {
    expect(hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4], minN(2))).toBeCloseTo(6, 12);
    // dominated and out-of-reference points add nothing
    expect(hypervolume([[1, 3], [2, 2], [3, 1], [3, 3], [5, 0]], [4, 4], minN(2))).toBeCloseTo(6, 12);
    expect(hypervolume([], [4, 4], minN(2))).toBe(0);
  });

  it('2-D with accuracy maximised: (0.9, 2) and (0.8, 1) to reference (0.5, 3) = 0.4 + 0.6 − 0.3', () => {
    const objs = [objective('accuracy'), objective('latencyS')];
    expect(hypervolume([[0.9, 2], [0.8, 1]], [0.5, 3], objs)).toBeCloseTo(0.7, 12);
    const a = new ParetoArchive(objs);
    a.insert(1, [0.9, 2]);
    a.insert(2, [0.8, 1]);
    expect(a.hypervolume([0.5, 3])).toBeCloseTo(0.7, 12);
  });

  it('3-D hand values', () => {
    expect(hypervolume([[1, 1, 1]], [2, 3, 4], minN(3))).toBeCloseTo(6, 12);
    // boxes [0,2]²×[1,2] (4) and [1,2]²×[0,2] (2) overlap in [1,2]³ (1) → 5
    expect(hypervolume([[0, 0, 1], [1, 1, 0]], [2, 2, 2], minN(3))).toBeCloseTo(5, 12);
  });

  it('4-D hand value: two boxes of 16 and 1 overlapping in 1 → 16', () => {
    expect(hypervolume([[0, 0, 0, 0], [1, 1, 1, 1]], [2, 2, 2, 2], minN(4))).toBeCloseTo(16, 12);
    expect(hypervolume([[0, 1, 1, 1], [1, 0, 1, 1]], [2, 2, 2, 2], minN(4))).toBeCloseTo(2 + 2 - 1, 12);
  });

  it('equals inclusion–exclusion on random sets in 2–4 objectives (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }).chain((d) => fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 8 })),
        (pts) => {
          const d = pts[0].length;
          const ref = new Array(d).fill(1.1);
          expect(hypervolume(pts, ref, minN(d))).toBeCloseTo(hvInclusionExclusion(pts, ref), 9);
        },
      ),
      { seed: 5, numRuns: 200 },
    );
  });

  it.each([3, 4])('matches a seeded Monte-Carlo estimate in %i-D within 4 standard errors', (d) => {
    const rng = new Rng(100 + d);
    // 30 points near the simplex surface Σx = 1 so many are mutually non-dominated.
    const pts = Array.from({ length: 30 }, () => {
      const raw = Array.from({ length: d }, () => -Math.log(1 - rng.next()));
      const s = raw.reduce((a, b) => a + b, 0);
      return raw.map((x) => x / s + 0.05 * rng.next());
    });
    const ref = new Array(d).fill(1.2);
    const exact = hypervolume(pts, ref, minN(d));
    const samples = 100_000;
    let inside = 0;
    const z = new Array(d);
    for (let k = 0; k < samples; k++) {
      for (let i = 0; i < d; i++) z[i] = 1.2 * rng.next();
      if (pts.some((p) => p.every((x, i) => x <= z[i]))) inside++;
    }
    const box = 1.2 ** d;
    const p = inside / samples;
    const estimate = p * box;
    const stderr = box * Math.sqrt((p * (1 - p)) / samples);
    expect(stderr / box).toBeLessThan(0.002); // tolerance stated: 4 σ ≈ 0.6% of the box
    expect(Math.abs(exact - estimate)).toBeLessThan(4 * stderr);
    expect(exact).toBeGreaterThan(0.1 * box); // a non-trivial volume
  });

  it('rejects a reference of the wrong length', () => {
    expect(() => hypervolume([[1, 1]], [2, 2, 2], minN(2))).toThrow('hypervolume reference has 3 values for 2 objectives');
  });
});
