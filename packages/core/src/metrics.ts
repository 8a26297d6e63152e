import { MetricError } from './errors';

/**
 * What an evaluator measures for one candidate. SI units always: accuracy as a fraction 0..1,
 * latency in seconds, energy in joules (per inference), area in mm². Extra numeric metrics
 * (e.g. `powerW`, `params`, `macs`, `cimAccuracyStd`) ride along in `extra`.
 */
export interface Metrics {
  accuracy: number;
  latencyS: number;
  energyJ: number;
  areaMm2: number;
  extra?: Record<string, number>;
}

/** The named objectives a reward or a Pareto archive can read from `Metrics`. */
export type MetricName = 'accuracy' | 'latencyS' | 'energyJ' | 'areaMm2' | 'edp' | 'edap' | string;

/** Whether larger is better for a metric (accuracy and anything ending in Acc/accuracy). */
export function isMaximised(name: MetricName): boolean {
  return name === 'accuracy' || /accuracy$/i.test(name);
}

/**
 * Reads a metric by name: the four core fields, `edp` = energy × latency (J·s), `edap` =
 * energy × latency × area (J·s·mm²) (REFERENCES §1), or an `extra` entry.
 */
export function metricValue(m: Metrics, name: MetricName): number {
  switch (name) {
    case 'accuracy':
      return m.accuracy;
    case 'latencyS':
      return m.latencyS;
    case 'energyJ':
      return m.energyJ;
    case 'areaMm2':
      return m.areaMm2;
    case 'edp':
      return m.energyJ * m.latencyS;
    case 'edap':
      return m.energyJ * m.latencyS * m.areaMm2;
    default: {
      const v = m.extra?.[name];
      if (v === undefined) {
        throw new MetricError(`metric ${JSON.stringify(name)} not present; have accuracy, latencyS, energyJ, areaMm2, edp, edap${m.extra ? ', ' + Object.keys(m.extra).join(', ') : ''}`);
      }
      return v;
    }
  }
}

/** Throws a `MetricError` naming every NaN/infinite/out-of-range field. */
export function assertFiniteMetrics(m: Metrics): void {
  const bad: string[] = [];
  const check = (name: string, v: number) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) bad.push(`${name}=${v}`);
  };
  check('accuracy', m.accuracy);
  check('latencyS', m.latencyS);
  check('energyJ', m.energyJ);
  check('areaMm2', m.areaMm2);
  for (const [k, v] of Object.entries(m.extra ?? {})) check(`extra.${k}`, v);
  if (bad.length) throw new MetricError(`metrics must be finite numbers: ${bad.join(', ')}`);
  if (m.accuracy < 0 || m.accuracy > 1) throw new MetricError(`accuracy must be a fraction in [0, 1], got ${m.accuracy}`);
  for (const k of ['latencyS', 'energyJ', 'areaMm2'] as const) {
    if (m[k] < 0) throw new MetricError(`${k} must be non-negative, got ${m[k]}`);
  }
}
