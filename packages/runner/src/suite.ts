import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, CosearchError, asObject, numberField, rejectUnknownKeys, stringField, type Obj } from '@cosearch/core';
import { readCheckpoint } from './checkpoint';
import { readConfigFile } from './config';
import { deepMerge } from './merge';
import { anchorPlugins } from './plugins';
import { CONFIG_FILE, prepareExperiment, resumeRun, startRun, type RunOptions, type RunResult } from './run';
import type { EvalRecord } from './journal';
import { bestRecords, validRecords } from './report/data';
import { writeReport } from './report/write';
import { HV_METRICS, frontHypervolume, readReferenceFile, validateReference, writeReferenceFile, type HvReference } from './stats/hypervolume';
import { runsToCsv, suiteStatistics, suiteTable, type SuiteStatistics } from './stats/suite-stats';

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
  // relative plug-in paths of the base resolve against the file that holds them
  if (typeof o.base === 'string') {
    const baseFile = path.resolve(path.dirname(file), o.base);
    if (!fs.existsSync(baseFile)) throw new ConfigError('base', o.base, `an experiment config file (relative to the suite file; ${baseFile} does not exist) or an inline config object`);
    base = asObject(anchorPlugins(readConfigFile(baseFile), path.dirname(baseFile)), 'base');
  } else base = asObject(anchorPlugins(o.base, path.dirname(path.resolve(file))), 'base');
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

/**
 * Runs (or continues) every (variant, seed), stores the suite's reference point in each run
 * folder (`REFERENCE_FILE`) and writes the run's report with it (again when the point changed),
 * and writes into the suite folder: `summary.md` (the tables),
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
        : await startRun(variantConfig(s, v, seed), { ...opts, out: runDir, noReport: true, baseDir: opts.baseDir ?? path.dirname(path.resolve(file)) });
      if (!r.finished) throw new CosearchError(`${runDir} was interrupted; run the suite again to continue it`);
      // (re)write the report when the run is new or the suite's reference point changed since
      const stored = readReferenceFile(runDir);
      const sameReference = stored !== null && HV_METRICS.every((k) => stored[k] === s.reference[k]);
      if (!sameReference) writeReferenceFile(runDir, s.reference);
      if ((!wasFinished || !sameReference) && !opts.noReport) {
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
