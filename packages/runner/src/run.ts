import * as fs from 'node:fs';
import * as path from 'node:path';
import { CosearchError, DataError, createReward } from '@cosearch/core';
import { createPolicy } from '@cosearch/controller';
import { buildExperiment, lookup } from './build';
import { readCheckpoint, writeJsonAtomic, type Checkpoint } from './checkpoint';
import { configToJSON, readConfigFile, type ExperimentConfig } from './config';
import { Journal, readJournal, sortedRecords, type EvalRecord } from './journal';
import { failureWarning } from './failures';
import { executorEntry, executorRegistry } from './executor';
import type { Problem, ProblemContext } from './problem';
import { Progress, type ProgressSink } from './progress';
import { writeReport } from './report/write';
import { searchLoop, type PolicyFactory } from './search';
import { checkStages, pinnedSpace, stagePins } from './stages';

export const CONFIG_FILE = 'config.json';
export const JOURNAL_FILE = 'evaluations.jsonl';

export interface RunOptions {
  /** Run folder; default: the config's `output`. */
  out?: string;
  /** Overrides `search.workers`. */
  workers?: number;
  /** Progress and messages go here (default stderr); null = quiet. */
  progress?: ProgressSink | null;
  /** Where trained supernets are cached across runs (default `<cwd>/.cosearch-cache`). */
  cacheDir?: string;
  /** Policy factory (default: `createPolicy` of @cosearch/controller). */
  createPolicy?: PolicyFactory;
  /** Stop after the round in which this many evaluations are done (tests of interruption). */
  stopAfter?: number;
  /** Do not write the report at the end. */
  noReport?: boolean;
  /** Folder that relative `plugins` of a config object resolve against (default: the config file's folder, else the working directory). */
  baseDir?: string;
}

export interface RunResult {
  dir: string;
  finished: boolean;
  checkpoint: Checkpoint;
  records: EvalRecord[];
  reportFile: string | null;
  /** The signal that stopped an unfinished run (SIGINT / SIGTERM; the CLI exits 130 / 143). */
  signal?: 'SIGINT' | 'SIGTERM';
}

/** Validates a raw config fully (runner fields, problem sections, reward, policy, stages) without running it. */
export function prepareExperiment(raw: unknown, opts: RunOptions = {}, runDir = ''): { config: ExperimentConfig; problem: Problem; ctx: ProblemContext } {
  const sink = opts.progress === undefined ? process.stderr : opts.progress;
  const ctx: ProblemContext = {
    runDir,
    cacheDir: path.resolve(opts.cacheDir ?? '.cosearch-cache'),
    log: (m) => sink?.write(`${m}\n`),
  };
  const { config, problem } = buildExperiment(raw, ctx, { baseDir: opts.baseDir });
  if (opts.workers !== undefined) config.search.workers = opts.workers;
  lookup('reward.name', 'reward', config.reward.name, () => createReward(config.reward));
  checkStages(problem.space, config);
  executorEntry(config.executor).validate?.(config);
  // dry-run the first stage's policy: unknown names and bad params fail here, before any work
  const factory = opts.createPolicy ?? createPolicy;
  for (const s of config.search.stages) {
    const pc = s.policy ?? config.policy;
    const pins = stagePins(problem.space, config, s, null);
    const field = s.policy ? `search.stages[${config.search.stages.indexOf(s)}].policy.name` : 'policy.name';
    lookup(field, 'policy', pc.name, () => factory(pc.name, { space: pinnedSpace(problem.space, pins), seed: 1, params: pc.params })).dispose?.();
  }
  return { config, problem, ctx };
}

function hasRun(dir: string): boolean {
  return fs.existsSync(path.join(dir, JOURNAL_FILE)) || fs.existsSync(path.join(dir, 'checkpoint.json'));
}

/** Starts a new run of a config (a file path or a parsed object) in a fresh run folder. */
export async function startRun(configOrFile: unknown, opts: RunOptions = {}): Promise<RunResult> {
  const raw = typeof configOrFile === 'string' ? readConfigFile(configOrFile) : configOrFile;
  if (typeof configOrFile === 'string' && opts.baseDir === undefined) opts = { ...opts, baseDir: path.dirname(path.resolve(configOrFile)) };
  const { config, problem } = prepareExperiment(raw, opts);
  problem.check?.();
  const dir = path.resolve(opts.out ?? config.output);
  if (hasRun(dir)) throw new CosearchError(`${dir} already holds a run; continue it with \`cosearch resume ${dir}\` or pick another --out`);
  fs.mkdirSync(dir, { recursive: true });
  writeJsonAtomic(path.join(dir, CONFIG_FILE), configToJSON({ ...config, output: dir }));
  return execute(dir, opts);
}

/** Continues an interrupted run from its checkpoint and journal (or rewrites the report of a finished one). */
export async function resumeRun(dir: string, opts: RunOptions = {}): Promise<RunResult> {
  const abs = path.resolve(dir);
  if (!fs.existsSync(path.join(abs, CONFIG_FILE))) throw new DataError(path.join(abs, CONFIG_FILE), 'not a run folder (no config.json)');
  return execute(abs, opts);
}

async function execute(dir: string, opts: RunOptions): Promise<RunResult> {
  const raw = readConfigFile(path.join(dir, CONFIG_FILE));
  const { config, problem, ctx } = prepareExperiment(raw, opts, dir);
  const sink = opts.progress === undefined ? process.stderr : opts.progress;
  const checkpoint = readCheckpoint(dir);
  const progress = new Progress(sink, checkpoint?.evals ?? 0);
  const journalFile = path.join(dir, JOURNAL_FILE);
  const logged = readJournal(journalFile).records;
  if (checkpoint?.finished) {
    const records = sortedRecords(logged);
    const reportFile = opts.noReport ? null : await writeReport(dir, { config, problem, records, checkpoint });
    return { dir, finished: true, checkpoint, records, reportFile };
  }
  if (checkpoint || logged.length) progress.message(`resuming ${dir} from evaluation ${checkpoint?.evals ?? 0} (${logged.length} in the log)`);
  await problem.prepare?.();
  const pool = await executorRegistry.create(config.executor, { config, raw, problem, ctx: { ...ctx, runDir: dir }, workers: config.search.workers });
  const journal = new Journal(journalFile);
  progress.start();
  let stop = false;
  let interrupts = 0;
  let signal: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) process.exit(sig === 'SIGTERM' ? 143 : 130);
    signal = sig === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
    stop = true;
    progress.message('interrupted: finishing the current round and checkpointing (Ctrl-C again to quit now)');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let cp: Checkpoint;
  try {
    cp = await searchLoop({
      dir, config, problem, pool, journal, logged, checkpoint,
      createPolicy: opts.createPolicy ?? createPolicy,
      progress,
      shouldStop: (evals) => stop || (opts.stopAfter !== undefined && evals >= opts.stopAfter),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    journal.close();
    await pool.close();
  }
  const records = sortedRecords(readJournal(journalFile).records);
  const warning = failureWarning(records);
  if (warning) progress.message(warning);
  const reportFile = cp.finished && !opts.noReport ? await writeReport(dir, { config, problem, records, checkpoint: cp }) : null;
  return { dir, finished: cp.finished, checkpoint: cp, records, reportFile, ...(cp.finished || !signal ? {} : { signal }) };
}

/** Rewrites the report files of a run folder (finished or not) from its journal and checkpoint. */
export async function reportRun(dir: string, opts: Pick<RunOptions, 'progress' | 'cacheDir'> = {}): Promise<string> {
  const abs = path.resolve(dir);
  if (!fs.existsSync(path.join(abs, CONFIG_FILE))) throw new DataError(path.join(abs, CONFIG_FILE), 'not a run folder (no config.json)');
  const raw = readConfigFile(path.join(abs, CONFIG_FILE));
  const { config, problem } = prepareExperiment(raw, { progress: opts.progress ?? null, cacheDir: opts.cacheDir }, abs);
  const records = sortedRecords(readJournal(path.join(abs, JOURNAL_FILE)).records);
  if (records.length === 0) throw new DataError(path.join(abs, JOURNAL_FILE), 'no evaluations logged yet');
  return writeReport(abs, { config, problem, records, checkpoint: readCheckpoint(abs) });
}
