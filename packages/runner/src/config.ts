import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ConfigError,
  DataError,
  DEFAULT_OBJECTIVES,
  asObject,
  numberField,
  oneOf,
  rejectUnknownKeys,
  stringField,
  type Candidate,
  type Choice,
  type Objective,
  type Obj,
} from '@cosearch/core';

/**
 * The experiment config: one JSON file describing a co-search run. This module validates the
 * fields the runner owns (search loop, reward and policy by name, output); the problem plug-in
 * (`problem`, default `cosearch-v1`) validates its own sections (dataset, network, hardware,
 * accuracy, ...). Every error names the field path, the bad value and what is allowed.
 */
export interface PolicyConfig {
  name: string;
  params: Record<string, unknown>;
}

/**
 * One stage of a run. A plain joint search is one stage over every phase. A sequential search
 * (network first on a baseline hardware, then hardware for the chosen network) is two stages:
 * decisions outside `phases` are fixed, to `search.baseline` (`others: 'baseline'`) or to the
 * best candidate found so far (`others: 'best'`).
 */
export interface StageConfig {
  name: string;
  phases: string[];
  budget: number;
  policy: PolicyConfig | null;
  others: 'baseline' | 'best';
}

export interface SearchConfig {
  /** Total evaluations (candidates told to the policy, cache hits included). */
  budget: number;
  /** Candidates asked per round; fixed, independent of `workers`, so results are too. */
  batchSize: number;
  /** Worker threads evaluating in parallel (0 = evaluate in the main thread). */
  workers: number;
  /** Checkpoint every this many evaluations (rounded up to a batch boundary), and at exit. */
  checkpointEvery: number;
  /** Reward given to a candidate whose evaluation failed (e.g. it does not map on the hardware). */
  errorReward: number;
  /** Decisions fixed for the whole run (e.g. the network of a hardware-only search). */
  fixed: Candidate;
  /** Values of decisions outside a stage's phases when the stage says `others: 'baseline'`. */
  baseline: Candidate;
  stages: StageConfig[];
}

/** The problem of a config without a `problem` field (registered by @cosearch/problem). */
export const DEFAULT_PROBLEM = 'cosearch-v1';

export interface ExperimentConfig {
  name: string;
  /**
   * Plug-in modules loaded before the experiment is built (registering policies, problems,
   * rewards, ...): absolute paths (written relative to the config file) or package names.
   */
  plugins: string[];
  seed: number;
  /** Run folder (relative paths resolve against the working directory). */
  output: string;
  /** Problem plug-in (search space + evaluator) from `problemRegistry`. */
  problem: string;
  /** Where evaluations run, from `executorRegistry` (`local` threads; `queue` with @cosearch/queue). */
  executor: string;
  /** `{ name, ...params }` for core `createReward`. */
  reward: Obj;
  policy: PolicyConfig;
  search: SearchConfig;
  objectives: Objective[];
  report: { top: number };
  /** Sections owned by the problem plug-in (and the executor), validated by them. */
  sections: Record<string, unknown>;
}

export const RUNNER_KEYS = ['$schema', 'description', 'plugins', 'name', 'seed', 'output', 'problem', 'executor', 'reward', 'policy', 'search', 'objectives', 'report'] as const;

export function validatePolicyConfig(raw: unknown, p: string): PolicyConfig {
  const o = asObject(raw, p);
  rejectUnknownKeys(o, p, ['name', 'params']);
  return { name: stringField(o, 'name', p), params: o.params === undefined ? {} : asObject(o.params, `${p}.params`) };
}

function validateCandidate(raw: unknown, p: string): Candidate {
  const o = asObject(raw ?? {}, p);
  for (const [k, v] of Object.entries(o)) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) throw new ConfigError(`${p}.${k}`, v, 'a string, number or boolean choice');
  }
  return o as Record<string, Choice>;
}

function validateStage(raw: unknown, p: string): StageConfig {
  const o = asObject(raw, p);
  rejectUnknownKeys(o, p, ['name', 'phases', 'budget', 'policy', 'others']);
  if (!Array.isArray(o.phases) || o.phases.length === 0 || !o.phases.every((x) => typeof x === 'string')) {
    throw new ConfigError(`${p}.phases`, o.phases, 'a non-empty list of phase names');
  }
  return {
    name: o.name === undefined ? (o.phases as string[]).join('+') : stringField(o, 'name', p),
    phases: o.phases as string[],
    budget: numberField(o, 'budget', p, { integer: true, min: 1 }),
    policy: o.policy === undefined || o.policy === null ? null : validatePolicyConfig(o.policy, `${p}.policy`),
    others: oneOf(o.others ?? 'baseline', `${p}.others`, ['baseline', 'best'] as const),
  };
}

function validateSearch(raw: unknown): SearchConfig {
  const p = 'search';
  const o = asObject(raw, p);
  rejectUnknownKeys(o, p, ['budget', 'batchSize', 'workers', 'checkpointEvery', 'errorReward', 'fixed', 'baseline', 'stages']);
  const stages = o.stages === undefined ? null : o.stages;
  if (stages !== null && (!Array.isArray(stages) || stages.length === 0)) throw new ConfigError('search.stages', stages, 'a non-empty list of stages');
  const parsedStages = stages ? (stages as unknown[]).map((s, i) => validateStage(s, `search.stages[${i}]`)) : null;
  const stageSum = parsedStages?.reduce((s, x) => s + x.budget, 0);
  const budget = o.budget === undefined && stageSum !== undefined ? stageSum : numberField(o, 'budget', p, { integer: true, min: 1 });
  if (stageSum !== undefined && stageSum !== budget) {
    throw new ConfigError('search.budget', budget, `the sum of the stage budgets (${stageSum}) or no budget at all`);
  }
  return {
    budget,
    batchSize: numberField(o, 'batchSize', p, { integer: true, min: 1 }, 8),
    workers: numberField(o, 'workers', p, { integer: true, min: 0, max: 64 }, Math.max(1, os.availableParallelism?.() ?? os.cpus().length)),
    checkpointEvery: numberField(o, 'checkpointEvery', p, { integer: true, min: 1 }, 16),
    errorReward: numberField(o, 'errorReward', p, {}, -1),
    fixed: validateCandidate(o.fixed, 'search.fixed'),
    baseline: validateCandidate(o.baseline, 'search.baseline'),
    stages: parsedStages ?? [{ name: 'joint', phases: ['*'], budget, policy: null, others: 'baseline' }],
  };
}

function validateObjectives(raw: unknown): Objective[] {
  if (raw === undefined) return DEFAULT_OBJECTIVES.map((o) => ({ ...o }));
  if (!Array.isArray(raw) || raw.length === 0) throw new ConfigError('objectives', raw, 'a non-empty list of {metric, direction}');
  return raw.map((x, i) => {
    const o = asObject(x, `objectives[${i}]`);
    rejectUnknownKeys(o, `objectives[${i}]`, ['metric', 'direction']);
    return { metric: stringField(o, 'metric', `objectives[${i}]`), direction: oneOf(o.direction, `objectives[${i}].direction`, ['max', 'min'] as const) };
  });
}

/**
 * Validates the runner's part of a raw config. `sectionKeys` gives the top-level sections the
 * chosen problem and executor own; they are passed through in `sections` for them to validate.
 * `plugins` must already be resolved (absolute paths or package names: see `anchorPlugins`).
 */
export function validateExperimentConfig(raw: unknown, sectionKeys: (problem: string, executor: string) => readonly string[]): ExperimentConfig {
  const o = asObject(raw, 'config');
  const problem = stringField(o, 'problem', '', DEFAULT_PROBLEM);
  const executor = stringField(o, 'executor', '', 'local');
  const keys = [...sectionKeys(problem, executor)];
  const plugins = o.plugins === undefined ? [] : o.plugins;
  if (!Array.isArray(plugins) || !plugins.every((x) => typeof x === 'string')) throw new ConfigError('plugins', plugins, 'a list of module paths or package names');
  rejectUnknownKeys(o, '', [...RUNNER_KEYS, ...keys]);
  const name = stringField(o, 'name', '', 'experiment');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new ConfigError('name', name, 'letters, digits, ".", "_" or "-"');
  if (o.reward === undefined) throw new ConfigError('reward', undefined, 'an object {name, ...params}, e.g. {"name": "mnasnet-v1", "targets": [...]}');
  if (o.policy === undefined) throw new ConfigError('policy', undefined, 'an object {name, params}, e.g. {"name": "random-v1"}');
  if (o.search === undefined) throw new ConfigError('search', undefined, 'an object with at least {budget}');
  const reportObj = asObject(o.report ?? {}, 'report');
  rejectUnknownKeys(reportObj, 'report', ['top']);
  const sections: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) sections[k] = o[k];
  return {
    name,
    plugins: plugins as string[],
    seed: numberField(o, 'seed', '', { integer: true, min: 0, max: 2 ** 31 - 1 }, 1),
    output: stringField(o, 'output', '', path.join('runs', name)),
    problem,
    executor,
    reward: asObject(o.reward, 'reward'),
    policy: validatePolicyConfig(o.policy, 'policy'),
    search: validateSearch(o.search),
    objectives: validateObjectives(o.objectives),
    report: { top: numberField(reportObj, 'top', 'report', { integer: true, min: 1, max: 1000 }, 10) },
    sections,
  };
}

/** Reads a JSON config file; a missing or malformed file is a `DataError` naming it. */
export function readConfigFile(file: string): unknown {
  if (!fs.existsSync(file)) throw new DataError(file, 'no such config file');
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DataError(file, `not valid JSON (${(err as Error).message})`);
  }
}

/** The config back as plain JSON (what `config.json` in a run folder holds). */
export function configToJSON(c: ExperimentConfig): Obj {
  return {
    ...(c.plugins.length ? { plugins: c.plugins } : {}),
    name: c.name,
    seed: c.seed,
    output: c.output,
    problem: c.problem,
    ...(c.executor !== 'local' ? { executor: c.executor } : {}),
    reward: c.reward,
    policy: c.policy,
    search: { ...c.search, stages: c.search.stages.map((s) => (s.policy ? s : { name: s.name, phases: s.phases, budget: s.budget, others: s.others })) },
    objectives: c.objectives,
    report: c.report,
    ...c.sections,
  };
}
