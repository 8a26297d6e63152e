import { initBackend } from '@cosearch/backend';
import { ConfigError, CosearchError, Rng } from '@cosearch/core';
import { loadDataset, type DatasetSplits } from '@cosearch/datasets';
import { largestArch } from './arch';
import { evaluateSubnet } from './evaluate';
import { samplingRegistry } from './sampling';
import { lrAt, makePhases, vitProbabilityAt } from './schedule';
import { Supernet } from './supernet';
import { trainSupernet } from './train';
import { finetuneSubnet, kendallTau } from './finetune';
import { tinyConfig } from './test-config';

let data: DatasetSplits;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  data = loadDataset({ name: 'synthetic', seed: 2, options: { height: 8, width: 8, channels: 1, numClasses: 3, samples: 360, noise: 0.2 } });
});

describe('schedules', () => {
  test('two-phase: CNN-only phase then ViT annealed from 0; one-phase: constant', () => {
    const [p1, p2] = makePhases({ mode: 'two', steps: 100, lr: 1e-2 });
    expect(p1).toMatchObject({ name: 'cnn', steps: 50, vitProbability: [0, 0] });
    expect(p2).toMatchObject({ name: 'hybrid', steps: 50, vitProbability: [0, 0.5], lr: 5e-3 });
    expect(vitProbabilityAt(p2, 0)).toBe(0);
    expect(vitProbabilityAt(p2, 25)).toBeCloseTo(0.5, 9);
    expect(lrAt(p2, 0)).toBeCloseTo(5e-3, 9);
    expect(lrAt(p2, 50)).toBeCloseTo(0, 9);
    const [one] = makePhases({ mode: 'one', steps: 100 });
    expect(one.vitProbability).toEqual([0.5, 0.5]);
  });

  test('sampling strategies', () => {
    expect(samplingRegistry.names()).toEqual(['sandwich-v1', 'spos-v1']);
    const plan = samplingRegistry.create('sandwich-v1', { random: 3 }).plan({ config: tinyConfig(), rng: new Rng(1), vitProbability: 0.5 });
    expect(plan.map((p) => p.role)).toEqual(['largest', 'smallest', 'random', 'random', 'random']);
    expect(plan.slice(1).every((p) => p.target === 'teacher')).toBe(true);
    expect(() => samplingRegistry.create('nope', {})).toThrow(CosearchError);
  });
});

describe('trainSupernet', () => {
  test('two-phase training learns, logs gradient conflict per mix, and is deterministic', async () => {
    const run = async () => {
      const net = Supernet.create(tinyConfig(), 5);
      const s = await trainSupernet(net, data, { mode: 'two', steps: 24, batchSize: 32, lr: 1e-2, seed: 3, conflictEvery: 4, quiet: true });
      return { net, s };
    };
    const a = await run();
    expect(a.s.phases.map((p) => p.name)).toEqual(['cnn', 'hybrid']);
    expect(a.s.phases[0].conflict.cnn.samples).toBeGreaterThan(0);
    expect(a.s.phases[0].conflict.hybrid).toBeUndefined(); // phase 1 never samples ViT blocks
    expect(a.s.phases[1].conflict.hybrid.samples).toBeGreaterThan(0);
    expect(a.s.phases[1].lastLoss).toBeLessThan(a.s.phases[0].firstLoss);
    const acc = (await evaluateSubnet(a.net, largestArch(tinyConfig()), data.test, { calibration: data.train })).accuracy;
    expect(acc).toBeGreaterThan(0.7); // 3 classes: chance is 1/3
    const b = await run();
    expect(b.s.phases[1].lastLoss).toBe(a.s.phases[1].lastLoss);
    expect(Array.from(b.net.vars.get('s1.b2.q.w')!.dataSync())).toEqual(Array.from(a.net.vars.get('s1.b2.q.w')!.dataSync()));
    a.net.dispose();
    b.net.dispose();
  });
});

describe('recipe options', () => {
  test('augmentation and label smoothing are deterministic under seed and change the training', async () => {
    const run = async (augmentShift: number, labelSmoothing: number) => {
      const net = Supernet.create(tinyConfig(), 5);
      const s = await trainSupernet(net, data, { steps: 4, batchSize: 16, seed: 3, conflictEvery: 0, quiet: true, augmentShift, labelSmoothing });
      const w = Array.from(net.vars.get('s1.b1.expand.w')!.dataSync());
      net.dispose();
      return { w, loss: s.phases[1].lastLoss };
    };
    const plain = await run(0, 0);
    const aug = await run(2, 0.1);
    expect(await run(2, 0.1)).toEqual(aug);
    expect(aug.w).not.toEqual(plain.w);
    expect((await run(0, 0.1)).w).not.toEqual(plain.w);
  });

  test('invalid values throw ConfigError naming the field and the allowed range', async () => {
    const net = Supernet.create(tinyConfig(), 1);
    const bad: [Record<string, number>, RegExp][] = [
      [{ augmentShift: 4 }, /augmentShift.*4.*<= 3/], // 8×8 images: at most 3 pixels
      [{ augmentShift: 1.5 }, /augmentShift.*integer/],
      [{ labelSmoothing: 0.7 }, /labelSmoothing.*<= 0.5/],
      [{ phase1Fraction: -0.1 }, /phase1Fraction.*>= 0/],
    ];
    for (const [o, msg] of bad) {
      await expect(trainSupernet(net, data, { steps: 1, quiet: true, ...o })).rejects.toThrow(ConfigError);
      await expect(trainSupernet(net, data, { steps: 1, quiet: true, ...o })).rejects.toThrow(msg);
    }
    net.dispose();
  });
});

describe('ranking helpers', () => {
  test('kendallTau: hand-counted examples (ties: τ-b, as scipy.stats.kendalltau)', () => {
    
    // b's pairs: 6 concordant, 4 discordant → (6 − 4)/10.
    expect(kendallTau([1, 2, 3, 4, 5], [3, 4, 1, 2, 5])).toBeCloseTo(0.2, 12);
    expect(kendallTau([1, 1, 2], [1, 2, 3])).toBeCloseTo(2 / Math.sqrt(6), 12);
    expect(kendallTau([1, 2, 3], [3, 2, 1])).toBe(-1);
  });

  test('finetuneSubnet leaves the supernet unchanged', async () => {
    
    const net = Supernet.create(tinyConfig(), 9);
    const before = Array.from(net.vars.get('s1.b1.expand.w')!.dataSync());
    const acc = await finetuneSubnet(net, largestArch(tinyConfig()), data, { steps: 3, batchSize: 16 });
    expect(acc).toBeGreaterThanOrEqual(0);
    expect(acc).toBeLessThanOrEqual(1);
    expect(Array.from(net.vars.get('s1.b1.expand.w')!.dataSync())).toEqual(before);
    net.dispose();
  });
});
