import { Rng, type Candidate, type EvalResult, type Policy, type PolicyContext, type PolicyState, type RegistryEntry } from '@cosearch/core';
import { checkSeed, readParams } from './params';
import { checkState } from './state';

/**
 * Random search: every proposal is an independent uniform draw per decision among the choices
 * the constraints allow (`SearchSpace.sample`). The usual NAS baseline (Li & Talwalkar 2019).
 */
export class RandomPolicy implements Policy {
  readonly name = 'random-v1';
  private rng: Rng;

  constructor(private readonly ctx: PolicyContext) {
    readParams(this.name, ctx.params, {}, {});
    this.rng = new Rng(checkSeed(ctx.seed)).fork('random');
  }

  ask(n: number): Candidate[] {
    const out: Candidate[] = [];
    for (let i = 0; i < n; i++) out.push(this.ctx.space.sample(this.rng));
    return out;
  }

  tell(results: readonly EvalResult[]): void {
    for (const r of results) this.ctx.space.validate(r.candidate);
  }

  save(): PolicyState {
    return { kind: this.name, version: 1, rng: this.rng.state() };
  }

  load(state: PolicyState): void {
    checkState(state, this.name, 1);
    this.rng = Rng.fromState(state.rng as never);
  }
}

export const randomEntry: RegistryEntry<Policy, PolicyContext> = {
  name: 'random-v1',
  description: 'Random search: independent uniform draws among the feasible choices of each decision',
  defaults: {},
  create: (ctx) => new RandomPolicy(ctx),
};
