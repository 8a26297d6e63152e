import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError, type Candidate, type Objective, type ParetoEntry, type PolicyState, type RngState } from '@cosearch/core';

/**
 * Everything needed to continue a run exactly: taken only at round boundaries (after `tell`),
 * so that continuing from it repeats the uninterrupted run's asks. The evaluation cache is not
 * stored here: it is rebuilt from the journal, which holds every finished evaluation.
 */
export interface Checkpoint {
  version: 1;
  /** Evaluations told to policies so far (a round boundary). */
  evals: number;
  /** Rounds (ask/tell batches) done. */
  batches: number;
  /** Index of the current stage and evaluations done in it. */
  stage: number;
  stageEvals: number;
  /** Seed of the current stage's policy and the decisions that stage fixes. */
  stageSeed: number;
  stageFixed: Candidate;
  policy: PolicyState | null;
  /** The runner's own RNG (draws the stage policies' seeds). */
  rng: RngState;
  archive: { objectives: Objective[]; entries: ParetoEntry<number>[] };
  best: { index: number; reward: number } | null;
  finished: boolean;
  /** Wall-clock seconds spent in the policy (ask + tell) and in whole rounds, for the benchmark. */
  policyS: number;
  wallS: number;
}

export const CHECKPOINT_FILE = 'checkpoint.json';

/** Atomic write: a temporary file, fsync, rename (a crash leaves the old or the new file). */
export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  fs.writeSync(fd, JSON.stringify(value, null, 1));
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  try {
    const dfd = fs.openSync(path.dirname(file), 'r');
    fs.fsyncSync(dfd);
    fs.closeSync(dfd);
  } catch {
    // directories cannot be fsync'ed on every platform; the rename is still atomic
  }
}

export function writeCheckpoint(dir: string, cp: Checkpoint): void {
  writeJsonAtomic(path.join(dir, CHECKPOINT_FILE), cp);
}

export function readCheckpoint(dir: string): Checkpoint | null {
  const file = path.join(dir, CHECKPOINT_FILE);
  if (!fs.existsSync(file)) return null;
  try {
    const cp = JSON.parse(fs.readFileSync(file, 'utf8')) as Checkpoint;
    if (cp.version !== 1) throw new Error(`version ${cp.version}`);
    return cp;
  } catch (err) {
    throw new DataError(file, `unreadable checkpoint (${(err as Error).message})`);
  }
}
