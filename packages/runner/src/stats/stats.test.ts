import { summaryStats as summary, quantileSorted } from './summary';
import { exactPmf, mannWhitney } from './mann-whitney';
import { erfc, normalSf } from './normal';

// Reference figures computed with SciPy 1.17.1 / NumPy 2.4.6 (python3 on the development machine,
// 2026-12-04) and typed in here: scipy.stats.mannwhitneyu(x, y, alternative='two-sided',
// method=...), scipy.special.erfc, numpy.percentile / numpy.std(ddof=1).

describe('descriptive statistics', () => {
  it('gives mean ± sample std and type-7 quartiles (numpy.percentile)', () => {
    // numpy.percentile([3.1,1.2,5.5,2.0,4.4,0.3,9.9], [25,50,75]) = [1.6, 3.1, 4.95]; std(ddof=1) 3.2453629923909824
    const d = summary([3.1, 1.2, 5.5, 2.0, 4.4, 0.3, 9.9])!;
    expect(d.n).toBe(7);
    expect(d.mean).toBeCloseTo(3.7714285714285722, 12);
    expect(d.std).toBeCloseTo(3.2453629923909824, 12);
    expect([d.q1, d.median, d.q3]).toEqual([1.6, 3.1, 4.95].map((v) => expect.closeTo(v, 12)));
    // by hand: 4 sorted values 1,2,3,4 → h = 3·0.25 = 0.75 → 1.75; median 2.5
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('leaves out NaN (a seed without a matched design) and is null when nothing is left', () => {
    expect(summary([1, NaN, 3])).toMatchObject({ n: 2, mean: 2, median: 2 });
    expect(summary([NaN])).toBeNull();
    expect(summary([5])).toMatchObject({ n: 1, std: 0, q1: 5, q3: 5 });
    expect(() => summary([1, Infinity])).toThrow(/finite/);
  });
});

describe('normal tail', () => {
  it('matches scipy.special.erfc to 1e-14 relative on both branches', () => {
    const ref: [number, number][] = [
      [0.1, 0.8875370839817152], [0.5, 0.4795001221869535], [1.0, 0.15729920705028516], [1.9, 0.007209570764742531],
      [2.0, 0.004677734981047266], [2.5, 0.00040695201744495886], [3.0, 2.2090496998585445e-05], [5.0, 1.5374597944280347e-12],
      [10.0, 2.0884875837625446e-45], [-1.0, 1.8427007929497148],
    ];
    for (const [x, want] of ref) expect(Math.abs(erfc(x) - want) / want).toBeLessThan(1e-14);
    expect(normalSf(0)).toBeCloseTo(0.5, 15);
    expect(normalSf(1.959963984540054)).toBeCloseTo(0.025, 12); // the 97.5 % quantile
  });
});

describe('Mann-Whitney U', () => {
  it('exact p for 3 vs 3 seeds by hand: U = 1, P(U ≤ 1) = 2/20, two-sided 0.2 (SciPy: 0.2)', () => {
    const r = mannWhitney([1.4749, 1.45, 1.5], [1.5316, 1.49, 1.58]);
    expect(r).toMatchObject({ u: 1, method: 'exact', n1: 3, n2: 3 });
    expect(r.p).toBeCloseTo(0.2, 14);
    // Cliff's δ by hand: 1 win, 8 losses of 9 pairs → (1 − 8)/9
    expect(r.cliffsDelta).toBeCloseTo(-7 / 9, 14);
  });

  it('exact p matches SciPy (method="exact")', () => {
    const a = mannWhitney([1.2, 3.4, 2.2, 5.1, 4.0], [0.5, 2.9, 1.1, 0.7]);
    expect(a.u).toBe(18);
    expect(a.p).toBeCloseTo(0.06349206349206349, 14); // = 8/126
    const b = mannWhitney(
      [1.475, 1.51, 1.43, 1.49, 1.52, 1.46, 1.5, 1.44, 1.48, 1.53],
      [1.532, 1.6, 1.47, 1.55, 1.58, 1.41, 1.57, 1.54, 1.59, 1.56],
    );
    expect(b).toMatchObject({ u: 17, method: 'exact' });
    expect(b.p).toBeCloseTo(0.011496243694386109, 14);
    // symmetric: swapping the samples keeps p and flips δ
    const c = mannWhitney([0.5, 2.9, 1.1, 0.7], [1.2, 3.4, 2.2, 5.1, 4.0]);
    expect(c.p).toBeCloseTo(a.p, 14);
    expect(c.cliffsDelta).toBeCloseTo(-a.cliffsDelta, 14);
  });

  it('the exact null distribution sums to 1 and is the Gaussian binomial for 2 vs 2 (1,1,2,1,1)/6', () => {
    expect(Array.from(exactPmf(2, 2)).map((p) => p * 6)).toEqual([1, 1, 2, 1, 1].map((v) => expect.closeTo(v, 12)));
    expect(exactPmf(7, 9).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('normal approximation with tie and continuity corrections matches SciPy (method="asymptotic")', () => {
    const t = mannWhitney([1, 2, 2, 3, 3, 3, 4], [2, 3, 4, 4, 5, 5, 6, 7]);
    expect(t).toMatchObject({ u: 8.5, method: 'normal' });
    expect(t.p).toBeCloseTo(0.025279736885893914, 13);
    expect(mannWhitney([2, 2, 2], [2, 2])).toMatchObject({ u: 3, p: 1, cliffsDelta: 0 });
  });

  it('uses the normal approximation beyond 2500 pairs (60 vs 50, no ties; SciPy asymptotic U 1145, p 0.03333175288689057)', () => {
    // numpy.random.default_rng(0): normal(0, 1, 60) and normal(0.5, 1, 50), rounded to 6 decimals
    const x = [0.12573, -0.132105, 0.640423, 0.1049, -0.535669, 0.361595, 1.304, 0.947081, -0.703735, -1.265421, -0.623274, 0.041326, -2.325031, -0.218792, -1.245911, -0.732267, -0.544259, -0.3163, 0.411631, 1.042513, -0.128535, 1.366463, -0.665195, 0.35151, 0.90347, 0.094012, -0.743499, -0.921725, -0.457726, 0.220195, -1.009618, -0.209176, -0.159225, 0.540846, 0.214659, 0.355373, -0.653829, -0.129614, 0.783975, 1.493431, -1.259066, 1.513924, 1.345875, 0.781311, 0.264456, -0.313923, 1.458021, 1.960258, 1.801635, 1.315104, 0.35738, -1.208319, -0.004454, 0.656475, -1.288361, 0.395122, 0.429864, 0.696043, -1.184118, -0.661703];
    const y = [0.063565, -0.669802, 2.239368, 0.004089, 0.82897, 0.241427, 2.083473, 1.820361, 1.133353, -1.70351, 0.552029, 1.183686, 1.503962, -0.117907, 2.322011, -0.820431, -0.161528, 1.43505, 0.549055, 2.502393, 0.688519, -0.133194, 0.122436, -0.591146, -0.77768, 1.130411, 1.081166, 1.794559, -0.254606, 2.189107, 0.212612, 2.074408, 0.067214, -0.235483, 0.749785, 1.531453, 0.66101, -0.085529, -0.84122, -0.90152, 1.002683, 1.489713, 0.335705, -0.574365, 1.373042, -0.780394, -0.213068, 1.121018, -1.750141, 0.88637];
    const r = mannWhitney(x, y);
    expect(r).toMatchObject({ u: 1145, method: 'normal' });
    expect(r.p).toBeCloseTo(0.03333175288689057, 13);
  });

  it('rejects empty or non-finite samples in one line', () => {
    expect(() => mannWhitney([], [1])).toThrow('Mann-Whitney U needs two non-empty samples, got sizes 0 and 1');
    expect(() => mannWhitney([NaN], [1])).toThrow(/finite/);
  });
});
