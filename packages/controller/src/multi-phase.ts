import {
  asObject, ConfigError, Rng, SearchSpace,
  type Candidate, type Constraint, type EvalResult, type Policy, type PolicyContext, type PolicyState, type Registry,
} from '@cosearch/core';
import { project } from './candidates';
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
  readonly name = 'multi-phase-v1';
  readonly schedule: PhaseSpec[];
  private readonly root: Rng;
  private stage = 0;
  private askedInStage = 0;
  private subs: Policy[] = [];
  private incumbent: { candidate: Candidate; reward: number } | null = null;
  private readonly initialHeld: Candidate;
  private owners = new Map<string, number[]>();
  private readonly spaces: SearchSpace[];
  private readonly incumbentWeight: number;

  constructor(private readonly ctx: PolicyContext, private readonly registry: Registry<Policy, PolicyContext>) {
    const p = readParams(this.name, ctx.params, MULTI_PHASE_DEFAULTS, {
      phases: 'any', policy: 'string', phaseBudget: { integer: true, min: 1 }, params: 'any', incumbentWeight: { min: 0, max: 1 },
    });
    this.schedule = validateSchedule(p, ctx.space, registry);
    this.incumbentWeight = p.incumbentWeight;
    this.root = new Rng(checkSeed(ctx.seed));
    this.initialHeld = ctx.space.sample(this.root.fork('initial-held'));
    this.spaces = this.schedule.map((spec) => this.subSpace(spec));
    this.subs.push(this.makeSub(0));
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
    const next = this.stage < this.schedule.length - 1 && this.askedInStage >= this.schedule[this.stage].budget;
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
  }

  ask(n: number): Candidate[] {
    const out: Candidate[] = [];
    while (out.length < n) {
      const last = this.stage === this.schedule.length - 1;
      if (!last && this.askedInStage >= this.schedule[this.stage].budget) {
        this.advance();
        continue;
      }
      const m = last ? n - out.length : Math.min(n - out.length, this.schedule[this.stage].budget - this.askedInStage);
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
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose?.());
  }
}

function validateSchedule(p: typeof MULTI_PHASE_DEFAULTS, space: SearchSpace, registry: Registry<Policy, PolicyContext>): PhaseSpec[] {
  const known = space.phases();
  if (!registry.has(p.policy)) throw new ConfigError('multi-phase-v1 params.policy', p.policy, `a registered policy (${registry.names().join(', ')})`);
  asObject(p.params, 'multi-phase-v1 params.params');
  if (!Array.isArray(p.phases)) throw new ConfigError('multi-phase-v1 params.phases', p.phases, 'a list of { phases, budget, policy, params? }');
  if (p.phases.length === 0) {
    const stages = known.length > 1 ? known.map((ph) => ({ phases: [ph], budget: p.phaseBudget, policy: p.policy, params: p.params })) : [];
    return [...stages, { phases: known, budget: p.phaseBudget, policy: p.policy, params: p.params, name: 'joint' }];
  }
  return p.phases.map((raw, i) => {
    const path = `multi-phase-v1 params.phases[${i}]`;
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
