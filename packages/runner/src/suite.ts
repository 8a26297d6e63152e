import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, CosearchError, asObject, numberField, rejectUnknownKeys, stringField, type Obj } from '@cosearch/core';
import { readCheckpoint } from './checkpoint';
import { readConfigFile } from './config';
import { deepMerge } from './problems/cosearch-config';
import { resumeRun, startRun, type RunOptions, type RunResult } from './run';
import type { EvalRecord } from './journal';
import { bestRecords, validRecords } from './report/data';

/**
 * A suite: one base experiment run as several variants (deep-merged overrides) over several
 * seeds, then summarised in one table — e.g. a policy comparison, or joint vs sequential
 * co-search at the same budget. Each (variant, seed) is an ordinary run folder
 * `<output>/<variant>/seed-<seed>`, so an interrupted suite continues where it stopped.
 */
export interface SuiteConfig {
  name: string;
  base: Obj;
  variants: { name: string; override: Obj }[];
  seeds: number[];
  /** Designs with at least this accuracy are compared on latency/energy/area ("matched accuracy"). */
  matchAccuracy: number;
  output: string;
}

export function validateSuiteConfig(raw: unknown, file: string): SuiteConfig {
  const o = asObject(raw, 'suite');
  rejectUnknownKeys(o, '', ['$schema', 'description', 'suite', 'base', 'override', 'variants', 'seeds', 'matchAccuracy', 'output']);
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
    output: stringField(o, 'output', '', path.join('runs', name)),
  };
}

/** The experiment config of one (variant, seed). */
export function variantConfig(s: SuiteConfig, variant: SuiteConfig['variants'][number], seed: number): Obj {
  return { ...(deepMerge(s.base, variant.override) as Obj), name: `${s.name}-${variant.name}-seed${seed}`, seed };
}

export interface RunSummary {
  variant: string;
  seed: number;
  bestReward: number;
  /** Best-reward design among those with accuracy ≥ matchAccuracy (null if none reached it). */
  matched: { accuracy: number; latencyS: number; energyJ: number; areaMm2: number } | null;
  evaluations: number;
}

export function summariseRun(variant: string, seed: number, records: readonly EvalRecord[], matchAccuracy: number): RunSummary {
  const best = bestRecords(records, 1)[0];
  const matched = bestRecords(validRecords(records).filter((r) => r.metrics!.accuracy >= matchAccuracy), 1)[0];
  return {
    variant, seed, bestReward: best ? best.reward : NaN, evaluations: records.length,
    matched: matched ? { accuracy: matched.metrics!.accuracy, latencyS: matched.metrics!.latencyS, energyJ: matched.metrics!.energyJ, areaMm2: matched.metrics!.areaMm2 } : null,
  };
}

function meanStd(xs: number[]): string {
  if (xs.length === 0) return '–';
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  const f = (v: number) => (Math.abs(m) >= 0.01 && Math.abs(m) < 1e4 ? v.toFixed(4) : v.toPrecision(3));
  return xs.length > 1 ? `${f(m)} ± ${f(sd)}` : f(m);
}

/** Mean ± std with one SI prefix chosen from the mean, e.g. "45.0 ± 22.0 µs". */
function meanStdSi(xs: number[], unit: string): string {
  if (xs.length === 0) return '–';
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  const prefixes: [number, string][] = [[1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p']];
  const [f, p] = prefixes.find(([k]) => Math.abs(m) >= k) ?? prefixes[prefixes.length - 1];
  const show = (v: number) => (v / f).toPrecision(3);
  return xs.length > 1 ? `${show(m)} ± ${show(sd)} ${p}${unit}` : `${show(m)} ${p}${unit}`;
}

/** The README table: per variant, mean ± std over seeds. */
export function suiteTable(s: SuiteConfig, runs: readonly RunSummary[]): string {
  const head = `| variant | seeds | best reward | accuracy* | latency* | energy* | area* |\n|---|---|---|---|---|---|---|`;
  const rows = s.variants.map((v) => {
    const rs = runs.filter((r) => r.variant === v.name);
    const m = rs.flatMap((r) => (r.matched ? [r.matched] : []));
    return `| ${v.name} | ${rs.length} | ${meanStd(rs.map((r) => r.bestReward))} | ${meanStd(m.map((x) => x.accuracy))} | ${meanStdSi(m.map((x) => x.latencyS), 's')} | ${meanStdSi(m.map((x) => x.energyJ), 'J')} | ${meanStdSi(m.map((x) => x.areaMm2), 'mm²')} |`;
  });
  return `${head}\n${rows.join('\n')}\n\n*: the best-reward design with accuracy ≥ ${s.matchAccuracy} (matched accuracy), mean ± std over seeds ${s.seeds.join(', ')}${runs.some((r) => !r.matched) ? '; runs without such a design are left out' : ''}.\n`;
}

/** Runs (or continues) every (variant, seed) and returns the table; writes summary.md/json into the suite folder. */
export async function runSuite(file: string, opts: RunOptions & { seeds?: number[] } = {}): Promise<{ table: string; runs: RunSummary[]; dir: string }> {
  const s = validateSuiteConfig(readConfigFile(file), file);
  if (opts.seeds) s.seeds = opts.seeds;
  const dir = path.resolve(opts.out ?? s.output);
  const runs: RunSummary[] = [];
  for (const seed of s.seeds) {
    for (const v of s.variants) {
      const runDir = path.join(dir, v.name, `seed-${seed}`);
      const done = fs.existsSync(path.join(runDir, 'config.json')) ? readCheckpoint(runDir) : null;
      opts.progress?.write(`suite ${s.name}: ${v.name}, seed ${seed}\n`);
      const r: RunResult = fs.existsSync(path.join(runDir, 'config.json'))
        ? await resumeRun(runDir, { ...opts, out: undefined, noReport: done?.finished })
        : await startRun(variantConfig(s, v, seed), { ...opts, out: runDir });
      if (!r.finished) throw new CosearchError(`${runDir} was interrupted; run the suite again to continue it`);
      runs.push(summariseRun(v.name, seed, r.records, s.matchAccuracy));
    }
  }
  const table = suiteTable(s, runs);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'summary.md'), table);
  fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(runs, null, 1) + '\n');
  return { table, runs, dir };
}
