import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EvalRecord } from './journal';
import { readCheckpoint } from './checkpoint';
import { reportRun } from './run';
import { runSuite, summariseRun, validateSuiteConfig } from './suite';
import { runsToCsv, suiteTable } from './stats/suite-stats';
import { mannWhitney } from './stats/mann-whitney';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-suite-'));
const base = {
  name: 'suite-test', problem: 'synthetic-v1', synthetic: { layers: 3 }, seed: 1,
  reward: { name: 'mnasnet-v1', targets: [{ metric: 'latencyS', target: 2e-6 }] },
  policy: { name: 'random-v1' }, search: { budget: 16, batchSize: 4, workers: 0 },
};
// box to the utopia point: (1 − 0.8) · 1e-2 · 2 · 4 = 0.016
const reference = { accuracy: 0.8, latencyS: 1e-2, energyJ: 2, areaMm2: 4 };
const rec = (reward: number, accuracy: number, latencyS: number): EvalRecord => ({
  index: 0, batch: 0, stage: 'j', phase: 'j', key: String(reward), candidate: {}, cached: false, reward,
  metrics: { accuracy, latencyS, energyJ: 1, areaMm2: 2 },
});

describe('suite config', () => {
  it('merges overrides per variant and requires a valid reference point', () => {
    const raw = { suite: 's', base, override: { search: { batchSize: 8 } }, variants: [{ name: 'a' }, { name: 'b', override: { policy: { name: 'evolution-v1' } } }], seeds: [1, 2], matchAccuracy: 0.9, reference };
    const s = validateSuiteConfig(raw, '/x/suite.json');
    expect(s.base.search).toMatchObject({ batchSize: 8, workers: 0 });
    expect(s.reference).toEqual(reference);
    expect(() => validateSuiteConfig({ ...raw, reference: undefined }, '/x/suite.json')).toThrow(/^invalid reference: got undefined, expected a hypervolume reference point \{accuracy, latencyS, energyJ, areaMm2\}/);
    expect(() => validateSuiteConfig({ ...raw, reference: { ...reference, energyJ: -1 } }, '/x/suite.json')).toThrow('invalid reference.energyJ: got -1, expected a number > 0');
  });
});

describe('suite statistics', () => {
  const s = validateSuiteConfig({ suite: 's', base, variants: [{ name: 'a' }, { name: 'b' }], seeds: [1, 2], matchAccuracy: 0.9, reference }, '/x/suite.json');
  const runs = [
    summariseRun('a', 1, [rec(0.5, 0.95, 1e-3), rec(0.7, 0.85, 1e-4)], 0.9, reference),
    summariseRun('a', 2, [rec(0.6, 0.92, 3e-3)], 0.9, reference),
    summariseRun('b', 1, [rec(0.2, 0.5, 1)], 0.9, reference),
  ];

  it('summarises a run: best reward, hypervolume, lowest costs at matched accuracy (by hand)', () => {
    // seed 1: boxes 0.15·9e-3·1·2 = 2.7e-3 and 0.05·9.9e-3·1·2 = 9.9e-4 overlapping in 0.05·9e-3·1·2 = 9e-4 → 2.79e-3 / 0.016
    expect(runs[0]).toMatchObject({ bestReward: 0.7, matched: { latencyS: 1e-3, energyJ: 1, areaMm2: 2 }, matchedBest: { accuracy: 0.95, latencyS: 1e-3 } });
    expect(runs[0].hypervolume).toBeCloseTo(0.174375, 12);
    expect(runs[1].hypervolume).toBeCloseTo((0.12 * 7e-3 * 2) / 0.016, 12); // 0.105
    expect(runs[2]).toMatchObject({ bestReward: 0.2, hypervolume: 0, matched: null, matchedBest: null });
  });

  it('tabulates mean ± std, median [q1, q3] and Mann-Whitney p with Cliff\'s δ (by hand)', () => {
    const lines = suiteTable(s, runs).split('\n');
    // best reward 0.7, 0.6: mean 0.65, sample std 0.1/√2 = 0.0707, quartiles 0.625, 0.675;
    // hypervolume 0.174375, 0.105: mean 0.1397, std 0.069375/√2 = 0.0491, q1 0.1223, q3 0.1570
    expect(lines.slice(0, 6)).toEqual([
      'Mean ± std over seeds 1, 2:', '',
      '| variant | seeds | best reward | hypervolume | latency* | energy* | area* |', '|---|---|---|---|---|---|---|',
      '| a | 2 | 0.6500 ± 0.0707 | 0.1397 ± 0.0491 | 2.00 ± 1.41 ms | 1.00 ± 0.00 J | 2.00 ± 0.00 mm² |',
      '| b | 1 | 0.2000 | 0.0000 | – | – | – |',
    ]);
    expect(lines[11]).toBe('| a | 2 | 0.6500 [0.6250, 0.6750] | 0.1397 [0.1223, 0.1570] | 2.00 [1.50, 2.50] ms | 1.00 [1.00, 1.00] J | 2.00 [2.00, 2.00] mm² |');
    // a vs b, 2 vs 1 values, a always larger: U = 2 of 2 pairs, exact null U ∈ {0, 1, 2} each 1/3 → p = 2/3; δ = +1
    expect(lines).toContain('| a vs b | p = 0.667, δ = +1.00 | p = 0.667, δ = +1.00 | – | – | – |');
    expect(lines.at(-2)).toMatch(/runs without such a design are left out \(b seed 1\)/);
  });

  it('writes per-seed CSV with empty cells where no design reached matched accuracy', () => {
    const csv = runsToCsv(runs).split('\n');
    expect(csv[0]).toBe('variant,seed,evaluations,bestReward,hypervolume,matchedLatencyS,matchedEnergyJ,matchedAreaMm2,matchedBestAccuracy,matchedBestLatencyS,matchedBestEnergyJ,matchedBestAreaMm2');
    expect(csv[3]).toBe('b,1,1,0.2,0,,,,,,,');
  });
});

describe('cosearch suite end to end (synthetic-v1, 2 variants × 3 seeds)', () => {
  it('writes the tables, per-seed CSV/JSON, statistics and reports that show the declared reference', async () => {
    const dir = tmp();
    const file = path.join(dir, 'suite.json');
    fs.writeFileSync(file, JSON.stringify({
      suite: 'e2e', base, matchAccuracy: 0.9, reference: { accuracy: 0.85, latencyS: 1e-4, energyJ: 1e-7, areaMm2: 10 }, seeds: [1, 2, 3],
      variants: [{ name: 'random' }, { name: 'evolution', override: { policy: { name: 'evolution-v1', params: { population: 6, sampleSize: 2 } } } }],
      output: path.join(dir, 'out'),
    }));
    const r = await runSuite(file, { progress: null });
    const out = path.join(dir, 'out');
    for (const f of ['summary.md', 'per-seed.csv', 'per-seed.json', 'statistics.json']) expect(fs.existsSync(path.join(out, f))).toBe(true);
    const perSeed = JSON.parse(fs.readFileSync(path.join(out, 'per-seed.json'), 'utf8'));
    expect(perSeed).toHaveLength(6);
    expect(perSeed.every((x: { evaluations: number; hypervolume: number }) => x.evaluations === 16 && x.hypervolume > 0 && x.hypervolume < 1)).toBe(true);
    // the statistics file is the per-seed values' statistics
    const st = JSON.parse(fs.readFileSync(path.join(out, 'statistics.json'), 'utf8'));
    const hv = (v: string) => perSeed.filter((x: { variant: string }) => x.variant === v).map((x: { hypervolume: number }) => x.hypervolume);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(st.variants.random.hypervolume.mean).toBeCloseTo(mean(hv('random')), 12);
    const c = st.comparisons.find((x: { stat: string }) => x.stat === 'hypervolume');
    expect(c.p).toBeCloseTo(mannWhitney(hv('random'), hv('evolution')).p, 12);
    expect(r.statistics).toEqual(st);
    expect(fs.readFileSync(path.join(out, 'random', 'seed-2', 'report.html'), 'utf8')).toContain('reference point (declared): accuracy 0.850, latency 100 µs, energy 100 nJ, area 10.0 mm²');
    // a second call continues nothing and gives the same figures
    expect(readCheckpoint(path.join(out, 'evolution', 'seed-3'))?.finished).toBe(true);
    expect((await runSuite(file, { progress: null })).table).toBe(r.table);
    // `cosearch report` on a run of the suite keeps the suite's reference point
    const report = await reportRun(path.join(out, 'random', 'seed-1'), { progress: null });
    expect(fs.readFileSync(report, 'utf8')).toContain('reference point (declared): accuracy 0.850');
    // a changed reference point re-reports the finished runs and changes the hypervolumes
    const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...raw, reference: { ...raw.reference, accuracy: 0.9 } }));
    const again = await runSuite(file, { progress: null });
    expect(fs.readFileSync(report, 'utf8')).toContain('reference point (declared): accuracy 0.900');
    expect(again.runs.map((x) => x.hypervolume)).not.toEqual(r.runs.map((x) => x.hypervolume));
    expect(again.statistics.reference.accuracy).toBe(0.9);
  });
});
