import { ConfigError, Rng, type Candidate, type EvalResult, type Policy, type PolicyContext, type PolicyState } from '@cosearch/core';
import { registerPolicy } from '@cosearch/controller';

/**
 * `my-hill-v1`: a first-improvement hill climber, written as a user would write one. The first
 * ask samples at random; afterwards each candidate is the incumbent (best reward told so far)
 * with `params.moves` decisions (default 1) changed to another feasible choice. Deterministic
 * for a seed; `save`/`load` carry the RNG state and the incumbent, so a resumed run asks exactly
 * what the uninterrupted one asked.
 */
class HillClimber implements Policy {
  readonly name = 'my-hill-v1';
  private rng: Rng;
  private best: { candidate: Candidate; reward: number } | null = null;
  private readonly moves: number;

  constructor(private readonly ctx: PolicyContext) {
    this.rng = new Rng(ctx.seed).fork('my-hill');
    const moves = ctx.params?.moves ?? 1;
    if (typeof moves !== 'number' || !Number.isInteger(moves) || moves < 1) throw new ConfigError('policy.params.moves', moves, 'an integer >= 1');
    this.moves = moves;
  }

  private neighbour(x: Candidate): Candidate {
    const { space } = this.ctx;
    const names = space.names().filter((n) => space.decision(n).choices.length > 1);
    for (let attempt = 0; attempt < 20; attempt++) {
      const y: Candidate = { ...x };
      for (let m = 0; m < this.moves && names.length > 0; m++) {
        const name = names[this.rng.int(names.length)];
        const others = space.decision(name).choices.filter((c) => c !== y[name]);
        y[name] = others[this.rng.int(others.length)];
      }
      if (space.isFeasible(y)) return y;
    }
    return space.sample(this.rng);
  }

  ask(n: number): Candidate[] {
    return Array.from({ length: n }, () => (this.best ? this.neighbour(this.best.candidate) : this.ctx.space.sample(this.rng)));
  }

  tell(results: readonly EvalResult[]): void {
    for (const r of results) {
      if (r.error === undefined && (!this.best || r.reward > this.best.reward)) this.best = { candidate: { ...r.candidate }, reward: r.reward };
    }
  }

  save(): PolicyState {
    return { kind: this.name, version: 1, rng: this.rng.state(), best: this.best };
  }

  load(state: PolicyState): void {
    if (state.kind !== this.name || state.version !== 1) throw new Error(`my-hill-v1 cannot load a ${state.kind} v${state.version} state`);
    this.rng = Rng.fromState(state.rng as ReturnType<Rng['state']>);
    this.best = state.best as HillClimber['best'];
  }
}

registerPolicy('my-hill-v1', (ctx) => new HillClimber(ctx), { description: 'example plug-in (experiments/plugins): first-improvement hill climber', defaults: { moves: 1 } });
