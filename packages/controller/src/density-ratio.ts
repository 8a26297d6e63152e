/**
 * TPE-style density ratio over categorical decisions (Bergstra et al., NeurIPS 2011, "Algorithms
 * for hyper-parameter optimization", §4; Optuna's TPESampler conventions):
 * the evaluated candidates are split into the best n_g = min(⌈γ·n⌉, 25) ("good") and the rest
 * ("other"); per decision t, with K_t choices and a prior weight of one observation spread
 * uniformly over the choices,
 *   l_t(k) = (#good with x_t = k + 1/K_t) / (n_g + 1),   g_t(k) = (#other with x_t = k + 1/K_t) / (n − n_g + 1),
 * and a candidate scores  s(x) = Σ_t log l_t(x_t) − log g_t(x_t)  (the log of the density ratio
 * l/g of the independent (per-decision) Parzen estimators; maximising l/g maximises expected
 * improvement under TPE's model). Ties in reward are broken by order of evaluation (earlier first).
 */
export interface Scored {
  actions: readonly number[];
  reward: number;
}

/** Largest number of "good" observations (Optuna's default gamma caps at 25). */
export const DENSITY_RATIO_MAX_GOOD = 25;

export class CategoricalDensityRatio {
  private logRatio: number[][];

  constructor(private readonly sizes: readonly number[]) {
    this.logRatio = sizes.map((k) => new Array<number>(k).fill(0));
  }

  /** Fits l and g to the history (needs ≥ 2 observations to split; before that every ratio is 1). */
  fit(history: readonly Scored[], gamma: number): void {
    const n = history.length;
    if (n < 2) {
      this.logRatio = this.sizes.map((k) => new Array<number>(k).fill(0));
      return;
    }
    const order = history.map((_, i) => i).sort((a, b) => history[b].reward - history[a].reward || a - b);
    const nGood = Math.max(1, Math.min(DENSITY_RATIO_MAX_GOOD, Math.ceil(gamma * n), n - 1));
    const good = this.sizes.map((k) => new Array<number>(k).fill(0));
    const other = this.sizes.map((k) => new Array<number>(k).fill(0));
    order.forEach((i, rank) => {
      const counts = rank < nGood ? good : other;
      history[i].actions.forEach((a, t) => counts[t][a]++);
    });
    const nOther = n - nGood;
    this.logRatio = this.sizes.map((k, t) =>
      good[t].map((c, j) => Math.log((c + 1 / k) / (nGood + 1)) - Math.log((other[t][j] + 1 / k) / (nOther + 1))),
    );
  }

  /** log l(x)/g(x) of a candidate given by its choice indices. */
  score(actions: readonly number[]): number {
    let s = 0;
    actions.forEach((a, t) => (s += this.logRatio[t][a]));
    return s;
  }

  /** Per-decision log ratios (a copy). */
  ratios(): number[][] {
    return this.logRatio.map((r) => [...r]);
  }
}
