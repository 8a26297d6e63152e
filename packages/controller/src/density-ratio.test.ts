import { SearchSpace } from '@cosearch/core';
import { CategoricalDensityRatio, createPolicy, MultiPhasePolicy, type ReinforcePolicy } from './index';

test('density ratio matches a hand calculation (γ split, one uniform prior observation per decision)', () => {
  // Two decisions with 2 and 3 choices; 5 results, γ = 0.4 → n_g = ⌈2⌉ = 2 good (rewards 9, 7).
  const m = new CategoricalDensityRatio([2, 3]);
  m.fit(
    [
      { actions: [0, 2], reward: 1 },
      { actions: [1, 1], reward: 9 },
      { actions: [1, 2], reward: 7 },
      { actions: [0, 0], reward: 3 },
      { actions: [0, 2], reward: 2 },
    ],
    0.4,
  );
  // Decision 0: good counts [0, 2], other [3, 0]; l = (c + 1/2)/3, g = (c + 1/2)/4.
  // Decision 1: good counts [0, 1, 1], other [1, 0, 2]; l = (c + 1/3)/3, g = (c + 1/3)/4.
  const r = m.ratios();
  expect(r[0][0]).toBeCloseTo(Math.log(0.5 / 3) - Math.log(3.5 / 4), 12);
  expect(r[0][1]).toBeCloseTo(Math.log(2.5 / 3) - Math.log(0.5 / 4), 12);
  expect(r[1][0]).toBeCloseTo(Math.log(1 / 3 / 3) - Math.log(4 / 3 / 4), 12);
  expect(r[1][1]).toBeCloseTo(Math.log(4 / 3 / 3) - Math.log(1 / 3 / 4), 12);
  expect(r[1][2]).toBeCloseTo(Math.log(4 / 3 / 3) - Math.log(7 / 3 / 4), 12);
  expect(m.score([1, 1])).toBeCloseTo(r[0][1] + r[1][1], 12);
  // The best-looking candidate is the one the good results share.
  expect(m.score([1, 1])).toBeGreaterThan(m.score([0, 2]));
});

test('with fewer than two results every ratio is 1 (log 0)', () => {
  const m = new CategoricalDensityRatio([3]);
  m.fit([{ actions: [2], reward: 1 }], 0.1);
  expect(m.ratios()).toEqual([[0, 0, 0]]);
});

// 8 decisions × 4 choices; reward = number of decisions at choice 0 (separable, easy to model).
const space = new SearchSpace(Array.from({ length: 8 }, (_, i) => ({ name: `x${i}`, phase: i < 4 ? 'network' : 'hardware', choices: [0, 1, 2, 3] })));
const reward = (c: Record<string, unknown>) => Object.values(c).filter((v) => v === 0).length;

function meanRewardAfterWarmup(modelCandidates: number): { mean: number; keys: Set<string>; repeats: number } {
  // A learning rate too small to matter, so any gain comes from the filter, not from REINFORCE.
  const p = createPolicy('reinforce-v1', { space, seed: 11, params: { modelCandidates, learningRate: 1e-9, batchSize: 10 } }) as ReinforcePolicy;
  const keys = new Set<string>();
  let repeats = 0;
  const tell = (cs: Record<string, unknown>[]) => {
    for (const c of cs) {
      const k = space.key(c as never);
      if (keys.has(k)) repeats++;
      keys.add(k);
    }
    p.tell(cs.map((c) => ({ candidate: c as never, reward: reward(c) })));
  };
  for (let i = 0; i < 4; i++) tell(p.ask(10)); // 40 results to fit the model on
  let sum = 0;
  for (let i = 0; i < 6; i++) {
    const cs = p.ask(10);
    sum += cs.reduce((s, c) => s + reward(c), 0);
    tell(cs);
  }
  return { mean: sum / 60, keys, repeats };
}

test('modelCandidates: proposals picked by density ratio score far better than the controller alone, and never repeat', () => {
  const plain = meanRewardAfterWarmup(0);
  const model = meanRewardAfterWarmup(24);
  // Uniform proposals score 8/4 = 2 on average; the filter should move well above that.
  expect(plain.mean).toBeLessThan(2.6);
  expect(model.mean).toBeGreaterThan(plain.mean + 1);
  expect(model.repeats).toBe(0);
});

test('multi-phase-v2 caps a stage at its sub-space size and gives the rest to the last stage; v1 rejects the option', () => {
  const small = new SearchSpace([
    { name: 'n0', phase: 'network', choices: [0, 1, 2] },
    { name: 'n1', phase: 'network', choices: [0, 1] },
    { name: 'h0', phase: 'hardware', choices: [0, 1, 2, 3] },
    { name: 'h1', phase: 'hardware', choices: [0, 1, 2, 3] },
    { name: 'h2', phase: 'hardware', choices: [0, 1, 2, 3] },
  ], [
    // One network candidate is infeasible: the network sub-space has 5 feasible candidates.
    { name: 'no-2-1', decisions: ['n0', 'n1'], check: (c) => (c.n0 === 2 && c.n1 === 1 ? 'n0 = 2 with n1 = 1' : null) },
  ]);
  const params = {
    phases: [
      { phases: ['network'], budget: 20, policy: 'reinforce-v1', params: { hidden: 8 } },
      { phases: ['hardware'], budget: 20, policy: 'reinforce-v1', params: { hidden: 8 } },
      { phases: ['network', 'hardware'], budget: 10, policy: 'reinforce-v1', params: { hidden: 8 }, name: 'joint' },
    ],
  };
  const p = createPolicy('multi-phase-v2', { space: small, seed: 4, params }) as MultiPhasePolicy;
  expect(p.stageBudgets()).toEqual([5, 20, 25]);
  const cs = p.ask(5);
  expect(new Set(cs.map((c) => `${c.n0}.${c.n1}`)).size).toBe(5);
  p.tell(cs.map((c) => ({ candidate: c, reward: (c.n0 as number) + (c.h0 as number) })));
  expect(p.phase()).toBe('hardware');
  // The hardware sub-space (64) is larger than its budget: not cut.
  p.ask(1);
  expect(p.stageBudgets()).toEqual([5, 20, 25]);
  const off = createPolicy('multi-phase-v2', { space: small, seed: 4, params: { ...params, capStages: false } }) as MultiPhasePolicy;
  expect(off.stageBudgets()).toEqual([20, 20, 10]);
  expect(() => createPolicy('multi-phase-v1', { space: small, seed: 4, params: { ...params, capStages: true } })).toThrow(/capStages/);
});

test('multi-phase-v2 modelPrior: the next stage starts proposing the choices the good results share', () => {
  const params = (modelPrior: number) => ({
    incumbentWeight: 0,
    modelPrior,
    phases: [
      { phases: ['network'], budget: 40, policy: 'random-v1' },
      { phases: ['network', 'hardware'], budget: 10, policy: 'reinforce-v1', params: { hidden: 8 }, name: 'joint' },
    ],
  });
  // Graded reward (fewer ties than counting zeros): Σ (3 − x_i).
  const graded = (c: Record<string, unknown>) => Object.values(c).reduce((s: number, v) => s + 3 - (v as number), 0);
  const prior = (modelPrior: number) => {
    const p = createPolicy('multi-phase-v2', { space, seed: 9, params: params(modelPrior) }) as MultiPhasePolicy;
    p.tell(p.ask(40).map((c) => ({ candidate: c, reward: graded(c) })));
    p.ask(1);
    return (p.activePolicy() as ReinforcePolicy).exportPrior(512);
  };
  const on = prior(0.9), off = prior(0);
  // Network decisions x0..x3 were searched: choice 0 is what the good results share.
  const mean = (pr: Record<string, number[]>, ds: string[]) => ds.reduce((s, d) => s + pr[d][0], 0) / ds.length;
  // (40 random network candidates, 4 of them "good": their x0..x3 hold 7 zeros among 16 values.)
  expect(mean(on, ['x0', 'x1', 'x2', 'x3'])).toBeGreaterThan(mean(off, ['x0', 'x1', 'x2', 'x3']) + 0.1);
  expect(mean(off, ['x0', 'x1', 'x2', 'x3'])).toBeLessThan(0.3);
  // Held hardware decisions (one value in every result) get no density-ratio prior.
  for (const d of ['x4', 'x5', 'x6', 'x7']) expect(Math.abs(on[d][0] - off[d][0])).toBeLessThan(0.1);
});
