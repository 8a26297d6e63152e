import { assertFiniteMetrics, metricValue, type Metrics } from '../metrics';
import { asObject, booleanField, checkNumber, numberField, type Obj } from '../validate';
import { ConfigError } from '../errors';
import type { Reward, RewardBreakdown } from './reward';

/**
 * Accuracy with constraint penalties (NASAIC style, REFERENCES §1):
 *   R = acc − Σ_i λ_i · max(0, m_i/spec_i − 1)
 * With `hard: true`, a design that breaks any spec gets the fixed `penalty` reward instead
 * (pruned: never rewarded for its accuracy) and the violated limits are named.
 */
export interface Spec {
  metric: string;
  limit: number;
  lambda: number;
}

export class ConstrainedReward implements Reward {
  readonly name = 'constrained-v1';
  constructor(
    readonly specs: readonly Spec[],
    readonly hard: boolean,
    readonly penalty: number,
  ) {}

  static fromConfig(config: Obj): ConstrainedReward {
    const raw = config.specs;
    if (!Array.isArray(raw) || raw.length === 0) throw new ConfigError('reward.specs', raw, 'a non-empty list of {metric, limit, lambda}');
    const specs = raw.map((t, i) => {
      const p = `reward.specs[${i}]`;
      const o = asObject(t, p);
      if (typeof o.metric !== 'string') throw new ConfigError(`${p}.metric`, o.metric, 'a metric name');
      return { metric: o.metric, limit: checkNumber(o.limit, `${p}.limit`, { above: 0 }), lambda: numberField(o, 'lambda', p, { min: 0 }, 1) };
    });
    return new ConstrainedReward(specs, booleanField(config, 'hard', 'reward', false), numberField(config, 'penalty', 'reward', {}, -1));
  }

  explain(m: Metrics): RewardBreakdown {
    assertFiniteMetrics(m);
    const terms: Record<string, number> = { accuracy: m.accuracy };
    const violations: string[] = [];
    let r = m.accuracy;
    for (const s of this.specs) {
      const v = metricValue(m, s.metric);
      const excess = Math.max(0, v / s.limit - 1);
      if (excess > 0) violations.push(`${s.metric}=${v} exceeds limit ${s.limit}`);
      terms[`${s.metric} penalty`] = -s.lambda * excess;
      r -= s.lambda * excess;
    }
    if (this.hard && violations.length > 0) return { reward: this.penalty, terms, violations };
    return { reward: r, terms, violations };
  }

  score(m: Metrics): number {
    return this.explain(m).reward;
  }

  describe(): string {
    const s = this.specs.map((x) => `${x.metric}≤${x.limit} (λ=${x.lambda})`).join(', ');
    return this.hard ? `accuracy if ${s} all hold, else ${this.penalty}` : `accuracy − Σ λ·max(0, m/limit − 1) over ${s}`;
  }
}
