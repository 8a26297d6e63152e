import { ConfigError, CosearchError, NotFoundError } from '@cosearch/core';
import { validateExperimentConfig, type ExperimentConfig } from './config';
import { executorEntry } from './executor';
import { anchorPlugins, loadPlugins } from './plugins';
import { DERIVED_METRICS, problemKeys, problemRegistry, type MetricInfo, type Problem, type ProblemContext } from './problem';
import './pool'; // registers the `local` executor
import './synthetic';

/**
 * Validates a raw config and builds its problem: loads the config's `plugins` (relative paths
 * against `baseDir`, default the working directory), validates the runner's fields, builds the
 * problem (which validates its own sections), and checks that every metric the reward,
 * constraints and objectives name is one the problem declares.
 */
export function buildExperiment(raw: unknown, ctx: ProblemContext, opts: { baseDir?: string } = {}): { config: ExperimentConfig; problem: Problem } {
  const anchored = anchorPlugins(raw, opts.baseDir ?? process.cwd());
  const plugins = typeof anchored === 'object' && anchored !== null && !Array.isArray(anchored) ? (anchored as Record<string, unknown>).plugins : undefined;
  if (plugins !== undefined && !Array.isArray(plugins)) throw new ConfigError('plugins', plugins, 'a list of module paths (relative to the config file) or package names');
  const ids = loadPlugins(plugins ?? [], { baseDir: opts.baseDir });
  const config = validateExperimentConfig(ids.length ? { ...(anchored as object), plugins: ids } : anchored, (p, e) => [
    ...lookup('problem', 'problem', p, () => problemKeys(p)),
    ...lookup('executor', 'executor', e, () => executorEntry(e).keys),
  ]);
  const problem = lookup('problem', 'problem', config.problem, () => problemRegistry.create(config.problem, { config, ctx }));
  checkMetricNames(config, problem);
  return { config, problem };
}

/**
 * An unknown registry name in a config field: a `ConfigError` naming the field whose message is
 * the registry's own (`unknown policy "x"; available: ...`).
 */
export class UnknownNameError extends ConfigError {
  constructor(field: string, err: NotFoundError) {
    super(field, err.key, `one of ${err.available.join(', ')}`);
    this.message = err.message;
  }
}

/** Runs a registry lookup of `name` for config field `field`; its NotFoundError becomes an `UnknownNameError`. */
export function lookup<T>(field: string, kind: string, name: unknown, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof NotFoundError && err.kind === kind && err.key === name) throw new UnknownNameError(field, err);
    throw err;
  }
}

/** The metrics a config may name for a problem: its declared ones, and the derived edp/edap. */
export function knownMetrics(problem: Problem): MetricInfo[] {
  if (!Array.isArray(problem.metrics) || problem.metrics.length === 0) {
    throw new CosearchError('the problem declares no metrics (Problem.metrics: the names and directions of what its evaluations produce)');
  }
  const out = [...problem.metrics];
  const has = (n: string) => out.some((m) => m.name === n);
  for (const d of DERIVED_METRICS) if (!has(d.name) && has('latencyS') && has('energyJ') && has('areaMm2')) out.push(d);
  return out;
}

/** Every `metric` field inside a reward config (targets, objectives, constraint specs, ...), with its path. */
function metricFields(value: unknown, p: string, out: { path: string; value: unknown }[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => metricFields(v, `${p}[${i}]`, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'metric') out.push({ path: `${p}.metric`, value: v });
      else metricFields(v, `${p}.${k}`, out);
    }
  }
}

/**
 * Rejects reward targets, constraints and objectives that name a metric the problem does not
 * produce (e.g. `latencyMs`): one `ConfigError` naming the field and listing the known metrics.
 */
export function checkMetricNames(config: ExperimentConfig, problem: Problem): void {
  const known = knownMetrics(problem).map((m) => m.name);
  const refs: { path: string; value: unknown }[] = [];
  metricFields(config.reward, 'reward', refs);
  config.objectives.forEach((o, i) => refs.push({ path: `objectives[${i}].metric`, value: o.metric }));
  for (const r of refs) {
    if (typeof r.value === 'string' && !known.includes(r.value)) {
      throw new ConfigError(r.path, r.value, `a metric of problem ${config.problem}: ${known.join(', ')}`);
    }
  }
}
