import type { RunSummary, SuiteConfig } from '../suite';
import { describeReference } from '../report/charts';
import type { HvReference } from './hypervolume';
import { mannWhitney, type MannWhitney } from './mann-whitney';
import { summaryStats, type SummaryStats } from './summary';

/**
 * The statistics of a suite (variants × seeds) and their tables: per variant and quantity,
 * summary statistics over seeds; per pair of variants, a two-sided Mann-Whitney U test and
 * Cliff's δ. Pure functions of the per-seed summaries (`summariseRun` in suite.ts).
 */
/** The quantities compared between variants, with how each is read from a run summary. */
export const SUITE_STATS = [
  { key: 'bestReward', title: 'best reward', unit: '', get: (r: RunSummary) => r.bestReward },
  { key: 'hypervolume', title: 'hypervolume', unit: '', get: (r: RunSummary) => r.hypervolume },
  { key: 'latencyS', title: 'latency*', unit: 's', get: (r: RunSummary) => r.matched?.latencyS ?? NaN },
  { key: 'energyJ', title: 'energy*', unit: 'J', get: (r: RunSummary) => r.matched?.energyJ ?? NaN },
  { key: 'areaMm2', title: 'area*', unit: 'mm²', get: (r: RunSummary) => r.matched?.areaMm2 ?? NaN },
] as const;

export type SuiteStat = (typeof SUITE_STATS)[number]['key'];

/** Mann-Whitney U of `a`'s values, two-sided p, Cliff's δ (> 0: `a`'s values tend to be larger). */
export interface Comparison extends MannWhitney {
  a: string;
  b: string;
  stat: SuiteStat;
}

export interface SuiteStatistics {
  suite: string;
  reference: HvReference;
  matchAccuracy: number;
  seeds: number[];
  /** Per variant and quantity: mean ± std, median [q1, q3] over seeds (null: no seed has the value). */
  variants: Record<string, Record<SuiteStat, SummaryStats | null>>;
  /** Every pair of variants (in suite order) × every quantity with values on both sides. */
  comparisons: Comparison[];
}

export function suiteStatistics(s: SuiteConfig, runs: readonly RunSummary[]): SuiteStatistics {
  const values = (v: string, get: (r: RunSummary) => number) => runs.filter((r) => r.variant === v).map(get).filter((x) => !Number.isNaN(x));
  const variants: SuiteStatistics['variants'] = {};
  for (const v of s.variants) variants[v.name] = Object.fromEntries(SUITE_STATS.map((st) => [st.key, summaryStats(values(v.name, st.get))])) as Record<SuiteStat, SummaryStats | null>;
  const comparisons: Comparison[] = [];
  s.variants.forEach((va, i) => s.variants.slice(i + 1).forEach((vb) => {
    for (const st of SUITE_STATS) {
      const x = values(va.name, st.get);
      const y = values(vb.name, st.get);
      if (x.length === 0 || y.length === 0) continue;
      const t = mannWhitney(x, y);
      comparisons.push({ a: va.name, b: vb.name, stat: st.key, u: t.u, p: t.p, method: t.method, cliffsDelta: t.cliffsDelta, n1: t.n1, n2: t.n2 });
    }
  }));
  return { suite: s.name, reference: s.reference, matchAccuracy: s.matchAccuracy, seeds: [...s.seeds], variants, comparisons };
}

/** A number for a table: 4 decimals when the scale (e.g. the mean) is 0 or in [0.01, 10⁴), else 3 significant digits. */
function num(v: number, scaleFrom: number): string {
  const a = Math.abs(scaleFrom);
  return a === 0 || (a >= 0.01 && a < 1e4) ? v.toFixed(4) : v.toPrecision(3);
}

/** Formats several values of one unit with one SI prefix chosen from the first, e.g. ["45.0", "22.0"], "µs". */
function withPrefix(values: number[], unit: string): [string[], string] {
  if (unit === '' || unit === 'mm²') return [values.map((v) => (unit === '' ? num(v, values[0]) : v.toPrecision(3))), unit];
  const prefixes: [number, string][] = [[1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p']];
  const [f, p] = prefixes.find(([k]) => Math.abs(values[0]) >= k) ?? prefixes[prefixes.length - 1];
  return [values.map((v) => (v / f).toPrecision(3)), `${p}${unit}`];
}

function meanStdCell(d: SummaryStats | null, unit: string): string {
  if (!d) return '–';
  const [[m, sd], u] = withPrefix([d.mean, d.std], unit);
  return `${d.n > 1 ? `${m} ± ${sd}` : m}${u ? ` ${u}` : ''}`;
}

function medianCell(d: SummaryStats | null, unit: string): string {
  if (!d) return '–';
  const [[med, q1, q3], u] = withPrefix([d.median, d.q1, d.q3], unit);
  return `${med} [${q1}, ${q3}]${u ? ` ${u}` : ''}`;
}

/** "p = 0.016" (exact) or "p ≈ 0.123" (normal approximation). */
const pText = (p: number, method: 'exact' | 'normal') => (p < 0.001 ? `p ${method === 'exact' ? '<' : '≲'} 0.001` : `p ${method === 'exact' ? '=' : '≈'} ${p.toFixed(3)}`);

/** The README tables: mean ± std, median [q1, q3], and the pairwise tests, with their definitions. */
export function suiteTable(s: SuiteConfig, runs: readonly RunSummary[], stats: SuiteStatistics = suiteStatistics(s, runs)): string {
  const head = `| variant | seeds | ${SUITE_STATS.map((st) => st.title).join(' | ')} |\n|---|---|${SUITE_STATS.map(() => '---|').join('')}`;
  const rows = (cell: (d: SummaryStats | null, unit: string) => string) => s.variants.map((v) => {
    const n = runs.filter((r) => r.variant === v.name).length;
    return `| ${v.name} | ${n} | ${SUITE_STATS.map((st) => cell(stats.variants[v.name][st.key], st.unit)).join(' | ')} |`;
  }).join('\n');
  const missing = runs.filter((r) => !r.matched);
  const out = [
    `Mean ± std over seeds ${s.seeds.join(', ')}:`, '', head, rows(meanStdCell), '',
    'Median [q1, q3] over the same seeds:', '', head, rows(medianCell), '',
  ];
  if (stats.comparisons.length) {
    const ph = `| variants | ${SUITE_STATS.map((st) => st.title).join(' | ')} |\n|---|${SUITE_STATS.map(() => '---|').join('')}`;
    const pairs = [...new Set(stats.comparisons.map((c) => `${c.a}\u0000${c.b}`))].map((k) => {
      const [a, b] = k.split('\u0000');
      const cells = SUITE_STATS.map((st) => {
        const c = stats.comparisons.find((x) => x.a === a && x.b === b && x.stat === st.key);
        return c ? `${pText(c.p, c.method)}, δ = ${c.cliffsDelta >= 0 ? '+' : '−'}${Math.abs(c.cliffsDelta).toFixed(2)}` : '–';
      });
      return `| ${a} vs ${b} | ${cells.join(' | ')} |`;
    });
    out.push('Between variants: two-sided Mann-Whitney U p-value and Cliff\'s δ (δ > 0: the first variant\'s values tend to be larger):', '', ph, pairs.join('\n'), '');
  }
  const r = s.reference;
  out.push(
    `best reward: the highest reward of any evaluated design. hypervolume: of the run's final front over accuracy (max), latency, energy, area (min) against the reference point (${describeReference(r)}), as the fraction of the box between it and (accuracy 1, zero costs) that the front dominates. ` +
      `*: matched accuracy — the lowest latency (energy, area) of any evaluated design with accuracy ≥ ${s.matchAccuracy}${missing.length ? `; runs without such a design are left out (${missing.map((m) => `${m.variant} seed ${m.seed}`).join(', ')})` : ''}. ` +
      'p-values: "=" exact (tie-free samples, n₁n₂ ≤ 2500), "≈" normal approximation with tie and continuity corrections; not corrected for multiple comparisons.',
  );
  return out.join('\n') + '\n';
}

const CSV_COLUMNS = ['variant', 'seed', 'evaluations', 'bestReward', 'hypervolume', 'matchedLatencyS', 'matchedEnergyJ', 'matchedAreaMm2', 'matchedBestAccuracy', 'matchedBestLatencyS', 'matchedBestEnergyJ', 'matchedBestAreaMm2'] as const;

/** Per-seed summaries as CSV (SI units; empty cells where no design reached matched accuracy). */
export function runsToCsv(runs: readonly RunSummary[]): string {
  const cell = (v: string | number | undefined) => (v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v));
  const rows = runs.map((r) => [
    r.variant, r.seed, r.evaluations, r.bestReward, r.hypervolume,
    r.matched?.latencyS, r.matched?.energyJ, r.matched?.areaMm2,
    r.matchedBest?.accuracy, r.matchedBest?.latencyS, r.matchedBest?.energyJ, r.matchedBest?.areaMm2,
  ].map(cell).join(','));
  return [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}
