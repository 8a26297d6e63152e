import { assertFiniteMetrics, metricValue, type Metrics } from '../metrics';
import { numberField, oneOf, type Obj } from '../validate';
import { MetricError } from '../errors';
import type { Reward, RewardBreakdown } from './reward';

/**
 * Hardware figure of merit (REFERENCES §1): EDP = energy × latency (J·s), EDAP = EDP × area
 * (J·s·mm²). Reward R = accuracyWeight · accuracy − log10(FoM / reference): each decade of FoM
 * costs one unit, so the reward stays well scaled across orders of magnitude.
 */
export class FigureOfMeritReward implements Reward {
  constructor(
    readonly metric: 'edp' | 'edap',
    readonly reference: number,
    readonly accuracyWeight: number,
  ) {}

  get name(): string {
    return `${this.metric}-v1`;
  }

  static fromConfig(metric: 'edp' | 'edap', config: Obj): FigureOfMeritReward {
    oneOf(metric, 'reward.name', ['edp', 'edap'] as const);
    return new FigureOfMeritReward(
      metric,
      numberField(config, 'reference', 'reward', { above: 0 }, 1),
      numberField(config, 'accuracyWeight', 'reward', { min: 0 }, 0),
    );
  }

  explain(m: Metrics): RewardBreakdown {
    assertFiniteMetrics(m);
    const fom = metricValue(m, this.metric);
    // A zero EDP/EDAP (e.g. a zero latency from a broken hardware model) would otherwise give a
    // huge finite reward via log10 of the smallest double; refuse it instead.
    if (!(fom > 0)) throw new MetricError(`${this.name} needs ${this.metric} > 0, got ${fom} (energyJ=${m.energyJ}, latencyS=${m.latencyS}${this.metric === 'edap' ? `, areaMm2=${m.areaMm2}` : ''})`);
    const decades = Math.log10(fom / this.reference);
    const reward = this.accuracyWeight * m.accuracy - decades;
    return { reward, terms: { [this.metric]: fom, [`log10 ${this.metric}/ref`]: decades }, violations: [] };
  }

  score(m: Metrics): number {
    return this.explain(m).reward;
  }

  describe(): string {
    return `${this.accuracyWeight}·accuracy − log10(${this.metric.toUpperCase()} / ${this.reference})`;
  }
}
