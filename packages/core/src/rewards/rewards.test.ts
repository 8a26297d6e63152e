import { ConfigError, MetricError, NotFoundError } from '../errors';
import type { Metrics } from '../metrics';
import { ConstrainedReward } from './constrained';
import { FigureOfMeritReward } from './figure-of-merit';
import { MNAS_HARD, MNAS_SOFT, MnasNetReward } from './mnasnet';
import { createReward, rewardRegistry } from './registry';
import { WeightedSumReward } from './weighted-sum';

const m = (o: Partial<Metrics> = {}): Metrics => ({ accuracy: 0.9, latencyS: 1e-3, energyJ: 1e-6, areaMm2: 1, ...o });

// Hand values below were computed with a calculator from the formulas in REFERENCES §1:
// 2^−0.07 = 0.952638, 0.5^−0.07 = 1.049717.
describe('MnasNet reward R = ACC · Π (m/T)^w (Tan et al. 2019)', () => {
  const soft = new MnasNetReward([{ metric: 'latencyS', target: 1e-3, ...MNAS_SOFT }]);
  const hard = new MnasNetReward([{ metric: 'latencyS', target: 1e-3, ...MNAS_HARD }]);

  it('soft constraint (α = β = −0.07): above and below the target', () => {
    expect(soft.score(m({ latencyS: 2e-3 }))).toBeCloseTo(0.857374198, 8); // 0.9 · 2^−0.07
    expect(soft.score(m({ latencyS: 0.5e-3 }))).toBeCloseTo(0.944745015, 8); // 0.9 · 0.5^−0.07
    expect(soft.score(m({ latencyS: 1e-3 }))).toBeCloseTo(0.9, 12);
    // "doubling latency ≈ −5% relative accuracy"
    expect(1 - soft.score(m({ latencyS: 2e-3 })) / 0.9).toBeCloseTo(0.047, 3);
  });

  it('hard constraint (α = 0, β = −1): no bonus below, proportional cut above', () => {
    expect(hard.score(m({ latencyS: 0.5e-3 }))).toBe(0.9);
    expect(hard.score(m({ latencyS: 2e-3 }))).toBeCloseTo(0.45, 12);
    expect(hard.explain(m({ latencyS: 2e-3 })).violations).toEqual(['latencyS=0.002 exceeds target 0.001']);
    expect(hard.explain(m({ latencyS: 0.5e-3 })).violations).toEqual([]);
  });

  it('several metrics multiply: soft latency × hard energy', () => {
    const r = MnasNetReward.fromConfig({ targets: [{ metric: 'latencyS', target: 1e-3 }, { metric: 'energyJ', target: 1e-6, mode: 'hard' }] });
    expect(r.score(m({ latencyS: 2e-3, energyJ: 4e-6 }))).toBeCloseTo(0.21434355, 8); // 0.9 · 2^−0.07 · 4^−1
    expect(r.targets[1]).toEqual({ metric: 'energyJ', target: 1e-6, alpha: 0, beta: -1 });
    expect(MnasNetReward.fromConfig({ targets: [{ metric: 'latencyS', target: 1, alpha: -0.1, beta: -0.2 }] }).score(m({ latencyS: 2 }))).toBeCloseTo(0.9 * 2 ** -0.2, 12);
  });

  it('config errors name field, value and allowed', () => {
    expect(() => MnasNetReward.fromConfig({ targets: [] })).toThrow(ConfigError);
    expect(() => MnasNetReward.fromConfig({ targets: [{ metric: 'latencyS', target: -1 }] })).toThrow('invalid reward.targets[0].target: got -1, expected a number > 0');
    expect(() => MnasNetReward.fromConfig({ targets: [{ metric: 'latencyS', target: 1, mode: 'medium' }] })).toThrow('invalid reward.targets[0].mode: got "medium", expected one of "soft", "hard"');
  });

  it('a zero or negative metric is an error, not an infinite or NaN reward', () => {
    expect(() => soft.score(m({ latencyS: 0 }))).toThrow(MetricError);
    const onExtra = new MnasNetReward([{ metric: 'params', target: 1e5, ...MNAS_SOFT }]);
    expect(() => onExtra.score(m({ extra: { params: -3 } }))).toThrow('mnasnet-v1 needs params > 0, got -3');
  });
});

describe('weighted sum R = Σ ±w·m/scale', () => {
  it('accuracy counts +, costs count −', () => {
    const r = WeightedSumReward.fromConfig({ objectives: [{ metric: 'accuracy', weight: 1 }, { metric: 'latencyS', weight: 0.1, scale: 1e-3 }, { metric: 'energyJ', weight: 0.5, scale: 1e-6 }] });
    // 0.9 − 0.1·2 − 0.5·3 = −0.8
    expect(r.score(m({ latencyS: 2e-3, energyJ: 3e-6 }))).toBeCloseTo(-0.8, 12);
    expect(r.explain(m({ latencyS: 2e-3, energyJ: 3e-6 })).terms.latencyS).toBeCloseTo(-0.2, 12);
    expect(() => WeightedSumReward.fromConfig({ objectives: [{ metric: 'accuracy', weight: -1 }] })).toThrow('invalid reward.objectives[0].weight: got -1, expected a number >= 0');
  });
  it('reads edp and extras: EDP = energy × latency', () => {
    const r = WeightedSumReward.fromConfig({ objectives: [{ metric: 'edp', weight: 1, scale: 1e-9 }, { metric: 'cimAccuracy', weight: 2 }] });
    // edp = 1e-6 J · 2e-3 s = 2e-9 J·s → −2; cimAccuracy (maximised) 0.8 → +1.6
    expect(r.score(m({ latencyS: 2e-3, extra: { cimAccuracy: 0.8 } }))).toBeCloseTo(-0.4, 12);
  });
});

describe('constrained reward R = acc − Σ λ·max(0, m/limit − 1) (NASAIC)', () => {
  const specs = [{ metric: 'latencyS', limit: 1e-3, lambda: 2 }, { metric: 'areaMm2', limit: 10, lambda: 0.5 }];
  it('soft penalty: only the violated spec costs', () => {
    const r = new ConstrainedReward(specs, false, -1);
    // 0.9 − 2·(1.5 − 1) − 0.5·0 = −0.1
    const e = r.explain(m({ latencyS: 1.5e-3, areaMm2: 8 }));
    expect(e.reward).toBeCloseTo(-0.1, 12);
    expect(e.violations).toEqual(['latencyS=0.0015 exceeds limit 0.001']);
    expect(r.score(m({ latencyS: 0.5e-3, areaMm2: 8 }))).toBe(0.9);
  });
  it('hard: a broken spec prunes the design to the fixed penalty and names the limit', () => {
    const r = ConstrainedReward.fromConfig({ specs, hard: true, penalty: -2 });
    const e = r.explain(m({ latencyS: 0.5e-3, areaMm2: 12 }));
    expect(e.reward).toBe(-2);
    expect(e.violations).toEqual(['areaMm2=12 exceeds limit 10']);
    expect(r.score(m({ latencyS: 1e-3, areaMm2: 10 }))).toBe(0.9); // at the limit is feasible
  });
});

describe('figures of merit: EDP = E·t, EDAP = E·t·A', () => {
  it('R = w·acc − log10(FoM / reference)', () => {
    const edp = FigureOfMeritReward.fromConfig('edp', { reference: 1e-9, accuracyWeight: 2 });
    // E = 2e-6 J, t = 5e-3 s → EDP 1e-8 J·s; log10(1e-8/1e-9) = 1; 2·0.9 − 1 = 0.8
    expect(edp.score(m({ energyJ: 2e-6, latencyS: 5e-3 }))).toBeCloseTo(0.8, 12);
    const edap = FigureOfMeritReward.fromConfig('edap', { reference: 1e-9 });
    // EDAP = 1e-8 · 4 mm² = 4e-8; −log10(40) = −1.60206
    expect(edap.score(m({ energyJ: 2e-6, latencyS: 5e-3, areaMm2: 4 }))).toBeCloseTo(-1.6020599913, 9);
    expect(edap.name).toBe('edap-v1');
  });
  it('a zero figure of merit is an error, not a huge reward', () => {
    expect(() => FigureOfMeritReward.fromConfig('edp', {}).score(m({ latencyS: 0 }))).toThrow(/edp-v1 needs edp > 0, got 0/);
  });
});

describe('every registered reward refuses NaN/Infinity metrics with a MetricError', () => {
  const bad: [string, Partial<Metrics>][] = [
    ['accuracy NaN', { accuracy: NaN }],
    ['latency Infinity', { latencyS: Infinity }],
    ['energy −Infinity', { energyJ: -Infinity }],
    ['extra NaN', { extra: { params: NaN } }],
    ['accuracy 1.2', { accuracy: 1.2 }],
    ['negative area', { areaMm2: -1 }],
  ];
  for (const name of rewardRegistry.names()) {
    it.each(bad)(`${name}: %s`, (_label, patch) => {
      const r = createReward({ name });
      expect(() => r.score(m(patch))).toThrow(MetricError);
    });
  }
  it('the message names the bad fields', () => {
    expect(() => createReward({ name: 'mnasnet-v1' }).score(m({ accuracy: NaN, latencyS: Infinity }))).toThrow('metrics must be finite numbers: accuracy=NaN, latencyS=Infinity');
  });
});

describe('reward registry', () => {
  it('lists the built-ins and builds each from defaults', () => {
    expect(rewardRegistry.names()).toEqual(['constrained-v1', 'edap-v1', 'edp-v1', 'mnasnet-v1', 'weighted-sum-v1']);
    for (const name of rewardRegistry.names()) expect(Number.isFinite(createReward({ name }).score(m()))).toBe(true);
    expect(createReward({ name: 'mnasnet-v1' }).score(m({ latencyS: 2e-3 }))).toBeCloseTo(0.857374198, 8); // default soft 1 ms target
  });
  it('an unknown name lists what exists', () => {
    expect(() => createReward({ name: 'mnas' })).toThrow(NotFoundError);
    expect(() => createReward({ name: 'mnas' })).toThrow('unknown reward "mnas"; available: constrained-v1, edap-v1, edp-v1, mnasnet-v1, weighted-sum-v1');
    expect(() => createReward({})).toThrow('invalid reward.name: got undefined, expected a non-empty string');
  });
});
