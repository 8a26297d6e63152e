import { Rng, type Candidate, type EvalResult, type Policy, type PolicyContext, type PolicyState, type RegistryEntry } from '@cosearch/core';
import { mutate } from './candidates';
import { checkSeed, readParams } from './params';
import { checkState } from './state';

export const EVOLUTION_DEFAULTS = { population: 20, sampleSize: 5 };

interface Member {
  candidate: Candidate;
  reward: number;
}

/**
 * Regularised (aging) evolution, Real et al. AAAI 2019: a FIFO population of `population`
 * evaluated candidates. Until it is full (counting proposals still out) proposals are random;
 * afterwards each proposal draws `sampleSize` members uniformly (with replacement), mutates the
 * best of them in one decision, and each told result joins the population while the oldest
 * member leaves (aging, not the worst). Failed evaluations join with their penalty reward.
 */
export class EvolutionPolicy implements Policy {
  readonly name = 'evolution-v1';
  private readonly p: typeof EVOLUTION_DEFAULTS;
  private rng: Rng;
  private population: Member[] = [];
  private asked = 0;

  constructor(private readonly ctx: PolicyContext) {
    this.p = readParams(this.name, ctx.params, EVOLUTION_DEFAULTS, {
      population: { integer: true, min: 2 },
      sampleSize: { integer: true, min: 1 },
    });
    this.rng = new Rng(checkSeed(ctx.seed)).fork('evolution');
  }

  ask(n: number): Candidate[] {
    const out: Candidate[] = [];
    for (let i = 0; i < n; i++) {
      if (this.asked < this.p.population || this.population.length === 0) {
        out.push(this.ctx.space.sample(this.rng));
      } else {
        let best: Member | undefined;
        for (let s = 0; s < this.p.sampleSize; s++) {
          const m = this.population[this.rng.int(this.population.length)];
          if (!best || m.reward > best.reward) best = m;
        }
        out.push(mutate(this.ctx.space, best!.candidate, this.rng));
      }
      this.asked++;
    }
    return out;
  }

  tell(results: readonly EvalResult[]): void {
    for (const r of results) {
      this.ctx.space.validate(r.candidate);
      this.population.push({ candidate: { ...r.candidate }, reward: Number.isFinite(r.reward) ? r.reward : -Infinity });
      if (this.population.length > this.p.population) this.population.shift();
    }
  }

  /** The current population, oldest first (for reports and tests). */
  members(): readonly Member[] {
    return this.population;
  }

  save(): PolicyState {
    return {
      kind: this.name,
      version: 1,
      rng: this.rng.state(),
      asked: this.asked,
      population: this.population.map((m) => ({ candidate: m.candidate, reward: finiteOrNull(m.reward) })),
    };
  }

  load(state: PolicyState): void {
    checkState(state, this.name, 1);
    this.rng = Rng.fromState(state.rng as never);
    this.asked = state.asked as number;
    this.population = (state.population as { candidate: Candidate; reward: number | null }[]).map((m) => ({
      candidate: { ...m.candidate },
      reward: m.reward === null ? -Infinity : m.reward,
    }));
  }
}

/** JSON has no -Infinity; failed members are stored as null. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export const evolutionEntry: RegistryEntry<Policy, PolicyContext> = {
  name: 'evolution-v1',
  description: 'Regularised (aging) evolution, Real et al. 2019: tournament of sampleSize, one-decision mutation, oldest dies',
  defaults: EVOLUTION_DEFAULTS,
  create: (ctx) => new EvolutionPolicy(ctx),
};
