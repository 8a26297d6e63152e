import { Registry, type Candidate, type Metrics, type RegistryEntry, type SearchSpace } from '@cosearch/core';
import type { ExperimentConfig } from './config';

/**
 * A problem plug-in: the joint search space plus the evaluator that turns a candidate into
 * metrics. The runner builds the problem once in the main thread (validation, space, supernet
 * training) and once per worker thread (evaluation), always from the plain JSON config, so a
 * problem must be constructible from config alone.
 *
 * Lifecycle: `create` (synchronous, validates its config sections, builds the space; cheap) →
 * main thread: `prepare()` once per run (e.g. train the supernet if its checkpoint is missing) →
 * each worker: `createEvaluator()` then `evaluate()` per candidate → `dispose()`.
 * Evaluation must be deterministic for a given candidate (the runner caches by candidate key,
 * and resumed or re-parallelised runs must give the same results).
 */
export interface ProblemContext {
  /** Run folder (absolute). */
  runDir: string;
  /** Folder shared across runs for expensive artefacts (trained supernets). */
  cacheDir: string;
  /** Progress messages (stderr, silenced in quiet mode). */
  log: (message: string) => void;
}

export interface EvalOutput {
  metrics: Metrics;
  /** Seconds spent per part (e.g. `supernetS`, `hardwareS`, `cimS`), for the benchmark. */
  timing?: Record<string, number>;
}

export interface CandidateEvaluator {
  evaluate(candidate: Candidate): Promise<EvalOutput>;
  dispose?(): void;
}

/** One row of the per-layer breakdown of a design: a layer on a compute unit (e.g. NPU or CIM). */
export interface LayerCost {
  layer: string;
  unit: string;
  latencyS: number;
  energyJ: number;
  /** The layer's mapping on its unit (e.g. an NPU mapping template and its directives), if the problem has one. */
  mapping?: string;
}

/**
 * A metric a problem produces. The four core metrics (`accuracy`, `latencyS`, `energyJ`,
 * `areaMm2`) are always in `Metrics`; others go in `metrics.extra`. Reward targets, constraints
 * and objectives may only name declared metrics (or `edp`/`edap`, derived from the core ones).
 */
export interface MetricInfo {
  name: string;
  direction: 'max' | 'min';
  /** SI unit or '1' (dimensionless), for the docs and `cosearch list problems`. */
  unit?: string;
  /** Produced only for some candidates (e.g. only designs with CIM-mapped layers). */
  optional?: boolean;
}

/** The core metrics every problem produces (core `Metrics`). */
export const CORE_METRICS: readonly MetricInfo[] = [
  { name: 'accuracy', direction: 'max', unit: '1' },
  { name: 'latencyS', direction: 'min', unit: 's' },
  { name: 'energyJ', direction: 'min', unit: 'J' },
  { name: 'areaMm2', direction: 'min', unit: 'mm²' },
];

/** Metrics core derives from the core ones (`metricValue`): energy-delay and energy-delay-area products. */
export const DERIVED_METRICS: readonly MetricInfo[] = [
  { name: 'edp', direction: 'min', unit: 'J·s' },
  { name: 'edap', direction: 'min', unit: 'J·s·mm²' },
];

export interface Problem {
  readonly space: SearchSpace;
  /** Every metric this problem's evaluations produce: the core four, then its extras. */
  readonly metrics: readonly MetricInfo[];
  /** Cheap checks of external inputs (dataset files present), before a run folder is created. */
  check?(): void;
  prepare?(): Promise<void>;
  createEvaluator(): Promise<CandidateEvaluator>;
  /** Per-layer latency/energy of a design for the report (main thread, after the run). */
  breakdown?(candidate: Candidate): LayerCost[];
  /** A few lines describing the problem for the report. */
  describe?(): Record<string, string | number>;
}

export interface ProblemInput {
  config: ExperimentConfig;
  ctx: ProblemContext;
}

export interface ProblemEntry extends RegistryEntry<Problem, ProblemInput> {
  /** Top-level config sections this problem owns and validates (e.g. dataset, network). */
  readonly keys: readonly string[];
  /**
   * The module that registers this problem (absolute path or package name), loaded by worker
   * threads before they rebuild the problem. Optional: a problem registered while a plug-in was
   * loaded (`loadPlugins`) is known by that plug-in.
   */
  readonly module?: string;
}

/** Problems by versioned name (`cosearch-v1`, `synthetic-v1`). */
export const problemRegistry = new Registry<Problem, ProblemInput>('problem');

export function registerProblem(entry: ProblemEntry): void {
  problemRegistry.register(entry);
}

export function problemKeys(name: string): readonly string[] {
  return (problemRegistry.get(name) as ProblemEntry).keys;
}
