import { assertFiniteMetrics, metricValue, type Metrics } from '../metrics';
import { asObject, checkNumber, numberField, oneOf, type Obj } from '../validate';
import { ConfigError, MetricError } from '../errors';
import type { Reward, RewardBreakdown } from './reward';

/**
 * MnasNet reward (Tan et al., CVPR 2019), generalised to several metrics:
 *   R = ACC · Π_i (m_i / T_i)^{w_i},  w_i = α if m_i ≤ T_i else β.
 * Soft constraint α = β = −0.07 (doubling latency ≈ −5% relative accuracy); hard constraint
 * α = 0, β = −1. Per-target `mode` picks those defaults; explicit alpha/beta override them.
 */
export interface MnasTarget {
  metric: string;
  target: number;
  alpha: number;
  beta: number;
}

export const MNAS_SOFT = { alpha: -0.07, beta: -0.07 } as const;
export const MNAS_HARD = { alpha: 0, beta: -1 } as const;

export class MnasNetReward implements Reward {
  readonly name = 'mnasnet-v1';
  constructor(readonly targets: readonly MnasTarget[]) {}

  static fromConfig(config: Obj): MnasNetReward {
    const raw = config.targets;
    if (!Array.isArray(raw) || raw.length === 0) throw new ConfigError('reward.targets', raw, 'a non-empty list of {metric, target, mode|alpha,beta}');
    return new MnasNetReward(
      raw.map((t, i) => {
        const p = `reward.targets[${i}]`;
        const o = asObject(t, p);
        if (typeof o.metric !== 'string') throw new ConfigError(`${p}.metric`, o.metric, 'a metric name such as latencyS, energyJ, areaMm2');
        const mode = oneOf(o.mode ?? 'soft', `${p}.mode`, ['soft', 'hard'] as const);
        const d = mode === 'soft' ? MNAS_SOFT : MNAS_HARD;
        return {
          metric: o.metric,
          target: checkNumber(o.target, `${p}.target`, { above: 0 }),
          alpha: numberField(o, 'alpha', p, {}, d.alpha),
          beta: numberField(o, 'beta', p, {}, d.beta),
        };
      }),
    );
  }

  explain(m: Metrics): RewardBreakdown {
    assertFiniteMetrics(m);
    const terms: Record<string, number> = { accuracy: m.accuracy };
    const violations: string[] = [];
    let r = m.accuracy;
    for (const t of this.targets) {
      const v = metricValue(m, t.metric);
      // (m/T)^w needs m > 0: 0^w is infinite for w < 0 and a negative base gives NaN.
      if (!(v > 0)) throw new MetricError(`mnasnet-v1 needs ${t.metric} > 0, got ${v}`);
      const w = v <= t.target ? t.alpha : t.beta;
      const f = Math.pow(v / t.target, w);
      terms[`${t.metric} factor`] = f;
      if (v > t.target) violations.push(`${t.metric}=${v} exceeds target ${t.target}`);
      r *= f;
    }
    return { reward: r, terms, violations };
  }

  score(m: Metrics): number {
    return this.explain(m).reward;
  }

  describe(): string {
    return `accuracy × Π (m/T)^w over ${this.targets.map((t) => `${t.metric}≤${t.target} (α=${t.alpha}, β=${t.beta})`).join(', ')}`;
  }
}
