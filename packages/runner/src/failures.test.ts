import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AllEvaluationsFailed, ALL_FAILED_STOP } from './failures';
import { readJournal } from './journal';
import { startRun } from './run';
import { checkProblem } from './conformance';

/**
 * Runs whose evaluations fail: all of them → the run stops after ALL_FAILED_STOP evaluations with
 * the first error; more than half → a warning on the terminal and in the report.
 * synthetic-v1 fails a design that maps a layer to CIM without CIM arrays.
 */
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-failures-'));

function config(fixed: Record<string, string | number>, budget = 80) {
  return {
    name: 'failures', problem: 'synthetic-v1', synthetic: { layers: 4 }, seed: 3,
    reward: { name: 'mnasnet-v1', targets: [{ metric: 'latencyS', target: 2e-6 }] },
    policy: { name: 'random-v1' },
    search: { budget, batchSize: 8, workers: 0, fixed },
  };
}

function sink() {
  const out = { text: '', write: (s: string) => { out.text += s; return true; } };
  return out;
}

describe('failed evaluations', () => {
  it('a run in which every evaluation fails stops early with the first error', async () => {
    const dir = path.join(tmp(), 'run');
    const err = await startRun(config({ 'cim.arrays': 0, 'layer0.unit': 'cim' }), { out: dir, progress: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllEvaluationsFailed);
    expect((err as Error).message).toBe(`every one of the ${ALL_FAILED_STOP} evaluations so far failed, so the run stopped; the first error: layer0 is mapped to CIM but the design has no CIM arrays`);
    expect(readJournal(path.join(dir, 'evaluations.jsonl')).records).toHaveLength(ALL_FAILED_STOP); // not the 80 of the budget
  });

  it('a short run in which every evaluation fails stops at its end', async () => {
    const err = await startRun(config({ 'cim.arrays': 0, 'layer0.unit': 'cim' }, 8), { out: path.join(tmp(), 'run'), progress: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllEvaluationsFailed);
  });

  it('more than half failed: said on the terminal and in the report', async () => {
    const out = sink();
    // no CIM arrays: a design fails unless all four layers are on the NPU (1 in 16)
    const r = await startRun(config({ 'cim.arrays': 0 }, 48), { out: path.join(tmp(), 'run'), progress: out });
    expect(r.finished).toBe(true);
    const failed = r.records.filter((x) => x.error !== undefined).length;
    expect(failed).toBeGreaterThan(24);
    expect(failed).toBeLessThan(48);
    const line = `warning: ${failed} of 48 evaluations (${((100 * failed) / 48).toFixed(0)} %) failed and got search.errorReward; most frequent error`;
    expect(out.text).toContain(line);
    expect(fs.readFileSync(r.reportFile!, 'utf8')).toContain(`<p class="warning">${line}`);
  });

  it('a run with few failures has no warning', async () => {
    const out = sink();
    const r = await startRun(config({}, 16), { out: path.join(tmp(), 'run'), progress: out });
    expect(out.text).not.toContain('warning:');
    expect(fs.readFileSync(r.reportFile!, 'utf8')).not.toContain('class="warning"');
  });
});

describe('checkProblem', () => {
  it('synthetic-v1 conforms', async () => {
    const r = await checkProblem(config({}), { candidates: 16 });
    expect(r).toMatchObject({ problem: 'synthetic-v1', candidates: 16 });
    expect(r.metrics).toEqual(['accuracy', 'latencyS', 'energyJ', 'areaMm2', 'cimLayers']);
  });
});
