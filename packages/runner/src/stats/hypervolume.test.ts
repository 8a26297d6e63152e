import { Rng } from '@cosearch/core';
import type { EvalRecord } from '../journal';
import { derivedReference, frontHypervolume, hypervolumeCurve, referenceBox, validateReference } from './hypervolume';

const rec = (index: number, accuracy: number, latencyS: number, energyJ: number, areaMm2: number, extra: Partial<EvalRecord> = {}): EvalRecord => ({
  index, batch: 0, stage: 'joint', phase: 'joint', key: String(index), candidate: {}, cached: false,
  metrics: { accuracy, latencyS, energyJ, areaMm2 }, reward: accuracy, ...extra,
});

// Reference (0.5, 4 s, 2 J, 1 mm²): box to the utopia point = (1 − 0.5)·4·2·1 = 4.
const ref = { accuracy: 0.5, latencyS: 4, energyJ: 2, areaMm2: 1 };
const A = rec(0, 0.9, 1, 1, 0.5); // alone: (0.9−0.5)(4−1)(2−1)(1−0.5) = 0.6
const B = rec(3, 0.7, 0.5, 1, 0.5); // alone 0.2·3.5·1·0.5 = 0.35; A∩B = 0.2·3·1·0.5 = 0.3 → A∪B = 0.65
const C = rec(1, 0.6, 2, 1.5, 0.8); // dominated by A: adds nothing
const D = rec(2, 0.95, 5, 0.1, 0.1); // latency beyond the reference: adds nothing (but is non-dominated)

describe('hypervolume of a run', () => {
  it('is the dominated volume over the reference box, by hand', () => {
    expect(referenceBox(ref)).toBe(4);
    expect(frontHypervolume([A], ref)).toBeCloseTo(0.6 / 4, 14);
    expect(frontHypervolume([A, C, D, B], ref)).toBeCloseTo(0.65 / 4, 14);
    // failed evaluations never count, even with metrics
    expect(frontHypervolume([A, rec(4, 0.99, 0.1, 0.1, 0.1, { error: 'x' })], ref)).toBeCloseTo(0.15, 14);
  });

  it('steps only where the front gains volume, and ends at the last evaluation', () => {
    expect(hypervolumeCurve([A, C, D, B], ref)).toEqual([
      { evaluations: 1, hypervolume: expect.closeTo(0.15, 14) },
      { evaluations: 4, hypervolume: expect.closeTo(0.1625, 14) },
    ]);
    expect(hypervolumeCurve([C, A, D], ref).map((p) => p.evaluations)).toEqual([1, 2, 3]);
  });

  it('the incremental curve equals the hypervolume recomputed from scratch after every evaluation (150 random trade-off designs)', () => {
    const rng = new Rng(7);
    const recs = Array.from({ length: 150 }, (_, i) => {
      const [a, b, c] = [rng.next(), rng.next(), rng.next()];
      return rec(i, 0.8 + (0.2 * (a + b + c)) / 3, 1e-5 * (0.1 + a * a), 1e-6 * (0.1 + b), 1 + 5 * c);
    });
    const r = { accuracy: 0.8, latencyS: 1.5e-5, energyJ: 1.5e-6, areaMm2: 6 };
    const curve = hypervolumeCurve(recs, r);
    expect(curve.length).toBeGreaterThan(20);
    let k = 0;
    for (let n = 1; n <= recs.length; n++) {
      while (k + 1 < curve.length && curve[k + 1].evaluations <= n) k++;
      expect(Math.abs(curve[k].hypervolume - frontHypervolume(recs.slice(0, n), r))).toBeLessThan(1e-12);
    }
  });

  it('derives a reference from the run: worst values widened by 10 % of the range', () => {
    // accuracy 0.6…0.95 → 0.6 − 0.035; latency 0.5…5 → 5.45; energy 0.1…1.5 → 1.64; area 0.1…0.8 → 0.87
    const r = derivedReference([A, B, C, D])!;
    expect(r.accuracy).toBeCloseTo(0.565, 12);
    expect(r.latencyS).toBeCloseTo(5.45, 12);
    expect(r.energyJ).toBeCloseTo(1.64, 12);
    expect(r.areaMm2).toBeCloseTo(0.87, 12);
    expect(frontHypervolume([A, B, C, D], r)).toBeGreaterThan(0);
    expect(derivedReference([rec(0, 0.9, 1, 1, 1, { metrics: null, error: 'x' })])).toBeNull();
  });

  it('validates a declared reference point in one line naming the field', () => {
    expect(validateReference({ accuracy: 0.8, latencyS: 1e-4, energyJ: 5e-6, areaMm2: 10 }, 'reference')).toEqual({ accuracy: 0.8, latencyS: 1e-4, energyJ: 5e-6, areaMm2: 10 });
    expect(() => validateReference(undefined, 'reference')).toThrow(/^invalid reference: got undefined, expected a hypervolume reference point/);
    expect(() => validateReference({ accuracy: 1, latencyS: 1, energyJ: 1, areaMm2: 1 }, 'reference')).toThrow('invalid reference.accuracy: got 1, expected a number >= 0 and < 1');
    expect(() => validateReference({ accuracy: 0.5, latencyS: 0, energyJ: 1, areaMm2: 1 }, 'reference')).toThrow('invalid reference.latencyS: got 0, expected a number > 0');
    expect(() => validateReference({ accuracy: 0.5, latencyS: 1, energyJ: 1, areaMm2: 1, powerW: 2 }, 'reference')).toThrow(/invalid reference.powerW: got 2, expected a known field/);
  });
});
