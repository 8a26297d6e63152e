import { Rng, SearchSpace, type Candidate, type Decision } from '@cosearch/core';

/**
 * A synthetic co-search problem with a KNOWN optimum, for tests and benchmarks: decisions
 * x_0..x_{D−1} (split into consecutive phases), reward
 *   R(x) = Σ_i u_i[x_i] + Σ_i w_i[x_i][x_{i+1}]
 * (additive terms plus interactions between neighbouring decisions, all N(0, σ²) draws). A
 * chain of pairwise terms keeps the exact optimum computable by dynamic programming (max-sum /
 * Viterbi) however large the space; `bruteForceOptimum` checks it on small instances.
 */
export interface SyntheticOptions {
  decisions?: number;
  choices?: number;
  /** Phase names; decisions are split into consecutive, near-equal groups. */
  phases?: string[];
  /** Standard deviation of the interaction terms (the additive terms have 1). */
  interaction?: number;
  seed?: number;
}

export interface SyntheticProblem {
  space: SearchSpace;
  reward(candidate: Candidate): number;
  optimum: number;
  best: Candidate;
}

export function syntheticProblem(opts: SyntheticOptions = {}): SyntheticProblem {
  const D = opts.decisions ?? 16, K = opts.choices ?? 4;
  const phases = opts.phases ?? ['network', 'hardware', 'system'];
  const rng = new Rng(opts.seed ?? 0).fork('synthetic');
  const sigma = opts.interaction ?? 1;
  const decisions: Decision[] = [];
  for (let i = 0; i < D; i++) {
    decisions.push({ name: `d${i}`, phase: phases[Math.min(phases.length - 1, Math.floor((i * phases.length) / D))], choices: Array.from({ length: K }, (_, k) => k) });
  }
  const space = new SearchSpace(decisions);
  const u = decisions.map(() => Array.from({ length: K }, () => rng.normal()));
  const w = decisions.slice(1).map(() => Array.from({ length: K }, () => Array.from({ length: K }, () => sigma * rng.normal())));
  const score = (x: readonly number[]) => {
    let s = 0;
    for (let i = 0; i < D; i++) s += u[i][x[i]];
    for (let i = 0; i + 1 < D; i++) s += w[i][x[i]][x[i + 1]];
    return s;
  };
  // Max-sum dynamic programming along the chain.
  let val = [...u[0]];
  const arg: number[][] = [];
  for (let i = 1; i < D; i++) {
    const next: number[] = [], from: number[] = [];
    for (let b = 0; b < K; b++) {
      let best = -Infinity, bestA = 0;
      for (let a = 0; a < K; a++) {
        const v = val[a] + w[i - 1][a][b];
        if (v > best) { best = v; bestA = a; }
      }
      next.push(best + u[i][b]);
      from.push(bestA);
    }
    val = next;
    arg.push(from);
  }
  let last = 0;
  for (let b = 1; b < K; b++) if (val[b] > val[last]) last = b;
  const x = new Array<number>(D);
  x[D - 1] = last;
  for (let i = D - 1; i > 0; i--) x[i - 1] = arg[i - 1][x[i]];
  return { space, reward: (c) => score(space.encode(c)), optimum: score(x), best: space.decode(x) };
}

/** Exhaustive maximum of a reward over a (small) space, honouring its constraints. */
export function bruteForceOptimum(space: SearchSpace, reward: (c: Candidate) => number): { value: number; best: Candidate } {
  let value = -Infinity;
  let best: Candidate = {};
  const idx = new Array<number>(space.decisions.length).fill(0);
  for (;;) {
    const c = space.decode(idx);
    if (space.isFeasible(c)) {
      const r = reward(c);
      if (r > value) { value = r; best = c; }
    }
    let i = idx.length - 1;
    while (i >= 0 && ++idx[i] === space.decisions[i].choices.length) idx[i--] = 0;
    if (i < 0) break;
  }
  return { value, best };
}
