import type { PolicyContext } from '@cosearch/core';
import { checkSaveLoad, conformanceSpace, policyRegistry, RandomPolicy, registerPolicy, runPolicyConformance } from './index';

// Small parameters keep the suite fast; every built-in policy must pass.
const small: Record<string, Record<string, unknown>> = {
  'reinforce-v1': { hidden: 8, batchSize: 4 },
  'ppo-v1': { hidden: 8, batchSize: 4, epochs: 2 },
  'evolution-v1': { population: 6, sampleSize: 3 },
  'nsga2-v1': { population: 6 },
  'multi-phase-v1': { phaseBudget: 6, policy: 'reinforce-v1', params: { hidden: 8, batchSize: 4 } },
  // v2 with its options on: capped stages, density-ratio prior, sub-policies with the model filter.
  'multi-phase-v2': { phaseBudget: 6, policy: 'reinforce-v1', params: { hidden: 8, batchSize: 4, modelCandidates: 4, modelStartup: 3 }, modelPrior: 0.5 },
};

for (const name of policyRegistry.names()) {
  runPolicyConformance(name, (seed) => ({ space: conformanceSpace(), seed, params: small[name] }));
}

// The LSTM options that change sampling and the update: without-replacement sampling (its seen
// set must checkpoint) and the risk-seeking quantile baseline.
for (const name of ['reinforce-v1', 'ppo-v1']) {
  runPolicyConformance(name, (seed) => ({ space: conformanceSpace(), seed, params: { ...small[name], resample: 5, riskEpsilon: 0.5 } }));
}

// A schedule mixing policies: evolution per phase, then PPO jointly.
runPolicyConformance('multi-phase-v1', (seed) => ({
  space: conformanceSpace(),
  seed,
  params: {
    phases: [
      { phases: ['network'], budget: 5, policy: 'evolution-v1', params: { population: 4 } },
      { phases: ['hardware', 'system'], budget: 5, policy: 'reinforce-v1', params: { hidden: 6, batchSize: 3 } },
      { phases: ['network', 'hardware', 'system'], budget: 1, policy: 'ppo-v1', params: { hidden: 6, batchSize: 3 } },
    ],
  },
}));

test('the conformance suite detects a policy that breaks save/load', () => {
  // A policy that forgets its RNG position on load must fail checkSaveLoad.
  class Forgetful extends RandomPolicy {
    override load(): void {}
  }
  registerPolicy('forgetful-test-v1', (ctx: PolicyContext) => new Forgetful(ctx), { description: 'test only' });
  expect(() => checkSaveLoad('forgetful-test-v1', (seed) => ({ space: conformanceSpace(), seed }))).toThrow(/differs/);
});
