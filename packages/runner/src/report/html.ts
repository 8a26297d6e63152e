import type { SearchSpace } from '@cosearch/core';
import type { Checkpoint } from '../checkpoint';
import type { EvalRecord } from '../journal';
import type { Activity } from './active';
import type { LayerCost } from '../problem';
import { choicesByPhase } from './data';

/** HTML assembly of the report: inline CSS and SVG only, no script, no external resource. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Engineering notation with an SI prefix, e.g. 1.23e-4 s → "123 µs". */
export function si(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (value === 0) return `0 ${unit}`;
  const prefixes: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p'], [1e-15, 'f']];
  for (const [f, p] of prefixes) if (Math.abs(value) >= f) return `${(value / f).toPrecision(3)} ${p}${unit}`;
  return `${value.toExponential(2)} ${unit}`;
}

export interface ReportParts {
  title: string;
  summary: Record<string, string | number>;
  paretoSvgs: string[];
  rewardSvg: string;
  hypervolumeSvg: string;
  layerSvgs: string[];
  /** Per-layer rows of the best design (mappings are listed when the problem reports them). */
  layers?: readonly LayerCost[];
  best: EvalRecord[];
  /** Active/inactive decisions of each best design (null entries: not derivable, all shown). */
  activity: (Activity | null)[];
  space: SearchSpace;
  config: unknown;
  checkpoint: Checkpoint;
  /** Lines shown above everything (e.g. more than half of the evaluations failed). */
  warnings?: string[];
}

function table(headers: string[], rows: string[][]): string {
  const th = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table>${th ? `<thead><tr>${th}</tr></thead>` : ''}<tbody>\n${trs}\n</tbody></table>`;
}

/** Layer, unit, latency, energy and mapping of each layer that reports a mapping (empty if none does). */
export function mappingTable(rows: readonly LayerCost[]): string {
  if (!rows.some((r) => r.mapping)) return '';
  const body = rows.map((r) => [escapeHtml(r.layer), escapeHtml(r.unit), si(r.latencyS, 's'), si(r.energyJ, 'J'), `<span class="choices">${escapeHtml(r.mapping ?? '–')}</span>`]);
  return table(['layer', 'unit', 'latency', 'energy', 'mapping'], body);
}

export function reportHtml(p: ReportParts): string {
  const phases = p.space.phases();
  const anyInactive = p.activity.some((a) => a !== null && a.inactive.length > 0);
  const bestRows = p.best.map((r, i) => {
    const act = p.activity[i] ?? null;
    const shown = act ? new Set(act.active) : null;
    const by = choicesByPhase(p.space, r.candidate, (name) => shown === null || shown.has(name));
    const hidden = act ? act.inactive.map((n) => `${n}=${String(r.candidate[n])}`) : [];
    return [
      String(i + 1), String(r.index), r.reward.toFixed(4), (100 * r.metrics!.accuracy).toFixed(2) + ' %',
      si(r.metrics!.latencyS, 's'), si(r.metrics!.energyJ, 'J'), `${r.metrics!.areaMm2.toPrecision(3)} mm²`,
      ...phases.map((ph) => `<span class="choices">${escapeHtml(by[ph] ?? '')}</span>`),
      ...(anyInactive
        ? [hidden.length ? `<details><summary>${hidden.length} inactive</summary><span class="choices">${escapeHtml(hidden.join(', '))}</span></details>` : '']
        : []),
    ];
  });
  const summary = Object.entries(p.summary).map(([k, v]) => [escapeHtml(k), escapeHtml(String(v))]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(p.title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1400px;padding:0 16px;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{border:1px solid #eee;padding:4px}
table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f5f5f5}.choices{font-family:ui-monospace,monospace;font-size:0.9em}
details summary{cursor:pointer;color:#555}.warning{background:#fff3cd;border:1px solid #e0b400;padding:6px 10px}.note{font-size:0.85em;color:#555}
pre{background:#f7f7f7;padding:8px;overflow:auto;font-size:0.8em;max-height:480px}
</style></head><body>
<h1>${escapeHtml(p.title)}</h1>
${(p.warnings ?? []).map((w) => `<p class="warning">${escapeHtml(w)}</p>`).join('\n')}
${table([], summary)}
<h2>Pareto fronts</h2>
<div class="charts">${p.paretoSvgs.map((s) => `<div class="chart">${s}</div>`).join('\n')}</div>
<h2>Reward over evaluations</h2>
<div class="charts"><div class="chart">${p.rewardSvg}</div></div>
<h2>Hypervolume over evaluations</h2>
<div class="charts"><div class="chart">${p.hypervolumeSvg}</div></div>
<h2>Best candidates</h2>
${table(['#', 'eval', 'reward', 'accuracy', 'latency', 'energy', 'area', ...phases.map((ph) => `${ph} choices`), ...(anyInactive ? ['inactive decisions'] : [])], bestRows)}
<p class="note">${p.activity.some((a) => a !== null)
    ? 'Choices list only the decisions active for that design: changing one alone changes its per-layer breakdown (layers, unit, latency or energy) or makes it fail. The others (e.g. slots beyond a stage\'s depth, ViT knobs of an MBConv block, crossbar knobs when nothing is on CIM; also any knob that only changes area) are folded under “inactive”.'
    : 'Every decision is listed: this problem has no per-layer breakdown from which to tell active decisions apart.'}</p>
<h2>Per-layer breakdown of the best design</h2>
<div class="charts">${p.layerSvgs.length ? p.layerSvgs.map((s) => `<div class="chart">${s}</div>`).join('\n') : '<p>(no per-layer breakdown for this problem)</p>'}</div>
${mappingTable(p.layers ?? [])}
<h2>Data</h2>
<p>Every evaluation: <a href="evaluations.csv">evaluations.csv</a>, <a href="evaluations.json">evaluations.json</a>; the log as written: <a href="evaluations.jsonl">evaluations.jsonl</a>.</p>
<h2>Config</h2>
<pre>${escapeHtml(JSON.stringify(p.config, null, 2))}</pre>
</body></html>
`;
}
