import { ConfigError, NotFoundError, type Candidate } from '@cosearch/core';
import { createPolicy, MultiPhasePolicy, ReinforcePolicy, syntheticProblem } from './index';

const prob = syntheticProblem({ decisions: 9, choices: 3, phases: ['network', 'hardware', 'system'], seed: 2 });
const phaseOf = (name: string) => prob.space.decision(name).phase;

test('each stage changes only its own decisions; the others are held at the best candidate told so far', () => {
  const p = createPolicy('multi-phase-v1', {
    space: prob.space,
    seed: 3,
    params: {
      phases: [
        { phases: ['network'], budget: 30, policy: 'evolution-v1', params: { population: 8 } },
        { phases: ['hardware'], budget: 20, policy: 'random-v1' },
        { phases: ['system'], budget: 20, policy: 'reinforce-v1', params: { hidden: 8, batchSize: 5 } },
        { phases: ['network', 'hardware', 'system'], budget: 10, policy: 'reinforce-v1', params: { hidden: 8, batchSize: 5 } },
      ],
    },
  }) as MultiPhasePolicy;
  const seen: string[] = [];
  let best: { c: Candidate; r: number } | null = null;
  let jointMoved = new Set<string>();
  for (let step = 0; step < 20; step++) {
    const held = p.held();
    if (best) expect(held).toEqual(best.c);
    const stage = p.phase(); // the stage the next ask draws from
    seen.push(stage);
    const cs = p.ask(5);
    for (const c of cs) {
      for (const d of prob.space.decisions) {
        if (stage === 'network+hardware+system') {
          if (c[d.name] !== held[d.name]) jointMoved.add(d.phase);
        } else if (!stage.split('+').includes(d.phase)) {
          expect(c[d.name]).toBe(held[d.name]);
        }
      }
    }
    const res = cs.map((c) => ({ candidate: c, reward: prob.reward(c) }));
    for (const r of res) if (!best || r.reward > best.r) best = { c: r.candidate, r: r.reward };
    p.tell(res.reverse());
  }
  // Budgets 30/20/20 proposals of 5 per ask: 6 asks network, 4 hardware, 4 system, then joint.
  expect(seen.slice(0, 6).every((s) => s === 'network')).toBe(true);
  expect(seen.slice(6, 10).every((s) => s === 'hardware')).toBe(true);
  expect(seen.slice(10, 14).every((s) => s === 'system')).toBe(true);
  expect(seen.slice(14).every((s) => s === 'network+hardware+system')).toBe(true);
  expect([...jointMoved].sort()).toEqual(['hardware', 'network', 'system']);
  expect(phaseOf('d0')).toBe('network');
});

test('an ask spanning a stage boundary is split between the stages', () => {
  const p = createPolicy('multi-phase-v1', { space: prob.space, seed: 1, params: { phaseBudget: 4, policy: 'random-v1' } }) as MultiPhasePolicy;
  const held = p.held();
  const cs = p.ask(6);
  const net = prob.space.decisions.filter((d) => d.phase !== 'network');
  expect(cs.slice(0, 4).every((c) => net.every((d) => c[d.name] === held[d.name]))).toBe(true);
  expect(p.phase()).toBe('hardware');
  expect(p.stageIndex()).toBe(1);
  const nonHw = prob.space.decisions.filter((d) => d.phase !== 'hardware');
  expect(cs.slice(4).every((c) => nonHw.every((d) => c[d.name] === held[d.name]))).toBe(true);
});

test('the joint stage starts from what the per-phase RL policies learned (warm start, no incumbent blend)', () => {
  // Learn one network decision strongly, then check the joint controller proposes it far more
  // often than the uniform 1/3 before any joint update.
  const target = prob.best;
  const p = createPolicy('multi-phase-v1', {
    space: prob.space,
    seed: 5,
    params: { phaseBudget: 240, policy: 'reinforce-v1', params: { hidden: 8, batchSize: 8, learningRate: 0.03 }, incumbentWeight: 0 },
  }) as MultiPhasePolicy;
  const r = (c: Candidate) => (c.d0 === target.d0 ? 1 : 0) + (c.d1 === target.d1 ? 1 : 0);
  for (;;) {
    const cs = p.ask(8);
    if (p.stageIndex() === 3) break; // first joint proposals made, nothing told to the joint stage yet
    p.tell(cs.map((c) => ({ candidate: c, reward: r(c) })));
  }
  const joint = p.activePolicy() as ReinforcePolicy;
  expect(joint.updateCount()).toBe(0);
  const prior = joint.exportPrior();
  const k0 = prob.space.indexOf('d0', target.d0);
  expect(prior.d0[k0]).toBeGreaterThan(0.6);
  // A fresh controller with the same seed and no warm start is near uniform.
  const cold = createPolicy('reinforce-v1', { space: prob.space, seed: 5, params: { hidden: 8 } }) as ReinforcePolicy;
  expect(cold.exportPrior().d0[k0]).toBeLessThan(0.45);
});

test('schedule validation names the field', () => {
  expect(() => createPolicy('multi-phase-v1', { space: prob.space, seed: 1, params: { phases: [{ phases: ['nope'], budget: 3, policy: 'random-v1' }] } })).toThrow(ConfigError);
  expect(() => createPolicy('multi-phase-v1', { space: prob.space, seed: 1, params: { phases: [{ phases: ['network'], budget: 0, policy: 'random-v1' }] } })).toThrow(/budget/);
  expect(() => createPolicy('multi-phase-v1', { space: prob.space, seed: 1, params: { policy: 'nope-v1' } })).toThrow(/params.policy/);
  expect(() => createPolicy('reinforce-v1', { space: prob.space, seed: 1, params: { learningrate: 0.1 } })).toThrow(/learningrate/);
  expect(() => createPolicy('nope-v9', { space: prob.space, seed: 1 })).toThrow(NotFoundError);
});

test('with incumbentWeight λ the new stage starts proposing the incumbent choices with probability ≥ λ (random stages)', () => {
  const p = createPolicy('multi-phase-v1', {
    space: prob.space,
    seed: 2,
    params: { phases: [{ phases: ['network'], budget: 20, policy: 'random-v1' }, { phases: ['network', 'hardware', 'system'], budget: 1, policy: 'reinforce-v1', params: { hidden: 8 } }], incumbentWeight: 0.8 },
  }) as MultiPhasePolicy;
  p.tell(p.ask(20).map((c) => ({ candidate: c, reward: prob.reward(c) })));
  p.ask(1);
  const inc = p.held();
  const prior = (p.activePolicy() as ReinforcePolicy).exportPrior();
  for (const d of prob.space.decisions) expect(prior[d.name][prob.space.indexOf(d.name, inc[d.name])]).toBeGreaterThan(0.7);
});
