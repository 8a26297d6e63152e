import { Registry } from '../registry';
import { asObject, stringField, type Obj } from '../validate';
import type { Reward } from './reward';
import { MnasNetReward } from './mnasnet';
import { WeightedSumReward } from './weighted-sum';
import { ConstrainedReward } from './constrained';
import { FigureOfMeritReward } from './figure-of-merit';

/** Rewards by versioned name; add your own with `rewardRegistry.register({...})`. */
export const rewardRegistry = new Registry<Reward, Obj>('reward');

rewardRegistry.register({
  name: 'mnasnet-v1',
  description: 'MnasNet: accuracy × Π (m/target)^w, soft (α=β=−0.07) or hard (α=0, β=−1) per target',
  defaults: { targets: [{ metric: 'latencyS', target: 1e-3, mode: 'soft' }] },
  create: (c) => MnasNetReward.fromConfig(c),
});
rewardRegistry.register({
  name: 'weighted-sum-v1',
  description: 'Σ ±weight · metric/scale (accuracy +, costs −)',
  defaults: { objectives: [{ metric: 'accuracy', weight: 1, scale: 1 }, { metric: 'latencyS', weight: 0.1, scale: 1e-3 }] },
  create: (c) => WeightedSumReward.fromConfig(c),
});
rewardRegistry.register({
  name: 'constrained-v1',
  description: 'accuracy − Σ λ·max(0, m/limit − 1); hard: fixed penalty when any limit is broken (NASAIC)',
  defaults: { specs: [{ metric: 'latencyS', limit: 1e-3, lambda: 1 }], hard: false, penalty: -1 },
  create: (c) => ConstrainedReward.fromConfig(c),
});
rewardRegistry.register({
  name: 'edp-v1',
  description: 'accuracyWeight·accuracy − log10(energy×latency / reference)',
  defaults: { reference: 1, accuracyWeight: 0 },
  create: (c) => FigureOfMeritReward.fromConfig('edp', c),
});
rewardRegistry.register({
  name: 'edap-v1',
  description: 'accuracyWeight·accuracy − log10(energy×latency×area / reference)',
  defaults: { reference: 1, accuracyWeight: 0 },
  create: (c) => FigureOfMeritReward.fromConfig('edap', c),
});

/**
 * Builds a reward from plain config `{ name: 'mnasnet-v1', ...params }`. Parameters left out
 * take the entry's listed `defaults` (what `cosearch list rewards` shows).
 */
export function createReward(config: unknown): Reward {
  const o = asObject(config, 'reward');
  const name = stringField(o, 'name', 'reward');
  const entry = rewardRegistry.get(name);
  const rest: Obj = { ...(entry.defaults ?? {}), ...o };
  delete rest.name;
  return entry.create(rest);
}
