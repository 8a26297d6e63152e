import {
  MetricError,
  ParetoArchive,
  Rng,
  createReward,
  type Candidate,
  type EvalResult,
  type Policy,
  type PolicyContext,
  type Reward,
} from '@cosearch/core';
import type { ExperimentConfig, StageConfig } from './config';
import { writeCheckpoint, type Checkpoint } from './checkpoint';
import { Journal, type EvalRecord } from './journal';
import { checkAllFailed } from './failures';
import { CandidateFailure, type EvalPool } from './executor';
import type { Problem } from './problem';
import { Progress } from './progress';
import { pinnedSpace, stagePins } from './stages';

export type PolicyFactory = (name: string, ctx: PolicyContext) => Policy;

interface Outcome {
  metrics: EvalRecord['metrics'];
  error?: string;
  timing?: Record<string, number>;
}

interface CacheEntry {
  /** First index with this candidate (cache hits at later indices are marked `cached`). */
  first: number;
  outcome: Promise<Outcome>;
}

export interface LoopInput {
  dir: string;
  config: ExperimentConfig;
  problem: Problem;
  pool: EvalPool;
  journal: Journal;
  /** Records already in the journal (from an interrupted session), any order. */
  logged: readonly EvalRecord[];
  checkpoint: Checkpoint | null;
  createPolicy: PolicyFactory;
  progress: Progress;
  /** Set by a signal handler: finish the current round, checkpoint, stop. */
  shouldStop: (evals: number) => boolean;
}

/**
 * The co-search loop. Per round: ask a batch of `batchSize` candidates (independent of the
 * worker count) → evaluate them in parallel (cache by candidate key; every finished evaluation
 * is journaled at once) → score with the reward → tell the policy in ask order → update the
 * Pareto archive and best → checkpoint every `checkpointEvery` evaluations.
 *
 * Resume: the policy, RNG, archive and counters come from the last checkpoint (a round
 * boundary); rounds after it are replayed — the restored policy asks exactly what it asked
 * before, and candidates whose evaluations are already in the journal are answered from it
 * rather than re-evaluated — so a resumed run ends identical to an uninterrupted one.
 */
export async function searchLoop(input: LoopInput): Promise<Checkpoint> {
  const { config, problem, pool, journal, progress } = input;
  const space = problem.space;
  const reward: Reward = createReward(config.reward);
  const stages = config.search.stages;
  const sessionStart = Date.now();

  const byIndex = new Map<number, EvalRecord>();
  const cache = new Map<string, CacheEntry>();
  const records: EvalRecord[] = [];
  for (const r of [...input.logged].sort((a, b) => a.index - b.index)) {
    if (byIndex.has(r.index)) continue;
    byIndex.set(r.index, r);
    if (!cache.has(r.key)) cache.set(r.key, { first: r.index, outcome: Promise.resolve({ metrics: r.metrics, error: r.error }) });
  }

  const cp: Checkpoint = input.checkpoint
    ? structuredClone(input.checkpoint)
    : {
        version: 1, evals: 0, batches: 0, stage: 0, stageEvals: 0, stageSeed: 0, stageFixed: {}, policy: null,
        rng: new Rng(config.seed).fork('runner').state(), archive: { objectives: config.objectives, entries: [] },
        best: null, finished: false, policyS: 0, wallS: 0,
      };
  const rng = Rng.fromState(cp.rng);
  const archive = ParetoArchive.fromJSON<number>(cp.archive);
  const wallAtStart = cp.wallS;
  // records told so far, for the `best` pin of later stages (deterministic: by index)
  for (const r of byIndex.values()) if (r.index < cp.evals) records.push(r);
  records.sort((a, b) => a.index - b.index);

  const score = (o: Outcome): Pick<EvalRecord, 'reward' | 'violations' | 'error'> => {
    if (o.error !== undefined || !o.metrics) return { reward: config.search.errorReward, error: o.error ?? 'no metrics' };
    try {
      const ex = reward.explain(o.metrics);
      return ex.violations.length ? { reward: ex.reward, violations: ex.violations } : { reward: ex.reward };
    } catch (err) {
      if (err instanceof MetricError) return { reward: config.search.errorReward, error: err.message };
      throw err;
    }
  };

  const compute = (c: Candidate): Promise<Outcome> =>
    pool.evaluate(c).then(
      (out) => ({ metrics: out.metrics, timing: out.timing }),
      (err) => {
        if (err instanceof CandidateFailure) return { metrics: null, error: err.message };
        throw err;
      },
    );

  const evaluateOne = async (c: Candidate, index: number, stage: StageConfig, phase: string): Promise<EvalRecord> => {
    space.validate(c);
    const key = space.key(c);
    const logged = byIndex.get(index);
    if (logged && logged.key === key) return logged;
    let entry = cache.get(key);
    let cached = false;
    if (entry && entry.first < index) cached = true;
    else if (entry) entry.first = index; // known from a later index of the journal: still this index's own evaluation
    else {
      entry = { first: index, outcome: compute(c) };
      cache.set(key, entry);
    }
    const outcome = await entry.outcome;
    const rec: EvalRecord = {
      index, batch: cp.batches, stage: stage.name, phase, key, candidate: c, cached, metrics: outcome.metrics, ...score(outcome),
    };
    if (!cached && outcome.timing) rec.timing = outcome.timing;
    journal.append(rec);
    byIndex.set(index, rec);
    return rec;
  };

  const saveCheckpoint = (policy: Policy | null) => {
    cp.policy = policy ? policy.save() : null;
    cp.rng = rng.state();
    cp.archive = archive.toJSON();
    cp.wallS = wallAtStart + (Date.now() - sessionStart) / 1000;
    writeCheckpoint(input.dir, cp);
  };

  const bestCandidate = (): Candidate | null => (cp.best ? records.find((r) => r.index === cp.best!.index)?.candidate ?? null : null);
  let lastCheckpoint = cp.evals;
  let policy: Policy | null = null;

  while (cp.stage < stages.length && !input.shouldStop(cp.evals)) {
    const stage = stages[cp.stage];
    const policyConfig = stage.policy ?? config.policy;
    if (cp.stageEvals === 0 && cp.policy === null) {
      cp.stageSeed = rng.nextSeed() >>> 1; // non-negative 31-bit seed
      cp.stageFixed = stagePins(space, config, stage, bestCandidate());
    }
    const ctx: PolicyContext = { space: pinnedSpace(space, cp.stageFixed), seed: cp.stageSeed, params: policyConfig.params };
    policy = input.createPolicy(policyConfig.name, ctx);
    if (cp.policy) policy.load(cp.policy);

    while (cp.stageEvals < stage.budget && !input.shouldStop(cp.evals)) {
      const n = Math.min(config.search.batchSize, stage.budget - cp.stageEvals);
      const t0 = performance.now();
      const phase = policy.phase?.() ?? stage.name;
      const asked = policy.ask(n);
      cp.policyS += (performance.now() - t0) / 1000;
      if (asked.length !== n) throw new Error(`policy ${policyConfig.name} returned ${asked.length} candidates for ask(${n})`);
      const round = await Promise.all(asked.map((c, i) => evaluateOne(c, cp.evals + i, stage, phase)));
      const results: EvalResult[] = round.map((r) => ({
        candidate: r.candidate, reward: r.reward, ...(r.metrics ? { metrics: r.metrics } : {}), ...(r.error !== undefined ? { error: r.error } : {}),
      }));
      const t1 = performance.now();
      policy.tell(results);
      cp.policyS += (performance.now() - t1) / 1000;
      for (const r of round) {
        records.push(r);
        if (r.metrics && r.error === undefined) archive.insert(r.index, archive.valuesOf(r.metrics));
        if (!cp.best || r.reward > cp.best.reward) cp.best = { index: r.index, reward: r.reward };
      }
      checkAllFailed(records, config.search.budget);
      cp.evals += n;
      cp.stageEvals += n;
      cp.batches += 1;
      if (cp.stageEvals >= stage.budget) {
        policy.dispose?.();
        policy = null;
        cp.stage += 1;
        cp.stageEvals = 0;
        cp.policy = null;
      }
      if (cp.evals - lastCheckpoint >= config.search.checkpointEvery) {
        saveCheckpoint(policy);
        lastCheckpoint = cp.evals;
      }
      progress.update({ done: cp.evals, budget: config.search.budget, best: cp.best?.reward ?? null, paretoSize: archive.size, phase });
      if (!policy) break;
    }
    if (policy) {
      // stopped mid-stage: keep this stage's policy state in the exit checkpoint
      saveCheckpoint(policy);
      policy.dispose?.();
      return cp;
    }
  }
  cp.finished = cp.stage >= stages.length;
  saveCheckpoint(null);
  return cp;
}
