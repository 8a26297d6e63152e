import fc from 'fast-check';
import { Rng } from '@cosearch/core';
import { apportion, classCounts, stratifiedSample, stratifiedSplit } from './index';

describe('apportion (largest remainder)', () => {
  it('hand cases', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    // MNIST-package class sizes, 10% each: quotas 100.1 112.7 99.1 103.2 98.0 86.3 101.4 107.0 94.4 97.8;
    // floors sum to 997, the 3 left go to the largest remainders .8 (9), .7 (1), .4 (6, lower index of the tie with 8).
    expect(apportion(1000, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978])).toEqual([100, 113, 99, 103, 98, 86, 102, 107, 94, 98]);
  });
  it('always sums to the total and stays within one of the exact quota', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 300 }), (w, total) => {
        const sum = w.reduce((a, b) => a + b, 0);
        fc.pre(sum > 0);
        const a = apportion(total, w);
        expect(a.reduce((x, y) => x + y, 0)).toBe(total);
        a.forEach((x, i) => expect(Math.abs(x - (total * w[i]) / sum)).toBeLessThan(1));
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('stratifiedSplit', () => {
  it('partitions the indices, matches class proportions, and is seed-deterministic', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 5, maxLength: 300 }), fc.integer(), (labels, seed) => {
        const parts = stratifiedSplit(labels, 5, [0.7, 0.2, 0.1], new Rng(seed));
        const all = parts.flatMap((p) => [...p]).sort((a, b) => a - b);
        expect(all).toEqual(labels.map((_, i) => i));
        expect(parts[1].length).toBe(Math.round(labels.length * 0.2));
        expect(parts[2].length).toBe(Math.round(labels.length * 0.1));
        // Validation (apportioned first, uncapped in practice) is within one sample of each class share.
        const counts = classCounts(labels, 5);
        const c = classCounts(Array.from(parts[1], (k) => labels[k]), 5);
        c.forEach((x, k) => expect(Math.abs(x - counts[k] * 0.2)).toBeLessThan(1 + 1e-9));
        expect(stratifiedSplit(labels, 5, [0.7, 0.2, 0.1], new Rng(seed))).toEqual(parts);
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('small classes: later parts still get their exact size (caps move the surplus)', () => {
    // 5 classes of one sample: val takes 1, test must still get 1 from another class.
    const [tr, va, te] = stratifiedSplit([0, 1, 4, 3, 2], 5, [0.7, 0.2, 0.1], new Rng(0));
    expect([tr.length, va.length, te.length]).toEqual([3, 1, 1]);
    expect(apportion(3, [1, 1, 1], [1, 0, 5])).toEqual([1, 0, 2]);
    expect(() => apportion(3, [1, 1], [1, 1])).toThrow(RangeError);
  });

  it('on a balanced set, each part gets an equal share of each class', () => {
    const labels = Array.from({ length: 1000 }, (_, i) => i % 10);
    const [tr, va, te] = stratifiedSplit(labels, 10, [0.8, 0.1, 0.1], new Rng(1));
    expect(classCounts(Array.from(tr, (k) => labels[k]), 10)).toEqual(new Array(10).fill(80));
    expect(classCounts(Array.from(va, (k) => labels[k]), 10)).toEqual(new Array(10).fill(10));
    expect(classCounts(Array.from(te, (k) => labels[k]), 10)).toEqual(new Array(10).fill(10));
  });

  it('stratifiedSample draws exactly count indices, sorted, stratified', () => {
    const labels = Array.from({ length: 500 }, (_, i) => (i < 400 ? 0 : 1));
    const s = stratifiedSample(labels, 2, 50, new Rng(3));
    expect(s.length).toBe(50);
    expect(Array.from(s)).toEqual(Array.from(s).sort((a, b) => a - b));
    expect(classCounts(Array.from(s, (k) => labels[k]), 2)).toEqual([40, 10]);
  });
});
