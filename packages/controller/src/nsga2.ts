import {
  ConfigError, CosearchError, dominatesMin, isMaximised, metricValue, Rng,
  type Candidate, type EvalResult, type Policy, type PolicyContext, type PolicyState, type RegistryEntry,
} from '@cosearch/core';
import { repair } from './candidates';
import { checkSeed, readParams } from './params';
import { checkState } from './state';

export const NSGA2_DEFAULTS = {
  population: 20,
  /** Metric names (`reward` = the scalar reward); direction from the metric (accuracy ↑, others ↓). */
  objectives: ['accuracy', 'latencyS', 'energyJ'] as string[],
  crossoverProbability: 0.9,
  /** Per-decision mutation probability; 0 means 1/(number of decisions). */
  mutationProbability: 0,
};

interface Member {
  candidate: Candidate;
  /** Objective values in minimisation form (maximised metrics negated); +∞ for failures. */
  cost: number[];
  rank: number;
  crowding: number;
}

/**
 * NSGA-II (Deb et al. 2002) for multi-objective search under ask/tell: parents are chosen by
 * binary tournament on (Pareto rank, crowding distance), children by uniform crossover and
 * per-decision mutation (then repaired to feasibility); once `population` children have been
 * told, parents ∪ children are cut back to `population` by non-dominated sorting and crowding.
 */
export class Nsga2Policy implements Policy {
  readonly name = 'nsga2-v1';
  private readonly p: typeof NSGA2_DEFAULTS;
  private rng: Rng;
  private parents: Member[] = [];
  private pool: Member[] = [];

  constructor(private readonly ctx: PolicyContext) {
    this.p = readParams(this.name, ctx.params, NSGA2_DEFAULTS, {
      population: { integer: true, min: 2 },
      objectives: 'any',
      crossoverProbability: { min: 0, max: 1 },
      mutationProbability: { min: 0, max: 1 },
    });
    const obj = this.p.objectives;
    if (!Array.isArray(obj) || obj.length === 0 || !obj.every((o) => typeof o === 'string' && o.length > 0)) {
      throw new ConfigError('nsga2-v1 params.objectives', obj, 'a non-empty list of metric names (or "reward")');
    }
    this.rng = new Rng(checkSeed(ctx.seed)).fork('nsga2');
  }

  private cost(r: EvalResult): number[] {
    if (r.error !== undefined || !Number.isFinite(r.reward)) return this.p.objectives.map(() => Infinity);
    return this.p.objectives.map((o) => {
      if (o === 'reward') return -r.reward;
      if (!r.metrics) throw new CosearchError(`nsga2-v1 needs metrics (objective ${o}) in every successful EvalResult`);
      const v = metricValue(r.metrics, o);
      return isMaximised(o) ? -v : v;
    });
  }

  ask(n: number): Candidate[] {
    const space = this.ctx.space;
    const out: Candidate[] = [];
    const pm = this.p.mutationProbability > 0 ? this.p.mutationProbability : 1 / space.decisions.length;
    for (let i = 0; i < n; i++) {
      if (this.parents.length < this.p.population) {
        out.push(space.sample(this.rng));
        continue;
      }
      const a = this.tournament(), b = this.tournament();
      const child: Candidate = {};
      const cross = this.rng.bernoulli(this.p.crossoverProbability);
      for (const d of space.decisions) {
        let v = cross && this.rng.bernoulli(0.5) ? b.candidate[d.name] : a.candidate[d.name];
        if (d.choices.length > 1 && this.rng.bernoulli(pm)) {
          const cur = space.indexOf(d.name, v);
          let k = this.rng.int(d.choices.length - 1);
          if (k >= cur) k += 1;
          v = d.choices[k];
        }
        child[d.name] = v;
      }
      out.push(repair(space, child, this.rng));
    }
    return out;
  }

  /** Binary tournament: lower rank wins, then larger crowding distance. */
  private tournament(): Member {
    const a = this.parents[this.rng.int(this.parents.length)];
    const b = this.parents[this.rng.int(this.parents.length)];
    if (a.rank !== b.rank) return a.rank < b.rank ? a : b;
    return a.crowding >= b.crowding ? a : b;
  }

  tell(results: readonly EvalResult[]): void {
    for (const r of results) {
      this.ctx.space.validate(r.candidate);
      this.pool.push({ candidate: { ...r.candidate }, cost: this.cost(r), rank: 0, crowding: 0 });
      if (this.pool.length >= this.p.population) {
        this.parents = selectSurvivors([...this.parents, ...this.pool], this.p.population);
        this.pool = [];
      }
    }
  }

  /** The first non-dominated front of the parents, objective values in their own directions. */
  front(): { candidate: Candidate; values: number[] }[] {
    return this.parents
      .filter((m) => m.rank === 0 && m.cost.every(Number.isFinite))
      .map((m) => ({ candidate: { ...m.candidate }, values: m.cost.map((c, i) => (this.p.objectives[i] === 'reward' || isMaximised(this.p.objectives[i]) ? -c : c)) }));
  }

  save(): PolicyState {
    const dump = (m: Member) => ({ candidate: m.candidate, cost: m.cost.map((c) => (Number.isFinite(c) ? c : null)), rank: m.rank, crowding: Number.isFinite(m.crowding) ? m.crowding : null });
    return { kind: this.name, version: 1, rng: this.rng.state(), parents: this.parents.map(dump), pool: this.pool.map(dump) };
  }

  load(state: PolicyState): void {
    checkState(state, this.name, 1);
    type Saved = { candidate: Candidate; cost: (number | null)[]; rank: number; crowding: number | null };
    const undump = (m: Saved): Member => ({ candidate: { ...m.candidate }, cost: m.cost.map((c) => c ?? Infinity), rank: m.rank, crowding: m.crowding ?? Infinity });
    this.rng = Rng.fromState(state.rng as never);
    this.parents = (state.parents as Saved[]).map(undump);
    this.pool = (state.pool as Saved[]).map(undump);
  }
}

/** Fast non-dominated sort: fronts of indices, best first (Deb et al. 2002). */
export function nonDominatedSort(costs: readonly (readonly number[])[]): number[][] {
  const n = costs.length;
  const dominated: number[][] = costs.map(() => []);
  const count = new Array<number>(n).fill(0);
  const fronts: number[][] = [[]];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      if (dominatesMin(costs[i], costs[j])) dominated[i].push(j);
      else if (dominatesMin(costs[j], costs[i])) count[i]++;
    }
    if (count[i] === 0) fronts[0].push(i);
  }
  for (let f = 0; fronts[f].length > 0; f++) {
    const next: number[] = [];
    for (const i of fronts[f]) for (const j of dominated[i]) if (--count[j] === 0) next.push(j);
    fronts.push(next.sort((a, b) => a - b));
  }
  fronts.pop();
  return fronts;
}

/** Crowding distance of each member of one front (boundary points get +∞). */
export function crowdingDistance(costs: readonly (readonly number[])[]): number[] {
  const n = costs.length;
  const dist = new Array<number>(n).fill(0);
  if (n === 0) return dist;
  for (let m = 0; m < costs[0].length; m++) {
    const order = [...costs.keys()].sort((a, b) => costs[a][m] - costs[b][m] || a - b);
    const lo = costs[order[0]][m], hi = costs[order[n - 1]][m];
    dist[order[0]] = dist[order[n - 1]] = Infinity;
    if (!(hi > lo) || !Number.isFinite(hi - lo)) continue;
    for (let k = 1; k < n - 1; k++) dist[order[k]] += (costs[order[k + 1]][m] - costs[order[k - 1]][m]) / (hi - lo);
  }
  return dist;
}

function selectSurvivors(all: Member[], size: number): Member[] {
  const fronts = nonDominatedSort(all.map((m) => m.cost));
  const out: Member[] = [];
  fronts.forEach((front, rank) => {
    if (out.length >= size) return;
    const crowd = crowdingDistance(front.map((i) => all[i].cost));
    const members = front.map((i, k) => ({ ...all[i], rank, crowding: crowd[k] }));
    if (out.length + members.length <= size) out.push(...members);
    else {
      const order = members.map((_, k) => k).sort((a, b) => members[b].crowding - members[a].crowding || a - b);
      for (const k of order.slice(0, size - out.length)) out.push(members[k]);
    }
  });
  return out;
}

export const nsga2Entry: RegistryEntry<Policy, PolicyContext> = {
  name: 'nsga2-v1',
  description: 'NSGA-II, Deb et al. 2002: non-dominated sorting + crowding over metric objectives, uniform crossover, mutation',
  defaults: NSGA2_DEFAULTS,
  create: (ctx) => new Nsga2Policy(ctx),
};
