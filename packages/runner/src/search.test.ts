import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '@cosearch/core';
import { UnknownNameError } from './build';
import { readJournal, sortedRecords, deterministicPart } from './journal';
import { readCheckpoint } from './checkpoint';
import { prepareExperiment, resumeRun, startRun } from './run';

/** A small multi-phase co-search of the closed-form synthetic problem (no tfjs). */
function config(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'syn-test',
    problem: 'synthetic-v1',
    synthetic: { layers: 3 },
    seed: 7,
    reward: { name: 'mnasnet-v1', targets: [{ metric: 'latencyS', target: 2e-6 }, { metric: 'energyJ', target: 1e-7 }] },
    policy: {
      name: 'multi-phase-v1',
      params: { phases: [{ phases: ['network'], budget: 16, policy: 'evolution-v1', params: { population: 8, sampleSize: 3 } }, { phases: ['network', 'hardware', 'system'], budget: 1000, policy: 'reinforce-v1' }] },
    },
    search: { budget: 48, batchSize: 6, workers: 0, checkpointEvery: 12 },
    ...extra,
  };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-runner-'));
const det = (dir: string) => sortedRecords(readJournal(path.join(dir, 'evaluations.jsonl')).records).map(deterministicPart);

describe('co-search runs', () => {
  let reference: string;
  beforeAll(async () => {
    reference = path.join(tmp(), 'ref');
    await startRun(config(), { out: reference, progress: null });
  });

  it('runs the whole budget, logs every evaluation once and writes the report files', () => {
    const recs = det(reference);
    expect(recs.map((r) => r.index)).toEqual([...Array(48).keys()]);
    expect(new Set(recs.map((r) => r.phase))).toEqual(new Set(['network', 'network+hardware+system']));
    for (const f of ['report.html', 'evaluations.csv', 'evaluations.json', 'checkpoint.json', 'config.json']) expect(fs.existsSync(path.join(reference, f))).toBe(true);
    expect(readCheckpoint(reference)?.finished).toBe(true);
    const csv = fs.readFileSync(path.join(reference, 'evaluations.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(49);
    // a repeated candidate is answered from the cache and flagged
    const keys = recs.map((r) => r.key);
    recs.forEach((r, i) => expect(r.cached).toBe(keys.indexOf(r.key) < i));
  });

  it('gives the same log with 2 worker threads as in the main thread', async () => {
    const dir = path.join(tmp(), 'w2');
    await startRun(config(), { out: dir, workers: 2, progress: null, noReport: true });
    expect(det(dir)).toEqual(det(reference));
  });

  it('resumes an interrupted run to exactly the uninterrupted result, re-using logged evaluations', async () => {
    const dir = path.join(tmp(), 'stop');
    const first = await startRun(config(), { out: dir, stopAfter: 18, progress: null });
    expect(first.finished).toBe(false);
    expect(readCheckpoint(dir)?.evals).toBe(18);
    // a crash in the middle of writing the next record leaves a torn last line
    fs.appendFileSync(path.join(dir, 'evaluations.jsonl'), '{"index":18,"batch":3,"sta');
    const resumed = await resumeRun(dir, { progress: null });
    expect(resumed.finished).toBe(true);
    expect(det(dir)).toEqual(det(reference));
    expect(fs.readFileSync(path.join(dir, 'evaluations.json'), 'utf8')).toEqual(fs.readFileSync(path.join(reference, 'evaluations.json'), 'utf8'));
  });

  it('resumes from an older checkpoint with evaluations logged after it, without re-evaluating them', async () => {
    const dir = path.join(tmp(), 'old');
    await startRun(config(), { out: dir, stopAfter: 12, progress: null, noReport: true });
    const old = fs.readFileSync(path.join(dir, 'checkpoint.json'));
    await resumeRun(dir, { stopAfter: 36, progress: null, noReport: true });
    fs.writeFileSync(path.join(dir, 'checkpoint.json'), old); // as if killed before the later checkpoints
    const before = readJournal(path.join(dir, 'evaluations.jsonl')).records.length;
    await resumeRun(dir, { progress: null, noReport: true });
    const after = readJournal(path.join(dir, 'evaluations.jsonl')).records;
    expect(after.length - before).toBe(48 - 36); // only the never-logged evaluations were appended
    expect(det(dir)).toEqual(det(reference));
  });

  it('refuses to overwrite a run folder', async () => {
    await expect(startRun(config(), { out: reference, progress: null })).rejects.toThrow(/already holds a run/);
  });
});

describe('config validation', () => {
  const bad = (extra: Record<string, unknown>) => () => prepareExperiment(config(extra), { progress: null });
  it('names the field, the value and what is allowed', () => {
    expect(bad({ search: { budget: -3 } })).toThrow(new ConfigError('search.budget', -3, 'an integer >= 1'));
    expect(bad({ policy: { name: 'nope-v1' } })).toThrow(UnknownNameError); // a ConfigError of field policy.name
    expect(() => bad({ policy: { name: 'nope-v1' } })()).toThrow(expect.objectContaining({ field: 'policy.name', value: 'nope-v1' }));
    expect(bad({ policy: { name: 'nope-v1' } })).toThrow(/unknown policy "nope-v1"; available: .*random-v1/);
    expect(bad({ reward: { name: 'speed-v9' } })).toThrow(/unknown reward "speed-v9"/);
    expect(bad({ search: { budget: 4, fixed: { 'npu.pes': 17 } } })).toThrow(/invalid search.fixed.npu.pes: got 17, expected one of 16, 64, 256/);
    expect(bad({ synthetic: { layers: 0 } })).toThrow(/invalid synthetic.layers: got 0/);
    expect(bad({ colour: 'red' })).toThrow(/invalid colour/);
    expect(bad({ search: { budget: 4, stages: [{ phases: ['network'], budget: 4 }] } })).toThrow(/search.baseline.npu.pes/);
  });
});
