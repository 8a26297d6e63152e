import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkProblem } from '@cosearch/runner';
import './index';

/**
 * cosearch-v1 passes the runner's problem conformance check: a tiny supernet on synthetic 8×8
 * images (trained for a few steps by `prepare`), sampled designs evaluated on two evaluators in
 * opposite orders give identical, finite metrics, every declared metric present, no undeclared
 * extra; designs that do not map fail as CosearchErrors.
 */
describe('cosearch-v1 conformance', () => {
  it('passes checkProblem', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-problem-conf-'));
    const r = await checkProblem({
      name: 'conformance', problem: 'cosearch-v1', seed: 2,
      dataset: { name: 'synthetic', options: { height: 8, width: 8, channels: 1, numClasses: 3, samples: 200 } },
      network: {
        supernet: {
          stemChannels: 4, stemKernel: 3, stemStride: 2, headDim: 4,
          stages: [{ widths: [8], depths: [1], stride: 1, blockTypes: ['mbconv'], kernels: [3], expansions: [2], heads: [1], mlpRatios: [1] }],
        },
        train: { steps: 6, batchSize: 16, logEvery: 100, conflictEvery: 0 },
      },
      accuracy: { samples: 32, calibrationSamples: 16 },
      reward: { name: 'edp-v1' }, policy: { name: 'random-v1' }, search: { budget: 8, workers: 0 },
    }, { cacheDir, candidates: 8, seed: 3 });
    expect(r.problem).toBe('cosearch-v1');
    expect(r.metrics).toEqual(expect.arrayContaining(['accuracy', 'latencyS', 'energyJ', 'areaMm2', 'powerW', 'macs', 'cimLayers', 'cleanAccuracy']));
    expect(r.failed).toBeLessThan(8);
  });
});
