import { SearchSpace, type Candidate } from '@cosearch/core';
import { createPolicy, PpoPolicy, ReinforcePolicy } from './index';
import { tinyReward as reward, tinySpace as space, tinyTarget as target } from './__fixtures__/tiny-space';


// These tests check the learning rule itself, so they sample with replacement (resample 0): on a
// 27-candidate space, without-replacement sampling (resample.test.ts) would exhaust the space
// after 27 proposals and then spend its redraws for nothing.
function train(policy: ReinforcePolicy | PpoPolicy, updates: number): number[] {
  const trace: number[] = [policy.probability(target)];
  while (policy.updateCount() < updates) {
    const cs = policy.ask(policy.p.batchSize);
    policy.tell(cs.map((c) => ({ candidate: c, reward: reward(c) })));
    trace.push(policy.probability(target));
  }
  return trace;
}

test('REINFORCE learns the unique best candidate: P(best) from 1/27 to > 0.5 within 60 updates (seed 1)', () => {
  const p = createPolicy('reinforce-v1', { space, seed: 1, params: { learningRate: 0.02, batchSize: 8, resample: 0 } }) as ReinforcePolicy;
  const trace = train(p, 60);
  expect(trace[0]).toBeLessThan(0.1);
  expect(trace[trace.length - 1]).toBeGreaterThan(0.5);
});

test('PPO learns the unique best candidate: P(best) > 0.5 within 30 updates (seed 1)', () => {
  const p = createPolicy('ppo-v1', { space, seed: 1, params: { learningRate: 0.02, batchSize: 8, resample: 0 } }) as PpoPolicy;
  const trace = train(p, 30);
  expect(trace[0]).toBeLessThan(0.1);
  expect(trace[trace.length - 1]).toBeGreaterThan(0.5);
});

test('with a zero learning signal (constant reward) REINFORCE does not concentrate on the target', () => {
  const p = createPolicy('reinforce-v1', { space, seed: 1, params: { learningRate: 0.02, batchSize: 8, resample: 0 } }) as ReinforcePolicy;
  for (let i = 0; i < 30; i++) p.tell(p.ask(8).map((c) => ({ candidate: c, reward: 1 })));
  expect(p.probability(target)).toBeLessThan(0.1);
});

describe('masking', () => {
  // Half of the joint space is infeasible; the reward is highest on infeasible designs, so an
  // unmasked policy would be pulled towards them.
  const masked = new SearchSpace(
    [
      { name: 'bits', phase: 'hardware', choices: [2, 4, 8] },
      { name: 'rows', phase: 'hardware', choices: [64, 128, 256, 512] },
      { name: 'cols', phase: 'hardware', choices: [64, 128, 256] },
    ],
    [
      { name: 'area', decisions: ['bits', 'rows', 'cols'], check: (c) => (c.bits !== undefined && c.rows !== undefined && c.cols !== undefined && (c.bits as number) * (c.rows as number) * (c.cols as number) > 8 * 128 * 128 ? 'too big' : null) },
      { name: 'rows-vs-bits', decisions: ['bits', 'rows'], check: (c) => (c.bits === 8 && c.rows === 512 ? 'no' : null) },
    ],
  );
  const big = (c: Candidate) => (c.bits as number) * (c.rows as number) * (c.cols as number);
  // The LSTM policies redraw repeats (resample 5: few redraws, since the ~25 feasible candidates
  // run out long before the 200 proposals) — the redraws must honour the masks too.
  test.each(['reinforce-v1', 'ppo-v1', 'random-v1', 'evolution-v1', 'nsga2-v1', 'multi-phase-v1'])('%s never proposes an infeasible candidate', (name) => {
    const byName: Record<string, Record<string, unknown>> = {
      'nsga2-v1': { objectives: ['reward'] },
      'multi-phase-v1': { phaseBudget: 20, params: { batchSize: 5, resample: 5 } },
      'reinforce-v1': { resample: 5 },
      'ppo-v1': { resample: 5 },
    };
    const params = byName[name];
    const p = createPolicy(name, { space: masked, seed: 4, params });
    let proposals = 0;
    for (let i = 0; i < 40; i++) {
      const cs = p.ask(5);
      for (const c of cs) {
        expect(masked.violations(c)).toEqual([]);
        proposals++;
      }
      p.tell(cs.map((c) => ({ candidate: c, reward: Math.log2(big(c)) })));
    }
    expect(proposals).toBe(200);
  });
  test('a told infeasible candidate is accepted and skipped by the gradient', () => {
    const p = createPolicy('reinforce-v1', { space: masked, seed: 4, params: { batchSize: 2 } }) as ReinforcePolicy;
    const bad = { bits: 8, rows: 512, cols: 256 };
    expect(masked.isFeasible(bad)).toBe(false);
    expect(p.probability(bad)).toBe(0);
    p.tell([{ candidate: bad, reward: 100 }, { candidate: p.ask(1)[0], reward: 1 }]);
    expect(p.updateCount()).toBe(1);
    expect(p.controller.params.every(Number.isFinite)).toBe(true);
  });
});
