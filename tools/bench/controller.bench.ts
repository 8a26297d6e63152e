/**
 * Controller benchmark (issue: controller): every policy at equal evaluation budgets on problems
 * with a known optimum; median and quartiles over seeds of the best reward found and of the
 * regret (optimum − best); policy overhead per proposal (ask + tell time, evaluation excluded).
 *
 *   nice -n 10 node --conditions=@cosearch/source --import tsx tools/bench/controller.bench.ts \
 *     [--seeds 10] [--seed0 0] [--budgets 200,500,1000] [--problems synthetic,hardware] [--policies a,b] [--batch 10]
 *     [--rl '{"learningRate":0.01}'] (overrides of the RL settings) [--stage 0.1] (multi-phase stage share) [--incumbent 0.25]
 *     [--stage-rl '{...}'] (overrides for the single-phase stages) [--jobs 2] (Optuna seeds run concurrently)
 *     [--v2 '{...}'] (multi-phase-v2 settings, see V2 below)
 *
 * Policy setups: the baselines; reinforce-v1 / ppo-v1 alone; the multi-phase controller with
 * REINFORCE or PPO in every stage; and 'multi-phase-v1 (reinforce; resample 0)', the controller
 * as first released (sampling with replacement), kept as the before/after reference.
 *
 * Policies that do not know the budget (all but multi-phase) run once to the largest budget and
 * are read at each budget (the first b proposals of that run ARE a budget-b run); the
 * multi-phase schedule scales with the budget, so it runs once per budget.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createPolicy } from '@cosearch/controller';
import type { Candidate, Policy } from '@cosearch/core';
import { mannWhitney } from '@cosearch/runner';
import { hardwareBench, syntheticBench, type BenchProblem } from './controller-problems';
import { findOptuna, OptunaPeer, type OptunaSampler } from './peers/optuna';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const seeds = Number(arg('seeds', '10'));
/** First seed (reported tables: seeds 0–9 and 100–109; the resample/risk-seeking tuning used seeds 200–219). */
const seed0 = Number(arg('seed0', '0'));
const budgets = arg('budgets', '200,500,1000').split(',').map(Number);
const batch = Number(arg('batch', '10'));
/** Optuna seeds run concurrently (one Python process each); the project's policies run one at a time. */
const jobs = Number(arg('jobs', '1'));
/**
 * `--save f.json`: writes every policy's per-seed regrets ({ problem: { policy: { seeds, budgets,
 * regret: [budget][seed] } } }); `--load a.json,b.json`: adds saved rows (same seeds and budgets)
 * to the tables and the comparison, e.g. Optuna's from an earlier run or a run split by seeds.
 */
const saveTo = arg('save', '');
const loadFrom = arg('load', '').split(',').filter(Boolean);
type Saved = Record<string, Record<string, { seeds: number[]; budgets: number[]; regret: number[][]; optuna?: boolean }>>;
const problems = arg('problems', 'synthetic,hardware').split(',');

/** RL settings: the package defaults (tuned with the --rl/--stage/--incumbent sweeps in the README), plus overrides. */
const RL: Record<string, unknown> = JSON.parse(arg('rl', '{}'));
/** RL settings of the single-phase stages of the multi-phase schedule (short budgets: learn fast). */
const STAGE_RL = { ...RL, ...JSON.parse(arg('stage-rl', '{}')) };
/** Share of the budget given to each single-phase stage of the multi-phase schedule. */
const stageShare = Number(arg('stage', '0.1'));
/** Weight of the incumbent in the prior handed to each new stage (multi-phase incumbentWeight). */
const incumbentWeight = Number(arg('incumbent', '0.25'));
type Setup = { policy: string; params: (budget: number) => Record<string, unknown>; budgetAware?: boolean; optuna?: OptunaSampler };
/** PPO takes `epochs` Adam steps per batch, so a quarter of REINFORCE's step size. */
const PPO_RL = { learningRate: 0.01, epochs: 4 };
/**
 * The multi-phase schedule: network → hardware → system stages with `stageShare` of the budget
 * each, then all phases jointly for the rest, the same sub-policy in every stage.
 */
function multiPhase(sub: string, stageParams: Record<string, unknown>, jointParams: Record<string, unknown>): Setup {
  return {
    policy: 'multi-phase-v1',
    budgetAware: true,
    params: (b) => {
      const stage = Math.round((stageShare * b) / batch) * batch;
      return {
        incumbentWeight,
        phases: [
          { phases: ['network'], budget: stage, policy: sub, params: stageParams },
          { phases: ['hardware'], budget: stage, policy: sub, params: stageParams },
          { phases: ['system'], budget: stage, policy: sub, params: stageParams },
          { phases: ['network', 'hardware', 'system'], budget: b - 3 * stage, policy: sub, params: jointParams, name: 'joint' },
        ],
      };
    },
  };
}
/**
 * multi-phase-v2 as the bench runs it (`--v2 '{...}'` overrides, for the tuning sweeps):
 * `stage` = share of the budget per single-phase stage, `stageSmall`/`small` = the share used
 * at budgets ≤ `small`, `sub` = params of every sub-policy (REINFORCE), `joint` = extra params
 * of the joint stage, `policy` = multi-phase-v2 params (capStages, modelPrior, ...).
 */
const V2 = {
  stage: 0.1, stageSmall: 0.1, small: 0,
  sub: { modelCandidates: 16 } as Record<string, unknown>, joint: {} as Record<string, unknown>, policy: {} as Record<string, unknown>,
  ...JSON.parse(arg('v2', '{}')),
};
function multiPhaseV2(): Setup {
  return {
    policy: 'multi-phase-v2',
    budgetAware: true,
    params: (b) => {
      const share = b <= V2.small ? V2.stageSmall : V2.stage;
      const stage = Math.max(batch, Math.round((share * b) / batch) * batch);
      const sub = { ...RL, ...V2.sub };
      return {
        incumbentWeight,
        ...V2.policy,
        phases: [
          { phases: ['network'], budget: stage, policy: 'reinforce-v1', params: sub },
          { phases: ['hardware'], budget: stage, policy: 'reinforce-v1', params: sub },
          { phases: ['system'], budget: stage, policy: 'reinforce-v1', params: sub },
          { phases: ['network', 'hardware', 'system'], budget: b - 3 * stage, policy: 'reinforce-v1', params: { ...sub, ...V2.joint }, name: 'joint' },
        ],
      };
    },
  };
}
const SETUPS: Record<string, Setup> = {
  'random-v1': { policy: 'random-v1', params: () => ({}) },
  'evolution-v1': { policy: 'evolution-v1', params: () => ({ population: 20, sampleSize: 5 }) },
  'nsga2-v1': { policy: 'nsga2-v1', params: () => ({ population: 20, objectives: ['reward'] }) },
  'reinforce-v1': { policy: 'reinforce-v1', params: () => RL },
  'ppo-v1': { policy: 'ppo-v1', params: () => ({ ...PPO_RL, ...RL }) },
  'multi-phase-v1 (reinforce)': multiPhase('reinforce-v1', STAGE_RL, RL),
  'multi-phase-v1 (ppo)': multiPhase('ppo-v1', { ...PPO_RL, ...STAGE_RL }, { ...PPO_RL, ...RL }),
  // The controller as first released (sampling with replacement): the "before" row of the README.
  'multi-phase-v1 (reinforce; resample 0)': multiPhase('reinforce-v1', { ...STAGE_RL, resample: 0 }, { ...RL, resample: 0 }),
  'multi-phase-v2 (reinforce)': multiPhaseV2(),
  // Optuna peers (tools/bench/peers/optuna.ts): installed on demand, skipped when unavailable.
  'optuna-tpe': { policy: 'optuna', optuna: 'tpe', params: () => ({}) },
  'optuna-nsga2': { policy: 'optuna', optuna: 'nsga2', params: () => ({}) },
  'optuna-random': { policy: 'optuna', optuna: 'random', params: () => ({}) },
};
const policies = arg('policies', Object.keys(SETUPS).join(',')).split(',');

/** Runs one policy for `budget` evaluations; returns the best-so-far after each budget in `marks`. */
function run(problem: BenchProblem, setup: Setup, seed: number, budget: number, marks: number[]): { best: number[]; ms: number } {
  const policy: Policy = createPolicy(setup.policy, { space: problem.space, seed, params: setup.params(budget) });
  let best = -Infinity, done = 0, ms = 0;
  const out: number[] = [];
  while (done < budget) {
    const n = Math.min(batch, budget - done);
    const t0 = performance.now();
    const cs: Candidate[] = policy.ask(n);
    ms += performance.now() - t0;
    const results = cs.map((c) => ({ candidate: c, reward: problem.reward(c) }));
    for (const r of results) best = Math.max(best, r.reward);
    const t1 = performance.now();
    policy.tell(results);
    ms += performance.now() - t1;
    done += n;
    for (const m of marks) if (done === m) out.push(best);
  }
  policy.dispose?.();
  return { best: out, ms };
}

/** The same loop with an Optuna study (peer process) proposing; rewards from the same TS problem. */
async function runOptuna(python: string, problem: BenchProblem, sampler: OptunaSampler, seed: number, budget: number, marks: number[]): Promise<{ best: number[]; ms: number }> {
  const peer = await OptunaPeer.start(python, problem.space, sampler, seed);
  let best = -Infinity, done = 0, ms = 0;
  const out: number[] = [];
  try {
    while (done < budget) {
      const n = Math.min(batch, budget - done);
      const t0 = performance.now();
      const cs = await peer.ask(n);
      ms += performance.now() - t0;
      const rewards = cs.map((c) => {
        if (!problem.space.isFeasible(c)) throw new Error(`optuna ${sampler} proposed an infeasible candidate ${problem.space.key(c)}`);
        return problem.reward(c);
      });
      for (const r of rewards) best = Math.max(best, r);
      const t1 = performance.now();
      await peer.tell(rewards);
      ms += performance.now() - t1;
      done += n;
      for (const m of marks) if (done === m) out.push(best);
    }
  } finally {
    peer.close();
  }
  return { best: out, ms };
}

function quartiles(xs: number[]): [number, number, number] {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => {
    const i = p * (s.length - 1), lo = Math.floor(i), hi = Math.ceil(i);
    return s[lo] + (s[hi] - s[lo]) * (i - lo);
  };
  return [q(0.25), q(0.5), q(0.75)];
}
const fmt = (x: number, d = 3) => x.toFixed(d);
const cell = (xs: number[], d = 3) => {
  const [a, m, b] = quartiles(xs);
  return `${fmt(m, d)} [${fmt(a, d)}, ${fmt(b, d)}]`;
};

async function main(): Promise<void> {
  const started = performance.now();
  const save: Saved = {};
  const savedSeeds: Record<string, number[]> = {};
  let optuna: { python: string; version: string } | null = null;
  if (policies.some((p) => SETUPS[p]?.optuna)) {
    const found = findOptuna((s) => process.stderr.write(`${s}\n`));
    if ('why' in found) console.log(`\nOptuna peer skipped: ${found.why}`);
    else {
      optuna = found;
      console.log(`\nOptuna ${found.version} peer (${found.python}): TPESampler(multivariate=True, group=True), NSGAIISampler(), RandomSampler(), defaults otherwise`);
    }
  }
  for (const name of problems) {
    const problem = name === 'synthetic' ? syntheticBench() : hardwareBench((s) => process.stderr.write(`${s}\n`));
    console.log(`\n### ${problem.name}: ${problem.note}; optimum ${fmt(problem.optimum, 4)}; seeds ${seed0}–${seed0 + seeds - 1}, batches of ${batch}\n`);
    console.log('| policy | budget | best reward, median [q1, q3] | regret, median [q1, q3] | overhead ms/proposal |');
    console.log('|---|---:|---|---|---:|');
    const regrets: Record<string, number[][]> = {};
    for (const pname of policies.filter((p) => p !== 'none')) {
      const setup = SETUPS[pname];
      if (!setup) throw new Error(`unknown policy setup ${pname}; have ${Object.keys(SETUPS).join(', ')}`);
      if (setup.optuna && !optuna) continue;
      const best: number[][] = budgets.map(() => []);
      const ms: number[][] = budgets.map(() => []);
      const max = Math.max(...budgets);
      if (setup.optuna) {
        // Seeds run `--jobs` at a time (one peer process each; results kept in seed order).
        const all: { best: number[]; ms: number }[] = [];
        let next = seed0;
        const worker = async () => {
          while (next < seed0 + seeds) {
            const seed = next++;
            all[seed - seed0] = await runOptuna(optuna!.python, problem, setup.optuna!, seed, max, budgets);
            process.stderr.write(`${problem.name} ${pname} seed ${seed} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
          }
        };
        await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
        for (const r of all) budgets.forEach((_, i) => { best[i].push(r.best[i]); ms[i].push(r.ms / max); });
      }
      for (let seed = seed0; seed < seed0 + seeds && !setup.optuna; seed++) {
        if (setup.budgetAware) {
          budgets.forEach((b, i) => {
            const r = run(problem, setup, seed, b, [b]);
            best[i].push(r.best[0]);
            ms[i].push(r.ms / b);
          });
        } else {
          const r = run(problem, setup, seed, max, budgets);
          budgets.forEach((_, i) => { best[i].push(r.best[i]); ms[i].push(r.ms / max); });
        }
        process.stderr.write(`${problem.name} ${pname} seed ${seed} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
      }
      regrets[pname] = budgets.map((_, i) => best[i].map((x) => problem.optimum - x));
      budgets.forEach((b, i) => {
        console.log(`| ${pname} | ${b} | ${cell(best[i], 4)} | ${cell(regrets[pname][i], 4)} | ${fmt(quartiles(ms[i])[1], 3)} |`);
      });
    }
    for (const f of loadFrom) {
      const saved = (JSON.parse(readFileSync(f, 'utf8')) as Saved)[problem.name] ?? {};
      for (const [p, row] of Object.entries(saved)) {
        const idx = budgets.map((b) => row.budgets.indexOf(b));
        if (idx.some((k) => k < 0)) throw new Error(`${f}: ${p} lacks budgets ${budgets.join(',')}`);
        const merged = idx.map((k) => row.regret[k]);
        const key = `${problem.name}/${p}`;
        if (regrets[p] && !savedSeeds[key]) savedSeeds[key] = Array.from({ length: seeds }, (_, i) => seed0 + i);
        if (regrets[p]) {
          // A run split by seeds: concatenate (the seed lists must not overlap).
          regrets[p] = regrets[p].map((r, i) => [...r, ...merged[i]]);
        } else regrets[p] = merged;
        if (row.optuna && !SETUPS[p]) SETUPS[p] = { policy: 'optuna', optuna: 'tpe', params: () => ({}) };
        savedSeeds[key] = [...(savedSeeds[key] ?? []), ...row.seeds];
        console.log(`| ${p} (loaded from ${f}, seeds ${row.seeds[0]}–${row.seeds[row.seeds.length - 1]}) | ${budgets.join(' / ')} | — | ${merged.map((r) => cell(r, 4)).join(' / ')} | — |`);
      }
    }
    if (saveTo) {
      save[problem.name] = {};
      for (const [p, r] of Object.entries(regrets)) {
        save[problem.name][p] = { seeds: savedSeeds[`${problem.name}/${p}`] ?? Array.from({ length: seeds }, (_, i) => seed0 + i), budgets, regret: r, optuna: !!SETUPS[p]?.optuna };
      }
      writeFileSync(saveTo, JSON.stringify(save, null, 1));
    }
    const median = (p: string, i: number) => quartiles(regrets[p][i])[1];
    if (regrets['random-v1']) {
      console.log('\nmedian regret relative to random search (lower is better):');
      for (const p of Object.keys(regrets)) {
        console.log(`  ${p}: ${budgets.map((b, i) => `${b}: ${fmt(median(p, i) / Math.max(1e-12, median('random-v1', i)), 2)}`).join(', ')}`);
      }
    }
    // Each project policy against Optuna's best sampler at each budget (lowest median regret there).
    const peers = Object.keys(regrets).filter((p) => SETUPS[p].optuna);
    if (peers.length) {
      console.log('\nagainst Optuna\'s best sampler per budget (regret; two-sided Mann-Whitney U over seeds, Cliff\'s δ > 0 = the policy\'s regret tends lower):\n');
      console.log('| policy | budget | policy regret, median [q1, q3] | best Optuna sampler | its regret, median [q1, q3] | median ≤ Optuna | p | δ |');
      console.log('|---|---:|---|---|---|---|---:|---:|');
      for (const p of Object.keys(regrets).filter((x) => !SETUPS[x].optuna)) {
        budgets.forEach((b, i) => {
          const bestPeer = peers.reduce((a, c) => (median(c, i) < median(a, i) ? c : a));
          const mw = mannWhitney(regrets[bestPeer][i], regrets[p][i]);
          console.log(`| ${p} | ${b} | ${cell(regrets[p][i], 4)} | ${bestPeer} | ${cell(regrets[bestPeer][i], 4)} | ${median(p, i) <= median(bestPeer, i) ? 'yes' : 'NO'} | ${fmt(mw.p, 3)} | ${fmt(mw.cliffsDelta, 2)} |`);
        });
      }
    }
  }
  console.log(`\nwall time ${((performance.now() - started) / 1000).toFixed(0)} s (shared 2-core machine)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
