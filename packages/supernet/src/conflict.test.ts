import { initBackend, tf } from '@cosearch/backend';
import { ConflictStats, gradientCosine, intersect } from './conflict';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', quiet: true });
});

describe('gradient cosine on shared weights', () => {
  test('toy case with a known answer', () => {
    // Tensor w: the largest uses all 4 entries, the subnet only the first 2 (its slice), so only
    // entries 0..1 count: g_sup = (1, 0), g_sub = (−1, 1) → cos = −1/√2.
    // Tensor v: both use all of it, g_sup = (3, 4), g_sub = (6, 8) → cos = 1.
    // Tensor u: only the largest uses it → skipped.
    const ga = new Map([['w', tf.tensor1d([1, 0, 7, 7])], ['v', tf.tensor1d([3, 4])], ['u', tf.tensor1d([1])]]);
    const gb = new Map([['w', tf.tensor1d([-1, 1, 0, 0])], ['v', tf.tensor1d([6, 8])]]);
    const ua = new Map([['w', { begin: [0], size: [4] }], ['v', { begin: [0], size: [2] }], ['u', { begin: [0], size: [1] }]]);
    const ub = new Map([['w', { begin: [0], size: [2] }], ['v', { begin: [0], size: [2] }]]);
    const r = gradientCosine(ga, ua, gb, ub);
    const byName = Object.fromEntries(r.perTensor.map((p) => [p.name, p.cosine]));
    expect(Object.keys(byName).sort()).toEqual(['v', 'w']);
    expect(byName.w).toBeCloseTo(-1 / Math.SQRT2, 6);
    expect(byName.v).toBeCloseTo(1, 6);
    // Global: dot = −1 + 50 = 49; |a|² = 1 + 25 = 26; |b|² = 2 + 100 = 102.
    expect(r.global).toBeCloseTo(49 / Math.sqrt(26 * 102), 6);

    const stats = new ConflictStats();
    stats.add('hybrid', r);
    stats.add('cnn', { global: -0.5, perTensor: [{ name: 'w', cosine: -0.5 }] });
    const s = stats.summary();
    expect(s.hybrid.negativeTensorFraction).toBeCloseTo(0.5, 9);
    expect(s.cnn.negativeGlobalFraction).toBe(1);
    expect(s.all).toMatchObject({ samples: 2, tensorCosines: 3, negativeGlobalFraction: 0.5 });
    expect(s.all.negativeTensorFraction).toBeCloseTo(2 / 3, 9);
  });

  test('region intersection (kernel centre crops)', () => {
    expect(intersect({ begin: [1, 1, 0], size: [3, 3, 8] }, { begin: [0, 0, 0], size: [5, 5, 4] })).toEqual({ begin: [1, 1, 0], size: [3, 3, 4] });
    expect(intersect({ begin: [0], size: [2] }, { begin: [2], size: [2] })).toBeNull();
  });
});
