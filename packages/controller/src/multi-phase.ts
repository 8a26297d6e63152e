import {
  asObject, ConfigError, Rng, SearchSpace,
  type Candidate, type Constraint, type EvalResult, type Policy, type PolicyContext, type PolicyState, type Registry,
} from '@cosearch/core';
import { project } from './candidates';
import { CategoricalDensityRatio, type Scored } from './density-ratio';
import { checkSeed, readParams } from './params';
import type { DecisionPrior, PriorAware } from './prior';
import { checkState } from './state';

/** One stage of the schedule: which decision phases move, for how many proposals, with which policy. */
export interface PhaseSpec {
  phases: string[];
  budget: number;
  policy: string;
  params?: Record<string, unknown>;
  /** Label reported by `phase()`; default the phases joined with '+'. */
  name?: string;
}

export const MULTI_PHASE_DEFAULTS = {
  /** Explicit schedule; empty = one stage per space phase (in order), then all phases jointly. */
  phases: [] as PhaseSpec[],
  /** Policy and budget of each stage of the automatic schedule (the joint stage is unbounded). */
  policy: 'reinforce-v1',
  phaseBudget: 100,
  params: {} as Record<string, unknown>,
  /**
   * Weight λ of the best candidate so far in the prior handed to a new stage: per decision,
   * (1 − λ)·(choice frequencies learned by the earlier stages) + λ·(one-hot of the incumbent).
   */
  incumbentWeight: 0.25,
};

/**
 * multi-phase-v2: v1 plus (i) stages capped at the size of their sub-space and (ii) a model-based
 * prior for each new stage. Defaults chosen on tools/bench/controller.bench.ts, tuning seeds
 * 100–109 (package README).
 */
export const MULTI_PHASE_V2_DEFAULTS = {
  ...MULTI_PHASE_DEFAULTS,
  /**
   * A single-phase stage whose sub-space (given the held decisions when it starts) has fewer
   * feasible candidates than its budget is cut to that count (counted by enumeration when the
   * sub-space has at most 100,000 candidates ignoring constraints); the proposals it does not use
   * go to the last stage. The last stage is never cut.
   */
  capStages: true,
  /**
   * Weight μ of the density-ratio prior in a new stage's prior: per decision that a finished
   * stage searched, (1 − μ)·(v1 prior) + μ·softmax(log l_t/g_t) with l, g the TPE-style
   * per-decision densities of the good (top γ) vs the other results told so far
   * (`density-ratio.ts`); 0 = off.
   */
  modelPrior: 0.5,
  /** γ of that density ratio. */
  modelGamma: 0.1,
};

/** Largest sub-space (Π choices) the stage cap enumerates. */
export const STAGE_CAP_ENUMERATION_LIMIT = 100_000;

/**
 * SCORCH-style multi-phase controller: a schedule of stages, each searching a subset of the
 * space's decision phases (e.g. network, then hardware, then system, then all jointly) with its
 * own sub-policy and proposal budget. Decisions outside the active stage are held at the best
 * candidate told so far (a random feasible candidate before any result), and the sub-policy sees
 * a restricted space whose constraints are evaluated with those held values, so masking still
 * prevents infeasible joint candidates. When a stage starts, the per-decision choice
 * distributions learned by the earlier stages' policies (`exportPrior`), blended with the best
 * candidate so far (`incumbentWeight`), initialise the new sub-policy (`importPrior`, e.g. the
 * LSTM heads' biases of the joint controller). The last stage
 * runs past its budget for as long as the search goes on.
 */
export class MultiPhasePolicy implements Policy {
  readonly name: string;
  readonly schedule: PhaseSpec[];
  /** Proposals each stage may make (the schedule's budgets, cut by `capStages` when a stage starts). */
  private budgets: number[];
  private readonly v2: typeof MULTI_PHASE_V2_DEFAULTS | null;
  private history: Scored[] = [];
  private readonly root: Rng;
  private stage = 0;
  private askedInStage = 0;
  private subs: Policy[] = [];
  private incumbent: { candidate: Candidate; reward: number } | null = null;
  private readonly initialHeld: Candidate;
  private owners = new Map<string, number[]>();
  private readonly spaces: SearchSpace[];
  private readonly incumbentWeight: number;

  constructor(private readonly ctx: PolicyContext, private readonly registry: Registry<Policy, PolicyContext>, version: 1 | 2 = 1) {
    this.name = `multi-phase-v${version}`;
    const v1Rules = {
      phases: 'any', policy: 'string', phaseBudget: { integer: true, min: 1 }, params: 'any', incumbentWeight: { min: 0, max: 1 },
    } as const;
    const p =
      version === 2
        ? readParams(this.name, ctx.params, MULTI_PHASE_V2_DEFAULTS, { ...v1Rules, capStages: 'boolean', modelPrior: { min: 0, max: 1 }, modelGamma: { above: 0, max: 1 } })
        : readParams(this.name, ctx.params, MULTI_PHASE_DEFAULTS, v1Rules);
    this.v2 = version === 2 ? (p as typeof MULTI_PHASE_V2_DEFAULTS) : null;
    this.schedule = validateSchedule(p, ctx.space, registry, this.name);
    this.budgets = this.schedule.map((s) => s.budget);
    this.incumbentWeight = p.incumbentWeight;
    this.root = new Rng(checkSeed(ctx.seed));
    this.initialHeld = ctx.space.sample(this.root.fork('initial-held'));
    this.spaces = this.schedule.map((spec) => this.subSpace(spec));
    this.subs.push(this.makeSub(0));
    this.capStage(0);
  }

  /** The proposal budget of each stage (after the caps applied so far). */
  stageBudgets(): number[] {
    return [...this.budgets];
  }

  /**
   * `capStages`: cuts stage i's budget to its sub-space's feasible candidate count (held values
   * as they are now) and adds the difference to the last stage.
   */
  private capStage(i: number): void {
    if (!this.v2?.capStages || i === this.schedule.length - 1) return;
    const space = this.spaces[i];
    const total = space.decisions.reduce((n, d) => n * d.choices.length, 1);
    if (total > STAGE_CAP_ENUMERATION_LIMIT) return;
    let feasible = 0;
    const idx = new Array<number>(space.decisions.length).fill(0);
    for (;;) {
      if (space.isFeasible(space.decode(idx))) feasible++;
      let k = idx.length - 1;
      while (k >= 0 && ++idx[k] === space.decisions[k].choices.length) idx[k--] = 0;
      if (k < 0) break;
    }
    if (feasible < this.budgets[i]) {
      this.budgets[this.budgets.length - 1] += this.budgets[i] - feasible;
      this.budgets[i] = Math.max(1, feasible);
    }
  }

  /** The values held for decisions outside the active stage. */
  held(): Candidate {
    return this.incumbent ? this.incumbent.candidate : this.initialHeld;
  }

  /**
   * Label of the stage the next ask() draws from (the current one, or the next when the current
   * budget is spent); the stage itself only switches inside ask(), after every earlier result
   * the caller told has reached the finishing stage's policy.
   */
  phase(): string {
    const next = this.stage < this.schedule.length - 1 && this.askedInStage >= this.budgets[this.stage];
    const spec = this.schedule[next ? this.stage + 1 : this.stage];
    return spec.name ?? spec.phases.join('+');
  }

  /** Index of the active stage. */
  stageIndex(): number {
    return this.stage;
  }

  /** The active stage's policy (for inspection). */
  activePolicy(): Policy {
    return this.subs[this.stage];
  }

  private subSpace(spec: PhaseSpec): SearchSpace {
    const full = this.ctx.space;
    const active = full.decisions.filter((d) => spec.phases.includes(d.phase));
    const names = new Set(active.map((d) => d.name));
    const constraints: Constraint[] = full.constraints
      .filter((c) => c.decisions.some((n) => names.has(n)))
      .map((c) => ({
        name: c.name,
        decisions: c.decisions.filter((n) => names.has(n)),
        check: (partial) => {
          const merged: Partial<Candidate> = { ...partial };
          const held = this.held();
          for (const n of c.decisions) if (!names.has(n)) merged[n] = held[n];
          return c.check(merged);
        },
      }));
    return new SearchSpace(active, constraints);
  }

  private makeSub(i: number): Policy {
    const spec = this.schedule[i];
    return this.registry.create(spec.policy, { space: this.spaces[i], seed: this.root.fork(`stage-${i}`).nextSeed(), params: spec.params });
  }

  /** Moves to the next stage, warm-starting its policy from what the earlier ones learned. */
  private advance(): void {
    const prior: DecisionPrior = {};
    for (const s of this.subs) Object.assign(prior, (s as PriorAware).exportPrior?.() ?? {});
    const mu = this.v2?.modelPrior ?? 0;
    if (mu > 0 && this.history.length >= 2) {
      const model = new CategoricalDensityRatio(this.ctx.space.decisions.map((d) => d.choices.length));
      model.fit(this.history, this.v2!.modelGamma);
      const ratios = model.ratios();
      // Only decisions some finished stage searched: a held decision has one value in every
      // result, and the estimator's prior would make its unseen choices look good.
      const searched = new Set(this.schedule.slice(0, this.stage + 1).flatMap((s) => s.phases));
      this.ctx.space.decisions.forEach((d, t) => {
        if (!searched.has(d.phase)) return;
        const mx = Math.max(...ratios[t]);
        const w = ratios[t].map((r) => Math.exp(r - mx));
        const z = w.reduce((a, b) => a + b, 0);
        const base = prior[d.name] ?? d.choices.map(() => 1 / d.choices.length);
        prior[d.name] = base.map((q, k) => (1 - mu) * q + (mu * w[k]) / z);
      });
    }
    const lambda = this.incumbentWeight;
    if (this.incumbent && lambda > 0) {
      for (const d of this.ctx.space.decisions) {
        const k = this.ctx.space.indexOf(d.name, this.incumbent.candidate[d.name]);
        const base = prior[d.name] ?? d.choices.map(() => 1 / d.choices.length);
        prior[d.name] = base.map((q, i) => (1 - lambda) * q + (i === k ? lambda : 0));
      }
    }
    this.stage += 1;
    this.askedInStage = 0;
    const sub = this.makeSub(this.stage);
    (sub as PriorAware).importPrior?.(prior);
    this.subs.push(sub);
    this.capStage(this.stage);
  }

  ask(n: number): Candidate[] {
    const out: Candidate[] = [];
    while (out.length < n) {
      const last = this.stage === this.schedule.length - 1;
      if (!last && this.askedInStage >= this.budgets[this.stage]) {
        this.advance();
        continue;
      }
      const m = last ? n - out.length : Math.min(n - out.length, this.budgets[this.stage] - this.askedInStage);
      const held = this.held();
      for (const part of this.subs[this.stage].ask(m)) {
        const full: Candidate = {};
        for (const d of this.ctx.space.decisions) full[d.name] = d.name in part ? part[d.name] : held[d.name];
        const key = this.ctx.space.key(full);
        const q = this.owners.get(key);
        if (q) q.push(this.stage);
        else this.owners.set(key, [this.stage]);
        out.push(full);
      }
      this.askedInStage += m;
    }
    return out;
  }

  tell(results: readonly EvalResult[]): void {
    for (const r of results) {
      const key = this.ctx.space.key(r.candidate);
      const q = this.owners.get(key);
      let owner = this.stage;
      if (q) {
        owner = q.shift()!;
        if (q.length === 0) this.owners.delete(key);
      }
      const sub = this.subs[owner];
      sub.tell([{ ...r, candidate: project(this.spaces[owner], r.candidate) }]);
      if (this.v2 && this.v2.modelPrior > 0 && r.error === undefined && Number.isFinite(r.reward)) {
        this.history.push({ actions: this.ctx.space.encode(r.candidate), reward: r.reward });
      }
      if (r.error === undefined && Number.isFinite(r.reward) && (!this.incumbent || r.reward > this.incumbent.reward)) {
        this.incumbent = { candidate: { ...r.candidate }, reward: r.reward };
      }
    }
  }

  save(): PolicyState {
    return {
      kind: this.name,
      version: 1,
      stage: this.stage,
      askedInStage: this.askedInStage,
      incumbent: this.incumbent,
      subs: this.subs.map((s) => s.save()),
      owners: [...this.owners.entries()].map(([k, v]) => [k, [...v]]),
      ...(this.v2 ? { budgets: [...this.budgets], history: this.history.map((h) => ({ actions: [...h.actions], reward: h.reward })) } : {}),
    };
  }

  load(state: PolicyState): void {
    checkState(state, this.name, 1);
    this.stage = state.stage as number;
    this.askedInStage = state.askedInStage as number;
    const inc = state.incumbent as { candidate: Candidate; reward: number } | null;
    this.incumbent = inc ? { candidate: { ...inc.candidate }, reward: inc.reward } : null;
    const subs = state.subs as PolicyState[];
    this.subs.forEach((s) => s.dispose?.());
    this.subs = subs.map((s, i) => {
      const sub = this.makeSub(i);
      sub.load(s);
      return sub;
    });
    this.owners = new Map((state.owners as [string, number[]][]).map(([k, v]) => [k, [...v]]));
    if (this.v2) {
      this.budgets = [...(state.budgets as number[])];
      this.history = (state.history as Scored[]).map((h) => ({ actions: [...h.actions], reward: h.reward }));
    }
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose?.());
  }
}

function validateSchedule(p: typeof MULTI_PHASE_DEFAULTS, space: SearchSpace, registry: Registry<Policy, PolicyContext>, name: string): PhaseSpec[] {
  const known = space.phases();
  if (!registry.has(p.policy)) throw new ConfigError(`${name} params.policy`, p.policy, `a registered policy (${registry.names().join(', ')})`);
  asObject(p.params, `${name} params.params`);
  if (!Array.isArray(p.phases)) throw new ConfigError(`${name} params.phases`, p.phases, 'a list of { phases, budget, policy, params? }');
  if (p.phases.length === 0) {
    const stages = known.length > 1 ? known.map((ph) => ({ phases: [ph], budget: p.phaseBudget, policy: p.policy, params: p.params })) : [];
    return [...stages, { phases: known, budget: p.phaseBudget, policy: p.policy, params: p.params, name: 'joint' }];
  }
  return p.phases.map((raw, i) => {
    const path = `${name} params.phases[${i}]`;
    const s = asObject(raw, path);
    const phases = s.phases;
    if (!Array.isArray(phases) || phases.length === 0 || !phases.every((x) => known.includes(x as string))) {
      throw new ConfigError(`${path}.phases`, phases, `a non-empty list of the space's phases (${known.join(', ')})`);
    }
    if (!Number.isInteger(s.budget) || (s.budget as number) < 1) throw new ConfigError(`${path}.budget`, s.budget, 'a positive integer');
    if (typeof s.policy !== 'string' || !registry.has(s.policy)) throw new ConfigError(`${path}.policy`, s.policy, `a registered policy (${registry.names().join(', ')})`);
    if (s.params !== undefined) asObject(s.params, `${path}.params`);
    if (s.name !== undefined && typeof s.name !== 'string') throw new ConfigError(`${path}.name`, s.name, 'a string');
    for (const k of Object.keys(s)) if (!['phases', 'budget', 'policy', 'params', 'name'].includes(k)) throw new ConfigError(`${path}.${k}`, s[k], 'a known field (phases, budget, policy, params, name)');
    return { phases: phases as string[], budget: s.budget as number, policy: s.policy, params: s.params as Record<string, unknown> | undefined, name: s.name as string | undefined };
  });
}
