import { ConfigError, SearchSpace, showValue, type Candidate, type Decision } from '@cosearch/core';
import type { ExperimentConfig, StageConfig } from './config';

/**
 * Stage spaces: the joint space with some decisions pinned to one value. Pinned decisions keep
 * their name and phase (a single-choice decision), so a stage's candidates are full candidates
 * of the joint space and share its cache keys.
 */
export function pinnedSpace(space: SearchSpace, pinned: Readonly<Candidate>): SearchSpace {
  const decisions: Decision[] = space.decisions.map((d) => (d.name in pinned ? { ...d, choices: [pinned[d.name]] } : d));
  return new SearchSpace(decisions, space.constraints);
}

/** Checks that every value of a partial candidate from config is a choice of the space. */
export function checkPartial(space: SearchSpace, partial: Readonly<Candidate>, field: string): void {
  for (const [name, value] of Object.entries(partial)) {
    if (!space.has(name)) throw new ConfigError(`${field}.${name}`, value, `a decision of the space (${space.names().join(', ')})`);
    if (space.indexOf(name, value) < 0) {
      throw new ConfigError(`${field}.${name}`, value, `one of ${space.decision(name).choices.map(showValue).join(', ')}`);
    }
  }
}

export function stageSearches(stage: StageConfig, d: Decision): boolean {
  return stage.phases.includes('*') || stage.phases.includes(d.phase);
}

/** Decisions a stage does not search (and the run does not fix): they take baseline or best values. */
export function stageOthers(space: SearchSpace, config: ExperimentConfig, stage: StageConfig): Decision[] {
  return space.decisions.filter((d) => !stageSearches(stage, d) && !(d.name in config.search.fixed));
}

/** Validates stages against the space before anything runs (phases exist, baselines complete). */
export function checkStages(space: SearchSpace, config: ExperimentConfig): void {
  checkPartial(space, config.search.fixed, 'search.fixed');
  checkPartial(space, config.search.baseline, 'search.baseline');
  const phases = space.phases();
  config.search.stages.forEach((stage, i) => {
    for (const p of stage.phases) {
      if (p !== '*' && !phases.includes(p)) throw new ConfigError(`search.stages[${i}].phases`, p, `"*" or a phase of the space (${phases.join(', ')})`);
    }
    const others = stageOthers(space, config, stage);
    const needBaseline = stage.others === 'baseline' || i === 0;
    const missing = others.filter((d) => !(d.name in config.search.baseline));
    if (needBaseline && missing.length > 0) {
      throw new ConfigError(
        `search.baseline.${missing[0].name}`,
        undefined,
        `a value for every decision stage "${stage.name}" does not search (missing: ${missing.map((d) => d.name).join(', ')})`,
      );
    }
  });
}

/** Values a stage pins: the run's fixed decisions plus baseline or best values for the others. */
export function stagePins(space: SearchSpace, config: ExperimentConfig, stage: StageConfig, best: Candidate | null): Candidate {
  const pins: Candidate = { ...config.search.fixed };
  const source = stage.others === 'best' && best ? best : config.search.baseline;
  // without a best yet (dry runs, or every evaluation failed) a missing baseline value falls back to the first choice
  for (const d of stageOthers(space, config, stage)) pins[d.name] = source[d.name] ?? config.search.baseline[d.name] ?? d.choices[0];
  return pins;
}
