import * as os from 'node:os';
import * as path from 'node:path';
import { CosearchError, MetricError, Rng, assertFiniteMetrics, type Candidate, type Metrics } from '@cosearch/core';
import { buildExperiment } from './build';
import { CORE_METRICS, type Problem, type ProblemContext } from './problem';

/**
 * `checkProblem`: the conformance check of a problem plug-in, like the controller's policy
 * conformance suite. From a raw experiment config it
 *   - builds the problem twice: both spaces must be identical (construction is deterministic);
 *   - runs `prepare()` (e.g. trains the supernet into `cacheDir`);
 *   - samples `candidates` feasible candidates with the seed, and evaluates each on two
 *     evaluators (the second in reverse order): the metrics must be identical (deterministic
 *     per candidate, whatever the order or the evaluator, as resume and 1-vs-N workers need);
 *   - checks every successful evaluation: finite metrics in range (core `assertFiniteMetrics`),
 *     every declared non-optional metric present, no undeclared extra;
 *   - a failed evaluation must be a `CosearchError` (a user-level failure, e.g. does not map);
 *     anything else is a bug; at least one candidate must evaluate.
 * Throws a `ProblemConformanceError` listing every violation; returns what it checked.
 */
export class ProblemConformanceError extends CosearchError {}

export interface ProblemConformanceReport {
  problem: string;
  candidates: number;
  failed: number;
  /** Metric names seen in successful evaluations (core four, then extras). */
  metrics: string[];
}

export interface CheckProblemOptions {
  candidates?: number;
  seed?: number;
  /** Folder for prepared artefacts (default: a folder under the OS temp dir). */
  cacheDir?: string;
  /** Folder relative `plugins` resolve against. */
  baseDir?: string;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function evaluateAll(problem: Problem, cands: Candidate[], order: number[]): Promise<(Metrics | Error)[]> {
  const ev = await problem.createEvaluator();
  const out: (Metrics | Error)[] = new Array(cands.length);
  try {
    for (const i of order) {
      try {
        out[i] = (await ev.evaluate(cands[i])).metrics;
      } catch (err) {
        out[i] = err instanceof Error ? err : new Error(String(err));
      }
    }
  } finally {
    ev.dispose?.();
  }
  return out;
}

export async function checkProblem(raw: unknown, opts: CheckProblemOptions = {}): Promise<ProblemConformanceReport> {
  const ctx: ProblemContext = {
    runDir: '',
    cacheDir: opts.cacheDir ?? path.join(os.tmpdir(), 'cosearch-check-problem'),
    log: () => undefined,
  };
  const a = buildExperiment(raw, ctx, { baseDir: opts.baseDir });
  const b = buildExperiment(raw, ctx, { baseDir: opts.baseDir });
  const problem = a.problem;
  const name = a.config.problem;
  const errors: string[] = [];
  if (!same(problem.space.toJSON(), b.problem.space.toJSON())) errors.push('building the problem twice from one config gave two different search spaces');
  const declared = new Map(problem.metrics.map((m) => [m.name, m]));
  for (const c of CORE_METRICS) if (!declared.has(c.name)) errors.push(`Problem.metrics does not declare the core metric ${c.name}`);
  await problem.prepare?.();
  const rng = new Rng(opts.seed ?? 1).fork('check-problem');
  const n = opts.candidates ?? 6;
  const cands = Array.from({ length: n }, () => problem.space.sample(rng));
  const first = await evaluateAll(problem, cands, cands.map((_, i) => i));
  const second = await evaluateAll(b.problem, cands, cands.map((_, i) => n - 1 - i));
  let failed = 0;
  const seen = new Set<string>();
  cands.forEach((c, i) => {
    const x = first[i];
    const y = second[i];
    const label = `candidate ${i} (${problem.space.key(c)})`;
    if (x instanceof Error || y instanceof Error) {
      failed += 1;
      for (const e of [x, y]) if (e instanceof Error && !(e instanceof CosearchError)) errors.push(`${label}: evaluation crashed (${e.constructor.name}: ${e.message}); a failure must be a CosearchError`);
      if (!(x instanceof Error && y instanceof Error)) errors.push(`${label}: failed on one evaluator and not on the other`);
      else if (x.message !== y.message) errors.push(`${label}: two evaluators failed differently ("${x.message}" vs "${y.message}")`);
      return;
    }
    if (!same(x, y)) errors.push(`${label}: not deterministic: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
    try {
      assertFiniteMetrics(x);
    } catch (err) {
      if (!(err instanceof MetricError)) throw err;
      errors.push(`${label}: ${err.message}`);
    }
    for (const k of ['accuracy', 'latencyS', 'energyJ', 'areaMm2']) seen.add(k);
    for (const k of Object.keys(x.extra ?? {})) {
      seen.add(k);
      if (!declared.has(k)) errors.push(`${label}: extra metric ${k} is not declared in Problem.metrics`);
    }
    for (const m of problem.metrics) {
      if (m.optional || CORE_METRICS.some((c) => c.name === m.name)) continue;
      if (x.extra?.[m.name] === undefined) errors.push(`${label}: declared metric ${m.name} is missing (mark it optional if only some candidates have it)`);
    }
  });
  if (failed === n) errors.push(`every one of the ${n} sampled candidates failed`);
  if (errors.length) throw new ProblemConformanceError(`problem ${name} fails conformance:\n  ${errors.join('\n  ')}`);
  return { problem: name, candidates: n, failed, metrics: [...seen] };
}
