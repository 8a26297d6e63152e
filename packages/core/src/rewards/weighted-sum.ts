import { assertFiniteMetrics, isMaximised, metricValue, type Metrics } from '../metrics';
import { asObject, checkNumber, numberField, type Obj } from '../validate';
import { ConfigError } from '../errors';
import type { Reward, RewardBreakdown } from './reward';

/**
 * Weighted sum of normalised objectives: R = Σ_i w_i · s_i · m_i / scale_i, with s_i = +1 for
 * maximised metrics (accuracy) and −1 for minimised ones (latency, energy, area, EDP). `scale`
 * is the metric's reference magnitude in its own SI unit (e.g. 1e-3 s), which makes the terms
 * comparable.
 */
export interface WeightedObjective {
  metric: string;
  weight: number;
  scale: number;
}

export class WeightedSumReward implements Reward {
  readonly name = 'weighted-sum-v1';
  constructor(readonly objectives: readonly WeightedObjective[]) {}

  static fromConfig(config: Obj): WeightedSumReward {
    const raw = config.objectives;
    if (!Array.isArray(raw) || raw.length === 0) throw new ConfigError('reward.objectives', raw, 'a non-empty list of {metric, weight, scale}');
    return new WeightedSumReward(
      raw.map((t, i) => {
        const p = `reward.objectives[${i}]`;
        const o = asObject(t, p);
        if (typeof o.metric !== 'string') throw new ConfigError(`${p}.metric`, o.metric, 'a metric name');
        return { metric: o.metric, weight: checkNumber(o.weight, `${p}.weight`, { min: 0 }), scale: numberField(o, 'scale', p, { above: 0 }, 1) };
      }),
    );
  }

  explain(m: Metrics): RewardBreakdown {
    assertFiniteMetrics(m);
    const terms: Record<string, number> = {};
    let r = 0;
    for (const o of this.objectives) {
      const sign = isMaximised(o.metric) ? 1 : -1;
      const t = (sign * o.weight * metricValue(m, o.metric)) / o.scale;
      terms[o.metric] = t;
      r += t;
    }
    return { reward: r, terms, violations: [] };
  }

  score(m: Metrics): number {
    return this.explain(m).reward;
  }

  describe(): string {
    return this.objectives.map((o) => `${isMaximised(o.metric) ? '+' : '−'}${o.weight}·${o.metric}/${o.scale}`).join(' ');
  }
}
