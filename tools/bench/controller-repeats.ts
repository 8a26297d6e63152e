/**
 * How many of a search's proposals are repeats (candidates it had already proposed)? On the
 * synthetic controller benchmark problem, 1000 proposals in asks of 10, the multi-phase
 * controller as the bench runs it (stages of 100 for network, hardware, system, then joint) and
 * regularised evolution (P 20, S 5); prints, every 100 proposals, regret/distinct-candidates.
 * Used for the "why sampling without replacement" figures in packages/controller/README.md:
 *
 *   node --conditions=@cosearch/source --import tsx tools/bench/controller-repeats.ts [resample] [seed,seed,...]
 *
 * (resample: the LSTM sub-policies' `resample`, default 0 = the first release's sampling with
 * replacement; seeds default 200,201,202,203.)
 */
import { createPolicy, syntheticProblem } from '@cosearch/controller';

const p = syntheticProblem({ decisions: 16, choices: 4, seed: 1, interaction: 1 });
const resample = Number(process.argv[2] ?? '0');
const seeds = (process.argv[3] ?? '200,201,202,203').split(',').map(Number);
const budget = 1000, stage = 100;
const sub = { policy: 'reinforce-v1', params: { resample } };
const setups: Record<string, { policy: string; params: Record<string, unknown> }> = {
  [`multi-phase-v1 (reinforce, resample ${resample})`]: {
    policy: 'multi-phase-v1',
    params: {
      incumbentWeight: 0.25,
      phases: [
        { phases: ['network'], budget: stage, ...sub },
        { phases: ['hardware'], budget: stage, ...sub },
        { phases: ['system'], budget: stage, ...sub },
        { phases: ['network', 'hardware', 'system'], budget: budget - 3 * stage, ...sub, name: 'joint' },
      ],
    },
  },
  'evolution-v1': { policy: 'evolution-v1', params: { population: 20, sampleSize: 5 } },
};
for (const [name, setup] of Object.entries(setups)) {
  console.log(name);
  for (const seed of seeds) {
    const policy = createPolicy(setup.policy, { space: p.space, seed, params: setup.params });
    const seen = new Set<string>();
    let best = -Infinity;
    const marks: string[] = [];
    for (let done = 0; done < budget; done += 10) {
      const cs = policy.ask(10);
      cs.forEach((c) => seen.add(p.space.key(c)));
      const results = cs.map((c) => ({ candidate: c, reward: p.reward(c) }));
      results.forEach((r) => (best = Math.max(best, r.reward)));
      policy.tell(results);
      if ((done + 10) % 100 === 0) marks.push(`${done + 10}: ${(p.optimum - best).toFixed(2)}/${seen.size}`);
    }
    console.log(`  seed ${seed}  ${marks.join('  ')}`);
  }
}
