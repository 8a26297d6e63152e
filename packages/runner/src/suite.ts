import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, CosearchError, asObject, numberField, rejectUnknownKeys, stringField, type Obj } from '@cosearch/core';
import { readCheckpoint } from './checkpoint';
import { readConfigFile } from './config';
import { deepMerge } from './problems/cosearch-config';
import { CONFIG_FILE, prepareExperiment, resumeRun, startRun, type RunOptions, type RunResult } from './run';
import type { EvalRecord } from './journal';
import { bestRecords, validRecords } from './report/data';
import { writeReport } from './report/write';
import { summaryStats, type SummaryStats } from './stats/summary';
import { frontHypervolume, validateReference, type HvReference } from './stats/hypervolume';
import { mannWhitney } from './stats/mann-whitney';

/**
 * A suite: one base experiment run as several variants (deep-merged overrides) over several
 * seeds, then summarised with statistics — e.g. a policy comparison, or joint vs sequential
 * co-search at the same budget. Each (variant, seed) is an ordinary run folder
 * `<output>/<variant>/seed-<seed>`, so an interrupted suite continues where it stopped. Per
 * variant: best reward, hypervolume against the suite's fixed reference point, and the costs at
 * matched accuracy, each as mean ± std and median [q1, q3] over seeds; between variants a
 * two-sided Mann-Whitney U p-value and Cliff's δ.
 */
export interface SuiteConfig {
  name: string;
  base: Obj;
  variants: { name: string; override: Obj }[];
  seeds: number[];
  /** Designs with at least this accuracy are compared on latency/energy/area ("matched accuracy"). */
  matchAccuracy: number;
  /** Fixed hypervolume reference point, the same for every variant and seed (required). */
  reference: HvReference;
  output: string;
}

export function validateSuiteConfig(raw: unknown, file: string): SuiteConfig {
  const o = asObject(raw, 'suite');
  rejectUnknownKeys(o, '', ['$schema', 'description', 'suite', 'base', 'override', 'variants', 'seeds', 'matchAccuracy', 'reference', 'output']);
  const name = stringField(o, 'suite', '');
  let base: Obj;
  if (typeof o.base === 'string') base = asObject(readConfigFile(path.resolve(path.dirname(file), o.base)), 'base');
  else base = asObject(o.base, 'base');
  base = deepMerge(base, o.override ?? {}) as Obj;
  if (!Array.isArray(o.variants) || o.variants.length === 0) throw new ConfigError('variants', o.variants, 'a non-empty list of {name, override}');
  const variants = o.variants.map((v, i) => {
    const vo = asObject(v, `variants[${i}]`);
    rejectUnknownKeys(vo, `variants[${i}]`, ['name', 'override']);
    const vname = stringField(vo, 'name', `variants[${i}]`);
    if (!/^[A-Za-z0-9._-]+$/.test(vname)) throw new ConfigError(`variants[${i}].name`, vname, 'letters, digits, ".", "_" or "-"');
    return { name: vname, override: asObject(vo.override ?? {}, `variants[${i}].override`) };
  });
  const seeds = o.seeds ?? [1];
  if (!Array.isArray(seeds) || seeds.length === 0 || !seeds.every((s) => Number.isInteger(s) && s >= 0)) throw new ConfigError('seeds', seeds, 'a non-empty list of non-negative integers');
  return {
    name,
    base,
    variants,
    seeds: seeds as number[],
    matchAccuracy: numberField(o, 'matchAccuracy', '', { min: 0, max: 1 }, 0),
    reference: validateReference(o.reference, 'reference'),
    output: stringField(o, 'output', '', path.join('runs', name)),
  };
}

/** The experiment config of one (variant, seed). */
export function variantConfig(s: SuiteConfig, variant: SuiteConfig['variants'][number], seed: number): Obj {
  return { ...(deepMerge(s.base, variant.override) as Obj), name: `${s.name}-${variant.name}-seed${seed}`, seed };
}

export interface MatchedDesign {
  accuracy: number;
  latencyS: number;
  energyJ: number;
  areaMm2: number;
}

/** One (variant, seed): the figures the suite's statistics are computed from. */
export interface RunSummary {
  variant: string;
  seed: number;
  evaluations: number;
  /** Highest reward of any evaluated design. */
  bestReward: number;
  /** Normalised hypervolume of the run's final 4-objective front against the suite's reference (stats/hypervolume). */
  hypervolume: number;
  /**
   * Matched accuracy, per cost: the lowest latency, energy and area among the evaluated designs
   * with accuracy ≥ `matchAccuracy` (each may come from a different design: each is where the
   * accuracy-vs-that-cost front crosses the threshold). Null when no design reached it.
   */
  matched: { latencyS: number; energyJ: number; areaMm2: number } | null;
  /** The best-reward design among those with accuracy ≥ `matchAccuracy` (one coherent design), or null. */
  matchedBest: MatchedDesign | null;
}

export function summariseRun(variant: string, seed: number, records: readonly EvalRecord[], matchAccuracy: number, reference: HvReference): RunSummary {
  const best = bestRecords(records, 1)[0];
  const ok = validRecords(records).filter((r) => r.metrics!.accuracy >= matchAccuracy);
  const top = bestRecords(ok, 1)[0];
  const min = (k: 'latencyS' | 'energyJ' | 'areaMm2') => Math.min(...ok.map((r) => r.metrics![k]));
  return {
    variant, seed, evaluations: records.length,
    bestReward: best ? best.reward : NaN,
    hypervolume: frontHypervolume(records, reference),
    matched: ok.length ? { latencyS: min('latencyS'), energyJ: min('energyJ'), areaMm2: min('areaMm2') } : null,
    matchedBest: top ? { accuracy: top.metrics!.accuracy, latencyS: top.metrics!.latencyS, energyJ: top.metrics!.energyJ, areaMm2: top.metrics!.areaMm2 } : null,
  };
}

/** The quantities compared between variants, with how each is read from a run summary. */
export const SUITE_STATS = [
  { key: 'bestReward', title: 'best reward', unit: '', get: (r: RunSummary) => r.bestReward },
  { key: 'hypervolume', title: 'hypervolume', unit: '', get: (r: RunSummary) => r.hypervolume },
  { key: 'latencyS', title: 'latency*', unit: 's', get: (r: RunSummary) => r.matched?.latencyS ?? NaN },
  { key: 'energyJ', title: 'energy*', unit: 'J', get: (r: RunSummary) => r.matched?.energyJ ?? NaN },
  { key: 'areaMm2', title: 'area*', unit: 'mm²', get: (r: RunSummary) => r.matched?.areaMm2 ?? NaN },
] as const;

export type SuiteStat = (typeof SUITE_STATS)[number]['key'];

export interface Comparison {
  a: string;
  b: string;
  stat: SuiteStat;
  /** Mann-Whitney U of `a`'s values, two-sided p, Cliff's δ (> 0: `a`'s values tend to be larger). */
  u: number;
  p: number;
  method: 'exact' | 'normal';
  cliffsDelta: number;
  n1: number;
  n2: number;
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
    `best reward: the highest reward of any evaluated design. hypervolume: of the run's final front over accuracy (max), latency, energy, area (min) against the reference point (accuracy ${r.accuracy}, latency ${r.latencyS} s, energy ${r.energyJ} J, area ${r.areaMm2} mm²), as the fraction of the box between it and (accuracy 1, zero costs) that the front dominates. ` +
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

/**
 * Runs (or continues) every (variant, seed), writes each newly finished run's report with the
 * suite's reference point, and writes into the suite folder: `summary.md` (the tables),
 * `per-seed.csv` and `per-seed.json` (one summary per run), `statistics.json` (per-variant
 * statistics and the pairwise tests).
 */
export async function runSuite(file: string, opts: RunOptions & { seeds?: number[] } = {}): Promise<{ table: string; runs: RunSummary[]; statistics: SuiteStatistics; dir: string }> {
  const s = validateSuiteConfig(readConfigFile(file), file);
  if (opts.seeds) s.seeds = opts.seeds;
  const dir = path.resolve(opts.out ?? s.output);
  const runs: RunSummary[] = [];
  for (const seed of s.seeds) {
    for (const v of s.variants) {
      const runDir = path.join(dir, v.name, `seed-${seed}`);
      const exists = fs.existsSync(path.join(runDir, CONFIG_FILE));
      const wasFinished = exists ? readCheckpoint(runDir)?.finished === true : false;
      opts.progress?.write(`suite ${s.name}: ${v.name}, seed ${seed}\n`);
      const r: RunResult = exists
        ? await resumeRun(runDir, { ...opts, out: undefined, noReport: true })
        : await startRun(variantConfig(s, v, seed), { ...opts, out: runDir, noReport: true });
      if (!r.finished) throw new CosearchError(`${runDir} was interrupted; run the suite again to continue it`);
      if (!wasFinished && !opts.noReport) {
        const { config, problem } = prepareExperiment(readConfigFile(path.join(runDir, CONFIG_FILE)), { progress: null, cacheDir: opts.cacheDir }, runDir);
        await writeReport(runDir, { config, problem, records: r.records, checkpoint: r.checkpoint, reference: s.reference });
      }
      runs.push(summariseRun(v.name, seed, r.records, s.matchAccuracy, s.reference));
    }
  }
  const statistics = suiteStatistics(s, runs);
  const table = suiteTable(s, runs, statistics);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'summary.md'), table);
  fs.writeFileSync(path.join(dir, 'per-seed.csv'), runsToCsv(runs));
  fs.writeFileSync(path.join(dir, 'per-seed.json'), JSON.stringify(runs, null, 1) + '\n');
  fs.writeFileSync(path.join(dir, 'statistics.json'), JSON.stringify(statistics, null, 1) + '\n');
  return { table, runs, statistics, dir };
}
