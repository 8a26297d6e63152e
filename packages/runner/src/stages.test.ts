import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deterministicPart } from './journal';
import { resumeRun, startRun } from './run';
import { suiteTable, summariseRun, validateSuiteConfig } from './suite';

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

describe('suites', () => {
  it('merges overrides per variant and tabulates mean ± std at matched accuracy', () => {
    const s = validateSuiteConfig(
      { suite: 's', base: config, override: { search: { batchSize: 8 } }, variants: [{ name: 'a' }, { name: 'b', override: { policy: { name: 'random-v1' } } }], seeds: [1, 2], matchAccuracy: 0.9 },
      '/x/suite.json',
    );
    expect(s.base.search).toMatchObject({ batchSize: 8, workers: 0 });
    const rec = (reward: number, accuracy: number, latencyS: number) => ({
      index: 0, batch: 0, stage: 'j', phase: 'j', key: String(reward), candidate: {}, cached: false, reward,
      metrics: { accuracy, latencyS, energyJ: 1, areaMm2: 2 },
    });
    const runs = [
      summariseRun('a', 1, [rec(0.5, 0.95, 1e-3), rec(0.7, 0.85, 1e-4)], 0.9),
      summariseRun('a', 2, [rec(0.6, 0.92, 3e-3)], 0.9),
      summariseRun('b', 1, [rec(0.2, 0.5, 1)], 0.9),
    ];
    expect(runs[0]).toMatchObject({ bestReward: 0.7, matched: { accuracy: 0.95, latencyS: 1e-3 } });
    expect(runs[2].matched).toBeNull();
    const table = suiteTable(s, runs).split('\n');
    // best reward: mean of 0.7 and 0.6, sample std 0.0707; latency mean 2e-3 ± 1.41e-3
    expect(table[2]).toBe('| a | 2 | 0.6500 ± 0.0707 | 0.9350 ± 0.0212 | 2.00 ± 1.41 ms | 1.00 ± 0.00 J | 2.00 ± 0.00 mm² |');
    expect(table[3]).toBe('| b | 1 | 0.2000 | – | – | – | – |');
  });
});
