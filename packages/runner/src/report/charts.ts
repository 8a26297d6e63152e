import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { EvalRecord } from '../journal';
import type { LayerCost } from '../problem';
import type { HvReference } from '../stats/hypervolume';
import { paretoPoints, rewardCurve } from './data';
import { si } from './html';

/**
 * The report's charts as Vega-Lite specs, rendered to SVG in Node (Vega's headless `none`
 * renderer, no browser or canvas needed), so the HTML page is self-contained and needs no
 * script to display.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const COSTS = {
  latencyS: { title: 'latency (s)' },
  energyJ: { title: 'energy per inference (J)' },
  areaMm2: { title: 'area (mm²)' },
} as const;

/** Accuracy vs one cost: every evaluated design (grey) and the 2-D Pareto front (line + points). */
export function paretoSpec(records: readonly EvalRecord[], metric: keyof typeof COSTS): TopLevelSpec {
  const values = paretoPoints(records, metric).map((p) => ({ ...p, set: p.front ? 'Pareto front' : 'evaluated' }));
  const x = { field: 'cost', type: 'quantitative' as const, title: COSTS[metric].title, scale: { type: 'log' as const }, axis: { format: '~s' } };
  const y = { field: 'accuracy', type: 'quantitative' as const, title: 'accuracy', scale: { zero: false } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Accuracy vs ${COSTS[metric].title}`,
    width: 300,
    height: 220,
    data: { values },
    layer: [
      { mark: { type: 'point', filled: true, size: 18 }, encoding: { x, y, color: { field: 'set', type: 'nominal', title: null, scale: { domain: ['evaluated', 'Pareto front'], range: ['#b8b8b8', '#d62728'] } } } },
      { transform: [{ filter: 'datum.front' }], mark: { type: 'line', interpolate: 'step-after', color: '#d62728' }, encoding: { x, y } },
    ],
  };
}

/** Reward of each evaluation (coloured by the phase it was asked in) and the best so far. */
export function rewardSpec(records: readonly EvalRecord[]): TopLevelSpec {
  const values = rewardCurve(records.filter((r) => r.error === undefined));
  const x = { field: 'index', type: 'quantitative' as const, title: 'evaluation' };
  // phases in the order the search visited them, not alphabetical
  const color = { field: 'phase', type: 'nominal' as const, title: 'phase', scale: { domain: [...new Set(values.map((v) => v.phase))] } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Reward over evaluations (best so far as a line)',
    width: 640,
    height: 220,
    data: { values },
    layer: [
      { mark: { type: 'point', filled: true, size: 14, opacity: 0.6 }, encoding: { x, y: { field: 'reward', type: 'quantitative', title: 'reward', scale: { zero: false } }, color } },
      { mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 }, encoding: { x, y: { field: 'best', type: 'quantitative' }, color } },
    ],
  };
}

/** Per-layer latency or energy of one design, stacked by compute unit (NPU vs CIM). */
export function layerSpec(rows: readonly LayerCost[], metric: 'latencyS' | 'energyJ'): TopLevelSpec {
  const order = [...new Set(rows.map((r) => r.layer))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Per-layer ${metric === 'latencyS' ? 'latency (s)' : 'energy (J)'} of the best design`,
    width: Math.max(300, Math.min(900, order.length * 18)),
    height: 200,
    data: { values: rows.map((r) => ({ ...r })) },
    mark: 'bar',
    encoding: {
      x: { field: 'layer', type: 'nominal', sort: order, title: 'layer', axis: { labelAngle: -60 } },
      y: { field: metric, type: 'quantitative', stack: 'zero', axis: { format: '~s' }, title: metric === 'latencyS' ? 'latency (s)' : 'energy (J)' },
      color: { field: 'unit', type: 'nominal', title: 'unit' },
    },
  };
}

/** The reference point in one line, e.g. "accuracy 0.800, latency 100 µs, energy 5.00 µJ, area 10.0 mm²". */
export function describeReference(ref: HvReference): string {
  return `accuracy ${ref.accuracy.toFixed(3)}, latency ${si(ref.latencyS, 's')}, energy ${si(ref.energyJ, 'J')}, area ${ref.areaMm2.toPrecision(3)} mm²`;
}

/**
 * Hypervolume of the 4-objective front after each evaluation (a step line), normalised to the
 * box between the reference point and the utopia point; the reference point is the subtitle.
 */
export function hypervolumeSpec(curve: readonly { evaluations: number; hypervolume: number }[], total: number, ref: HvReference, origin: string): TopLevelSpec {
  const last = curve[curve.length - 1];
  const values = last && last.evaluations < total ? [...curve, { ...last, evaluations: total }] : [...curve];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Hypervolume over evaluations', subtitle: [`reference point (${origin}): ${describeReference(ref)}`, 'fraction of the box between it and (accuracy 1, zero latency, energy, area) that the front dominates'] },
    width: 640,
    height: 200,
    data: { values },
    layer: [
      { mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2, color: '#1f77b4' }, encoding: { x: { field: 'evaluations', type: 'quantitative', title: 'evaluations' }, y: { field: 'hypervolume', type: 'quantitative', title: 'normalised hypervolume', axis: { format: '.3~g' } } } },
      { mark: { type: 'point', filled: true, size: 16, color: '#1f77b4' }, encoding: { x: { field: 'evaluations', type: 'quantitative' }, y: { field: 'hypervolume', type: 'quantitative' } } },
    ],
  };
}
