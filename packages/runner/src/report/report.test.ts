import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { startRun } from '../run';
import { paretoPoints, recordsToCsv } from './data';
import { decisionActivity } from './active';
import { SYNTHETIC_METRICS, syntheticLayers, syntheticSpace, type SyntheticConfig } from '../synthetic';
import type { Problem } from '../problem';
import type { EvalRecord } from '../journal';

const CHROMIUM = '/usr/bin/chromium';
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-report-'));

const rec = (index: number, accuracy: number, latencyS: number, extra: Partial<EvalRecord> = {}): EvalRecord => ({
  index, batch: 0, stage: 'joint', phase: 'joint', key: String(index), candidate: {}, cached: false,
  metrics: { accuracy, latencyS, energyJ: 1, areaMm2: 1 }, reward: accuracy, ...extra,
});

describe('report data', () => {
  it('marks the 2-D Pareto front (accuracy up, cost down), skipping failed and cached evaluations', () => {
    const pts = paretoPoints(
      [rec(0, 0.9, 3), rec(1, 0.8, 1), rec(2, 0.85, 2), rec(3, 0.84, 2.5), rec(4, 0.95, 3), rec(5, 0.99, 0.5, { error: 'x' }), rec(6, 0.99, 0.5, { cached: true })],
      'latencyS',
    );
    expect(pts.filter((p) => p.front).map((p) => p.index).sort()).toEqual([1, 2, 4]);
    expect(pts.map((p) => p.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('writes CSV with quoting and every decision as a column', () => {
    const space = syntheticSpace({ layers: 1, delayMs: 0 });
    const c = { 'layer0.width': 8, 'npu.pes': 16, 'cim.arrays': 0, 'layer0.unit': 'cim', frequencyMHz: 200 };
    const csv = recordsToCsv(space, [rec(0, 0.5, 1, { candidate: c, metrics: null, error: 'no "CIM", sorry', reward: -1 })]).split('\n');
    expect(csv[0]).toBe('index,batch,stage,phase,cached,reward,accuracy,latencyS,energyJ,areaMm2,error,violations,layer0.width,npu.pes,cim.arrays,layer0.unit,frequencyMHz');
    expect(csv[1]).toBe('0,0,joint,joint,false,-1,,,,,"no ""CIM"", sorry",,8,16,0,cim,200');
  });
});

describe('active decisions', () => {
  const cfg: SyntheticConfig = { layers: 2, delayMs: 0 };
  const problem = { space: syntheticSpace(cfg), metrics: SYNTHETIC_METRICS, breakdown: (c) => syntheticLayers(cfg, c), createEvaluator: async () => ({ evaluate: async () => { throw new Error('unused'); } }) } as Problem;
  const base = { 'layer0.width': 8, 'layer1.width': 16, 'npu.pes': 16, 'cim.arrays': 4, 'layer0.unit': 'npu', 'layer1.unit': 'cim', frequencyMHz: 200 };

  it('are the decisions whose change alone changes the per-layer breakdown or makes the design fail', () => {
    // layer1 on CIM: CIM arrays set its latency, so every decision is active here
    expect(decisionActivity(problem, base)).toEqual({ active: problem.space.names(), inactive: [] });
    // both layers on the NPU: cim.arrays only changes area (outside the breakdown) → inactive;
    // moving a layer to CIM is still a change (a CIM layer instead of an NPU one)
    expect(decisionActivity(problem, { ...base, 'layer1.unit': 'npu' })).toEqual({
      active: ['layer0.width', 'layer1.width', 'npu.pes', 'layer0.unit', 'layer1.unit', 'frequencyMHz'], inactive: ['cim.arrays'],
    });
    // no CIM arrays and everything on the NPU: switching a layer to CIM fails → still active
    expect(decisionActivity(problem, { ...base, 'cim.arrays': 0, 'layer1.unit': 'npu' })!.active).toContain('layer1.unit');
  });

  it('cannot be derived without a breakdown or for a failing design (null: the report lists every decision)', () => {
    expect(decisionActivity({ ...problem, breakdown: undefined } as Problem, base)).toBeNull();
    expect(decisionActivity(problem, { ...base, 'cim.arrays': 0 })).toBeNull(); // layer1 on CIM without arrays fails
  });
});

const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) {
  // eslint-disable-next-line no-console
  console.warn(`report browser test skipped: ${CHROMIUM} not found (install Debian's chromium; .ci/run does)`);
}

(haveChromium ? describe : describe.skip)('the HTML report in headless Chromium', () => {
  it('renders non-empty SVG charts without console errors, and a screenshot is saved', async () => {
    const dir = path.join(tmp(), 'run');
    const { reportFile } = await startRun(
      {
        name: 'report-test', problem: 'synthetic-v1', synthetic: { layers: 4 }, seed: 5,
        reward: { name: 'mnasnet-v1', targets: [{ metric: 'latencyS', target: 2e-6 }] },
        policy: { name: 'random-v1' }, search: { budget: 40, batchSize: 8, workers: 0 },
      },
      { out: dir, progress: null },
    );
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-chromium-'));
    const browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      await page.setViewportSize({ width: 1400, height: 1000 });
      await page.goto(`file://${reportFile}`);
      const charts = await page.$$eval('.chart svg', (svgs) =>
        svgs.map((s) => ({
          width: s.getBoundingClientRect().width,
          marks: s.querySelectorAll('path, circle, rect, line').length,
          title: s.querySelector('.role-title-text')?.textContent ?? '',
        })),
      );
      // 3 Pareto fronts + reward curve + hypervolume curve + 2 per-layer stacked bars
      expect(charts.map((c) => c.title)).toEqual([
        'Accuracy vs latency (s)', 'Accuracy vs energy per inference (J)', 'Accuracy vs area (mm²)',
        'Reward over evaluations (best so far as a line)', 'Hypervolume over evaluations',
        'Per-layer latency (s) of the best design', 'Per-layer energy (J) of the best design',
      ]);
      // the reference point is shown under the hypervolume chart's title
      const subtitle = await page.$$eval('.chart svg .role-title-subtitle', (ts) => ts.map((t) => t.textContent ?? '').join(' | '));
      expect(subtitle).toMatch(/^reference point \(derived from this run\): accuracy 0\.\d{3}, latency [\d.]+ [µnm]?s, energy [\d.]+ [pnµm]?J, area [\d.]+ mm²/);
      for (const c of charts) {
        expect(c.width).toBeGreaterThan(100);
        expect(c.marks).toBeGreaterThan(10);
      }
      const rows = await page.$$eval('h2 + table tbody tr', (trs) => trs.length);
      expect(rows).toBe(10);
      const shot = path.join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    }
  });
});
