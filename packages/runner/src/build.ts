import { validateExperimentConfig, type ExperimentConfig } from './config';
import { problemKeys, problemRegistry, type Problem, type ProblemContext } from './problem';
import './problems';

/** Validates a raw config (runner fields + the problem's sections) and builds its problem. */
export function buildExperiment(raw: unknown, ctx: ProblemContext): { config: ExperimentConfig; problem: Problem } {
  const config = validateExperimentConfig(raw, problemKeys);
  const problem = problemRegistry.create(config.problem, { config, ctx });
  return { config, problem };
}
