import { ConfigError } from '@cosearch/core';
import { createPolicy, riskSeekingSelect, upperQuantile, type ReinforcePolicy } from './index';
import { tinyReward as reward, tinySpace as space, tinyTarget as target } from './__fixtures__/tiny-space';

describe('risk-seeking quantile baseline (Petersen et al. 2021)', () => {
  // Hand-made batch: sorted 0..9; ε = 0.2 → index ⌈0.8·9⌉ = ⌈7.2⌉ = 8 → R_ε = 8 (numpy "higher").
  const batch = [1, 5, 3, 9, 7, 2, 8, 4, 6, 0];
  test('the (1 − ε)-quantile with "higher" interpolation, as numpy.quantile(r, 1 − ε, interpolation="higher")', () => {
    expect(upperQuantile(batch, 0.2)).toBe(8);
    expect(upperQuantile(batch, 0.1)).toBe(9); // ⌈8.1⌉ = 9
    expect(upperQuantile(batch, 0.5)).toBe(5); // ⌈4.5⌉ = 5
    expect(upperQuantile(batch, 1)).toBe(0); // every sample kept, baseline = the minimum
    expect(upperQuantile([2, 4, 6, 8, 10], 0.25)).toBe(8); // ⌈0.75·4⌉ = 3 exactly (no float ceil overshoot)
  });
  test('keeps exactly the samples at or above R_ε, in batch order', () => {
    expect(riskSeekingSelect(batch, 0.2)).toEqual({ threshold: 8, kept: [3, 6] });
    // Ties at the quantile are all kept (R ≥ R_ε), each with advantage 0.
    expect(riskSeekingSelect([3, 1, 3, 3, 2], 0.2)).toEqual({ threshold: 3, kept: [0, 2, 3] });
  });
});


test('riskEpsilon is validated', () => {
  for (const bad of [-0.1, 1.5, 'top', Number.NaN]) {
    expect(() => createPolicy('reinforce-v1', { space, seed: 0, params: { riskEpsilon: bad } })).toThrow(ConfigError);
    expect(() => createPolicy('ppo-v1', { space, seed: 0, params: { riskEpsilon: bad } })).toThrow(ConfigError);
  }
});

test('samples below the quantile do not move the policy (only the top-ε of the batch is learned from)', () => {
  const params = { riskEpsilon: 0.25, batchSize: 8, normaliseAdvantage: false, resample: 0 };
  const a = createPolicy('reinforce-v1', { space, seed: 3, params }) as ReinforcePolicy;
  const b = createPolicy('reinforce-v1', { space, seed: 3, params }) as ReinforcePolicy;
  const cs = a.ask(8);
  expect(b.ask(8)).toEqual(cs);
  const r = cs.map((_, i) => 10 + i); // R_ε = sorted[⌈0.75·7⌉ = 6] = 16: samples 6 and 7 kept
  a.tell(cs.map((c, i) => ({ candidate: c, reward: r[i] })));
  // Same top two, arbitrary different rewards below the quantile.
  b.tell(cs.map((c, i) => ({ candidate: c, reward: i >= 6 ? r[i] : -100 * i })));
  expect(a.updateCount()).toBe(1);
  expect(Array.from(b.controller.params)).toEqual(Array.from(a.controller.params));
  // …whereas the ordinary EMA-baseline gradient depends on every sample.
  const c = createPolicy('reinforce-v1', { space, seed: 3, params: { ...params, riskEpsilon: 0 } }) as ReinforcePolicy;
  const d = createPolicy('reinforce-v1', { space, seed: 3, params: { ...params, riskEpsilon: 0 } }) as ReinforcePolicy;
  c.ask(8);
  d.ask(8);
  c.tell(cs.map((x, i) => ({ candidate: x, reward: r[i] })));
  d.tell(cs.map((x, i) => ({ candidate: x, reward: i >= 6 ? r[i] : -100 * i })));
  expect(Array.from(d.controller.params)).not.toEqual(Array.from(c.controller.params));
});

// The reward takes integer values, so once the top ε of a batch all reach the best (ties at R_ε)
// the advantages vanish and learning stops there by design: P(best) rises well above ε = 0.25, not to 1.
test('risk-seeking REINFORCE learns the unique best candidate: P(best) from 1/27 to > 0.3 within 60 updates (seed 1)', () => {
  const p = createPolicy('reinforce-v1', { space, seed: 1, params: { learningRate: 0.02, batchSize: 8, riskEpsilon: 0.25, resample: 0 } }) as ReinforcePolicy;
  expect(p.probability(target)).toBeLessThan(0.1);
  while (p.updateCount() < 60) {
    const cs = p.ask(8);
    p.tell(cs.map((c) => ({ candidate: c, reward: reward(c) })));
  }
  expect(p.probability(target)).toBeGreaterThan(0.3);
});
