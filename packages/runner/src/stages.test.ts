import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deterministicPart } from './journal';
import { resumeRun, startRun } from './run';

/** Sequential co-search (network on a baseline hardware, then hardware for the best network). */
const baseline = { 'npu.pes': 64, 'cim.arrays': 2, 'layer0.unit': 'npu', 'layer1.unit': 'cim', 'layer2.unit': 'npu', frequencyMHz: 400 };
const config = {
  name: 'seq', problem: 'synthetic-v1', synthetic: { layers: 3 }, seed: 4,
  reward: { name: 'mnasnet-v1', targets: [{ metric: 'latencyS', target: 2e-6 }, { metric: 'energyJ', target: 5e-8 }] },
  policy: { name: 'evolution-v1', params: { population: 6, sampleSize: 2 } },
  search: {
    batchSize: 4, workers: 0, checkpointEvery: 4, baseline,
    stages: [
      { name: 'network', phases: ['network'], budget: 16, others: 'baseline' },
      { name: 'hardware', phases: ['hardware', 'system'], budget: 16, others: 'best', policy: { name: 'reinforce-v1' } },
    ],
  },
};
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-stages-'));

describe('stages', () => {
  it('pins the other phases to the baseline, then to the best candidate of the earlier stage', async () => {
    const r = await startRun(config, { out: path.join(tmp(), 'run'), progress: null, noReport: true });
    const first = r.records.filter((x) => x.stage === 'network');
    const second = r.records.filter((x) => x.stage === 'hardware');
    expect(first).toHaveLength(16);
    expect(second).toHaveLength(16);
    for (const x of first) for (const [k, v] of Object.entries(baseline)) expect(x.candidate[k]).toBe(v);
    const best = [...first].sort((a, b) => b.reward - a.reward || a.index - b.index)[0].candidate;
    for (const x of second) for (const k of ['layer0.width', 'layer1.width', 'layer2.width']) expect(x.candidate[k]).toBe(best[k]);
    expect(new Set(second.map((x) => x.candidate['npu.pes'])).size).toBeGreaterThan(1);
  });

  it('resumes across the stage boundary to the same result', async () => {
    const ref = await startRun(config, { out: path.join(tmp(), 'ref'), progress: null, noReport: true });
    for (const stop of [16, 20]) {
      const dir = path.join(tmp(), `stop${stop}`);
      await startRun(config, { out: dir, progress: null, noReport: true, stopAfter: stop });
      const r = await resumeRun(dir, { progress: null, noReport: true });
      expect(r.records.map(deterministicPart)).toEqual(ref.records.map(deterministicPart));
    }
  });
});

// Suites (variants × seeds, statistics) are tested in suite.test.ts.
