import { failureWarning } from '../failures';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Checkpoint } from '../checkpoint';
import { configToJSON, type ExperimentConfig } from '../config';
import { deterministicPart, type EvalRecord } from '../journal';
import type { Problem } from '../problem';
import { formatDuration } from '../progress';
import { derivedReference, hypervolumeCurve, readReferenceFile, type HvReference } from '../stats/hypervolume';
import { decisionActivity } from './active';
import { describeReference, hypervolumeSpec, layerSpec, paretoSpec, renderSvg, rewardSpec } from './charts';
import { bestRecords, recordsToCsv, validRecords } from './data';
import { reportHtml } from './html';

export interface ReportInput {
  config: ExperimentConfig;
  problem: Problem;
  /** Every evaluation in index order. */
  records: EvalRecord[];
  checkpoint: Checkpoint | null;
  /**
   * Hypervolume reference point; default: the one a suite stored in the run folder
   * (`REFERENCE_FILE`), else derived from the run's own designs (`derivedReference`), which is
   * fine for one run but not for comparing runs.
   */
  reference?: HvReference;
}

/** Seconds per evaluator part summed over evaluations (e.g. supernetS, hardwareS). */
export function timingTotals(records: readonly EvalRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r.timing ?? {})) out[k] = (out[k] ?? 0) + v;
  return out;
}

/**
 * Writes `report.html` (self-contained), `evaluations.csv`, `evaluations.json` (every record
 * without its timing, so it is identical for any worker count) and `timings.json` into the run
 * folder. Returns the report's path.
 */
export async function writeReport(dir: string, input: ReportInput): Promise<string> {
  const { config, problem, records, checkpoint } = input;
  const space = problem.space;
  fs.writeFileSync(path.join(dir, 'evaluations.csv'), recordsToCsv(space, records));
  fs.writeFileSync(path.join(dir, 'evaluations.json'), JSON.stringify(records.map(deterministicPart), null, 1) + '\n');
  const timing = { ...timingTotals(records), policyS: checkpoint?.policyS ?? 0, wallS: checkpoint?.wallS ?? 0 };
  fs.writeFileSync(path.join(dir, 'timings.json'), JSON.stringify(timing, null, 1) + '\n');

  const best = bestRecords(records, config.report.top);
  const layers = best.length && problem.breakdown ? problem.breakdown(best[0].candidate) : [];
  const activity = best.map((r) => decisionActivity(problem, r.candidate));
  const declared = input.reference ?? readReferenceFile(dir);
  const reference = declared ?? derivedReference(records);
  const origin = declared ? 'declared' : 'derived from this run: worst value of each objective widened by 10 % of its range';
  const hvCurve = reference ? hypervolumeCurve(records, reference) : [];
  const [paretoSvgs, rewardSvg, hypervolumeSvg, layerSvgs] = await Promise.all([
    Promise.all((['latencyS', 'energyJ', 'areaMm2'] as const).map((m) => renderSvg(paretoSpec(records, m)))),
    renderSvg(rewardSpec(records)),
    reference ? renderSvg(hypervolumeSpec(hvCurve, records.length, reference, declared ? 'declared' : 'derived from this run')) : Promise.resolve('<p>(no evaluated design)</p>'),
    layers.length ? Promise.all((['latencyS', 'energyJ'] as const).map((m) => renderSvg(layerSpec(layers, m)))) : Promise.resolve([]),
  ]);
  const valid = validRecords(records);
  const summary: Record<string, string | number> = {
    experiment: config.name,
    problem: config.problem,
    ...(problem.describe?.() ?? {}),
    'search space': `${space.decisions.length} decisions, 10^${space.log10Cardinality().toFixed(1)} candidates, phases ${space.phases().join(', ')}`,
    policy: config.search.stages.map((s) => `${s.name}: ${(s.policy ?? config.policy).name} × ${s.budget}`).join('; '),
    reward: config.reward.name as string,
    evaluations: `${records.length} of ${config.search.budget} (${records.filter((r) => r.cached).length} from cache, ${records.length - valid.length} failed)`,
    'Pareto front size (4 objectives)': checkpoint?.archive.entries.length ?? 0,
    'best reward': best.length ? best[0].reward.toFixed(4) : '–',
    'hypervolume (4 objectives, normalised)': hvCurve.length ? hvCurve[hvCurve.length - 1].hypervolume.toPrecision(4) : '–',
    'hypervolume reference point': reference ? `${describeReference(reference)} (${origin})` : '–',
    seed: config.seed,
    'wall time': formatDuration(checkpoint?.wallS ?? NaN),
  };
  const html = reportHtml({
    title: `cosearch report — ${config.name}`,
    summary,
    paretoSvgs,
    rewardSvg,
    hypervolumeSvg,
    layerSvgs,
    layers,
    best,
    activity,
    space,
    config: configToJSON(config),
    checkpoint: checkpoint!,
    warnings: [failureWarning(records)].filter((w): w is string => w !== null),
  });
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, html);
  return file;
}
