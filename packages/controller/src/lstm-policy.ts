import { Rng, type Candidate, type EvalResult, type Policy, type PolicyContext, type PolicyState, type SearchSpace } from '@cosearch/core';
import { Adam, type AdamState } from './adam';
import { CategoricalDensityRatio, type Scored } from './density-ratio';
import { LstmController, type Trace } from './lstm';
import { checkSeed, readParams, type ParamRule } from './params';
import type { DecisionPrior, PriorAware } from './prior';
import { riskSeekingSelect } from './risk-seeking';
import { checkState } from './state';

/**
 * Parameters shared by the LSTM policies (REFERENCES §1: Zoph & Le 2017, ENAS 2018). T, c and
 * the controller size follow ENAS; the learning rate and entropy weight were tuned on
 * tools/bench/controller.bench.ts (budgets of 200–1000 evaluations need a faster step than
 * ENAS's 3.5e-4, and with normalised advantages (unit scale) ENAS's 1e-4 entropy bonus is too
 * weak to stop early collapse onto a local optimum) — see the package README.
 */
export const LSTM_DEFAULTS = {
  hidden: 32,
  learningRate: 0.04,
  batchSize: 10,
  temperature: 5,
  tanhConstant: 2.5,
  entropyWeight: 0.03,
  baselineDecay: 0.9,
  normaliseAdvantage: true,
  initScale: 0.1,
  /**
   * Risk-seeking policy gradient (Petersen et al. 2021): 0 = off (every sample, EMA baseline);
   * ε in (0, 1] = learn only from the batch's top-ε quantile with the quantile as the baseline.
   */
  riskEpsilon: 0,
  /**
   * Sampling without replacement: a draw that repeats a candidate this policy already proposed
   * (or was told) is redrawn, up to this many times (0 = plain sampling, repeats allowed).
   * Default 50: measured on tools/bench/controller.bench.ts (seeds 200–219), it lowers the
   * median regret at 1000 evaluations of reinforce-v1 from 2.53 to 1.11 and of the multi-phase
   * controller from 0.99 to 0.19 (see the package README).
   */
  resample: 50,
  /**
   * Model-based proposal filter: 0 = off; M > 1 = each proposal is the best, by the TPE-style
   * density ratio l/g of the results told so far (`density-ratio.ts`), of up to M distinct unseen
   * draws of the controller (active once `modelStartup` results are told). The controller stays
   * the proposal distribution and keeps learning from what is evaluated.
   */
  modelCandidates: 0,
  /** Share γ of the told results the density ratio counts as good (at most 25 of them). */
  modelGamma: 0.1,
  /** Told results needed before the filter is used. */
  modelStartup: 10,
};

export const LSTM_RULES: { [K in keyof typeof LSTM_DEFAULTS]: ParamRule } = {
  hidden: { integer: true, min: 1, max: 1024 },
  learningRate: { above: 0 },
  batchSize: { integer: true, min: 1 },
  temperature: { above: 0 },
  tanhConstant: { min: 0 },
  entropyWeight: { min: 0 },
  baselineDecay: { min: 0, max: 1 },
  normaliseAdvantage: 'boolean',
  initScale: { min: 0 },
  riskEpsilon: { min: 0, max: 1 },
  resample: { integer: true, min: 0, max: 10000 },
  modelCandidates: { integer: true, min: 0, max: 1000 },
  modelGamma: { above: 0, max: 1 },
  modelStartup: { integer: true, min: 2 },
};

/** One told evaluation waiting for the next update. */
export interface Told {
  actions: number[];
  reward: number;
  /** log π_old(actions) at ask time (PPO's importance ratio); null when it was not asked. */
  oldLogp: number | null;
}

/**
 * Shared machinery of the learned policies: the LSTM controller, Adam, masked autoregressive
 * sampling, the EMA reward baseline, told-result buffering into batches of `batchSize`, and
 * exact checkpointing (weights, Adam moments, baseline, RNG, pending asks, buffered tells).
 * Subclasses implement `update(batch, advantages)`.
 *
 * Results are matched to asked samples by candidate key (any order, any batch size); a result
 * for a candidate that was never asked is still learned from (its log-probability is computed
 * under the current policy).
 */
export abstract class LstmPolicy<P extends typeof LSTM_DEFAULTS> implements Policy, PriorAware {
  abstract readonly name: string;
  readonly p: P;
  readonly controller: LstmController;
  protected adam: Adam;
  protected rng: Rng;
  protected baseline: number | null = null;
  protected rewardVar: number | null = null;
  protected buffer: Told[] = [];
  protected pending = new Map<string, number[]>();
  /** Keys of every candidate proposed or told so far (only kept when `resample` > 0). */
  protected seen = new Set<string>();
  /** Number of candidates of the space ignoring constraints (Π choices). */
  private readonly spaceSize: number;
  protected updates = 0;
  protected readonly space: SearchSpace;
  /** Every finite told result (kept only when `modelCandidates` > 0), for the density ratio. */
  protected history: Scored[] = [];
  private readonly model: CategoricalDensityRatio;

  constructor(ctx: PolicyContext, kind: string, defaults: P, rules: { [K in keyof P]: ParamRule }) {
    this.p = readParams(kind, ctx.params, defaults, rules);
    this.space = ctx.space;
    const root = new Rng(checkSeed(ctx.seed));
    this.controller = new LstmController(
      { sizes: ctx.space.decisions.map((d) => d.choices.length), hidden: this.p.hidden },
      { temperature: this.p.temperature, tanhConstant: this.p.tanhConstant },
    );
    this.controller.init(root.fork('init'), this.p.initScale);
    this.adam = new Adam(this.controller.params.length);
    this.rng = root.fork('sample');
    this.spaceSize = ctx.space.decisions.reduce((n, d) => n * d.choices.length, 1);
    this.model = new CategoricalDensityRatio(ctx.space.decisions.map((d) => d.choices.length));
  }

  protected abstract update(batch: Told[], advantages: number[]): void;

  /** Feasibility mask of step t given the actions so far (null when the decision is unconstrained). */
  protected maskOf = (t: number, actions: readonly number[]): boolean[] | null => {
    if (this.space.constraints.length === 0) return null;
    const partial: Candidate = {};
    for (let i = 0; i < actions.length; i++) {
      const d = this.space.decisions[i];
      partial[d.name] = d.choices[actions[i]];
    }
    return this.space.feasibleMask(partial, this.space.decisions[t].name);
  };

  /** Re-scores fixed actions under the current weights (for gradients). */
  protected score(actions: readonly number[]): Trace {
    return this.controller.forward((t) => actions[t], this.maskOf);
  }

  /**
   * Draws n candidates from the policy. With `resample` > 0 a draw equal to an earlier proposal
   * is rejected and redrawn (rejection sampling: until a new candidate comes up, this samples
   * exactly π restricted to the unseen candidates, π(x)/(1 − π(seen)) — sampling without
   * replacement from the sequence model, cf. Kool et al. ICML 2019), so a concentrated policy
   * does not spend evaluations on candidates it has already had scored. The gradient keeps
   * using ∇log π(x) (it ignores the renormalisation term ∇log(1 − π(seen)), a small bias while
   * π(seen) is small).
   */
  ask(n: number): Candidate[] {
    const out: Candidate[] = [];
    const filter = this.p.modelCandidates > 1 && this.history.length >= this.p.modelStartup;
    if (filter) this.model.fit(this.history, this.p.modelGamma);
    for (let i = 0; i < n; i++) {
      const picked = filter ? this.pickByModel() : null;
      if (picked) {
        this.seen.add(picked.key);
        this.remember(picked.key, picked.trace.logp);
        out.push(this.space.decode(picked.trace.actions));
        continue;
      }
      let trace = this.controller.forward((_, probs) => this.rng.categorical(probs), this.maskOf);
      let key = trace.actions.join('.');
      // Once every candidate of the (unconstrained) space has been seen, redraws cannot succeed.
      const redraws = this.seen.size >= this.spaceSize ? 0 : this.p.resample;
      for (let tries = 0; tries < redraws && this.seen.has(key); tries++) {
        trace = this.controller.forward((_, probs) => this.rng.categorical(probs), this.maskOf);
        key = trace.actions.join('.');
      }
      if (this.p.resample > 0) this.seen.add(key);
      this.remember(key, trace.logp);
      out.push(this.space.decode(trace.actions));
    }
    return out;
  }

  private remember(key: string, logp: number): void {
    const q = this.pending.get(key);
    if (q) q.push(logp);
    else this.pending.set(key, [logp]);
  }

  /**
   * The draw with the highest density ratio l/g among up to `modelCandidates` distinct draws not
   * proposed or told before (at most 4·M forward passes); null when no unseen draw came up.
   */
  private pickByModel(): { key: string; trace: Trace } | null {
    const m = this.p.modelCandidates;
    let best: { key: string; trace: Trace; score: number } | null = null;
    const drawn = new Set<string>();
    for (let tries = 0; tries < 4 * m && drawn.size < m; tries++) {
      const trace = this.controller.forward((_, probs) => this.rng.categorical(probs), this.maskOf);
      const key = trace.actions.join('.');
      if (drawn.has(key) || this.seen.has(key)) continue;
      drawn.add(key);
      const score = this.model.score(trace.actions);
      if (!best || score > best.score) best = { key, trace, score };
    }
    return best;
  }

  tell(results: readonly EvalResult[]): void {
    for (const r of results) {
      const actions = this.space.encode(r.candidate);
      const key = actions.join('.');
      if (this.p.resample > 0 || this.p.modelCandidates > 1) this.seen.add(key);
      const q = this.pending.get(key);
      let oldLogp: number | null = null;
      if (q) {
        oldLogp = q.shift()!;
        if (q.length === 0) this.pending.delete(key);
      }
      if (!Number.isFinite(r.reward)) continue;
      if (this.p.modelCandidates > 1) this.history.push({ actions, reward: r.reward });
      this.buffer.push({ actions, reward: r.reward, oldLogp });
      if (this.buffer.length >= this.p.batchSize) this.learn(this.buffer.splice(0, this.p.batchSize));
    }
  }

  /**
   * Advantages A_k = (R_k − b) / s with the EMA baseline b ← d·b + (1−d)·R (REFERENCES §1;
   * first batch: b = batch mean) and, when `normaliseAdvantage`, s = √(EMA of (R − b)²) so the
   * step size does not depend on the reward's units. With `riskEpsilon` ε > 0 the baseline is
   * instead the batch's (1 − ε)-quantile R_ε and only the samples with R ≥ R_ε reach the update
   * (risk-seeking policy gradient, `risk-seeking.ts`); s still normalises. Then the subclass's update.
   */
  private learn(batch: Told[]): void {
    const d = this.p.baselineDecay;
    if (this.baseline === null) this.baseline = batch.reduce((s, x) => s + x.reward, 0) / batch.length;
    if (this.rewardVar === null) this.rewardVar = batch.reduce((s, x) => s + (x.reward - this.baseline!) ** 2, 0) / batch.length;
    const scale = this.p.normaliseAdvantage ? Math.sqrt(this.rewardVar) : 1;
    const advantage = (r: number, b: number) => (scale > 1e-12 ? (r - b) / scale : this.p.normaliseAdvantage ? 0 : r - b);
    let used = batch;
    let adv: number[];
    if (this.p.riskEpsilon > 0) {
      const { threshold, kept } = riskSeekingSelect(batch.map((x) => x.reward), this.p.riskEpsilon);
      used = kept.map((k) => batch[k]);
      adv = used.map((x) => advantage(x.reward, threshold));
    } else {
      const b = this.baseline;
      adv = batch.map((x) => advantage(x.reward, b));
    }
    for (const x of batch) {
      this.rewardVar = d * this.rewardVar + (1 - d) * (x.reward - this.baseline) ** 2;
      this.baseline = d * this.baseline + (1 - d) * x.reward;
    }
    this.update(used, adv);
    this.updates++;
  }

  /** Number of gradient updates so far. */
  updateCount(): number {
    return this.updates;
  }

  /** Probability of proposing `candidate` under the current policy (masked). */
  probability(candidate: Candidate): number {
    return Math.exp(this.score(this.space.encode(candidate)).logp);
  }

  exportPrior(samples = 256): DecisionPrior {
    const rng = new Rng(this.rng.state().seed).fork(`prior-${this.updates}`);
    const counts = this.space.decisions.map((d) => new Array<number>(d.choices.length).fill(0));
    for (let i = 0; i < samples; i++) {
      const tr = this.controller.forward((_, probs) => rng.categorical(probs), this.maskOf);
      tr.actions.forEach((a, t) => counts[t][a]++);
    }
    const prior: DecisionPrior = {};
    this.space.decisions.forEach((d, t) => (prior[d.name] = counts[t].map((c) => (c + 0.5) / (samples + 0.5 * counts[t].length))));
    return prior;
  }

  /**
   * Warm start from another policy's per-decision choice distribution: each listed decision's
   * head bias is set so that, with the head weights' small random contribution, its logits are
   * log p (centred, kept inside the tanh clipping range), i.e. the new controller starts out
   * proposing that decision's choices with the learned frequencies.
   */
  importPrior(prior: DecisionPrior): void {
    const { temperature: T, tanhConstant: c } = this.controller.logits;
    this.space.decisions.forEach((d, t) => {
      const probs = prior[d.name];
      if (!probs || probs.length !== d.choices.length) return;
      const logs = probs.map((q) => Math.log(Math.max(q, 1e-6)));
      const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
      const hb = this.controller.off.headBias[t];
      logs.forEach((lg, k) => {
        let l = lg - mean;
        if (c > 0) {
          l = Math.max(-0.95 * c, Math.min(0.95 * c, l));
          this.controller.params[hb + k] = T * Math.atanh(l / c);
        } else {
          this.controller.params[hb + k] = T * l;
        }
      });
    });
  }

  save(): PolicyState {
    return {
      kind: this.name,
      version: 1,
      params: Array.from(this.controller.params),
      adam: this.adam.state(),
      rng: this.rng.state(),
      baseline: this.baseline,
      rewardVar: this.rewardVar,
      buffer: this.buffer.map((x) => ({ ...x, actions: [...x.actions] })),
      pending: [...this.pending.entries()].map(([k, v]) => [k, [...v]]),
      seen: [...this.seen],
      history: this.history.map((h) => ({ actions: [...h.actions], reward: h.reward })),
      updates: this.updates,
    };
  }

  load(state: PolicyState): void {
    checkState(state, this.name, 1);
    const params = state.params as number[];
    if (params.length !== this.controller.params.length) {
      checkState({ kind: `${this.name} with ${params.length} weights`, version: 1 }, this.name, 1);
    }
    this.controller.params.set(params);
    this.adam.restore(state.adam as AdamState);
    this.rng = Rng.fromState(state.rng as never);
    this.baseline = state.baseline as number | null;
    this.rewardVar = state.rewardVar as number | null;
    this.buffer = (state.buffer as Told[]).map((x) => ({ ...x, actions: [...x.actions] }));
    this.pending = new Map((state.pending as [string, number[]][]).map(([k, v]) => [k, [...v]]));
    this.seen = new Set((state.seen as string[] | undefined) ?? []);
    this.history = ((state.history as Scored[] | undefined) ?? []).map((h) => ({ actions: [...h.actions], reward: h.reward }));
    this.updates = state.updates as number;
  }
}
