import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, tf } from '@cosearch/backend';
import { loadDataset, type DatasetSplits } from '@cosearch/datasets';
import { largestArch, smallestArch, type SubnetArch } from './arch';
import { forward, type Region } from './forward';
import { Supernet, imageBatch } from './supernet';
import { evaluateSubnet } from './evaluate';
import { exportSubnet, SubnetModel } from './export';
import { tinyConfig } from './test-config';

let data: DatasetSplits;
const hybrid: SubnetArch = { stages: [{ width: 4, blocks: [{ type: 'vit', heads: 1, mlpRatio: 2 }, { type: 'mbconv', kernel: 3, expansion: 2 }] }] };
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'supernet-test-'));

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  data = loadDataset({ name: 'synthetic', seed: 1, options: { height: 8, width: 8, channels: 1, numClasses: 3, samples: 300 } });
});

function values(net: Supernet, name: string): Float32Array {
  return net.vars.get(name)!.dataSync() as Float32Array;
}

describe('weight sharing', () => {
  test('a subnet step changes exactly its slice of the shared tensors', () => {
    const net = Supernet.create(tinyConfig(), 1);
    net.vars.get('s1.b1.bn3.gamma')!.assign(tf.ones([8])); // zero-init residual would block the branch's gradient
    const before = Float32Array.from(values(net, 's1.b1.dw.w')); // [5,5,8,1] (kernel 5, hidden 8·2 = 16)
    const arch = smallestArch(tinyConfig()); // width 4, one MBConv k3 e2 → hidden 8, centre 3×3 crop
    const usage = new Map<string, Region>();
    const x = imageBatch(data.train, 0, 16);
    const { grads } = tf.variableGrads(() => tf.mean(tf.square(forward(net.config, arch, x, net.source(), { bn: { kind: 'batch' }, usage }))) as tf.Scalar);
    const named = new Map(Object.entries(grads).map(([k, g]) => [net.paramOf(k)!, g]));
    net.optimizer.apply(net.vars, named, 0.1, () => 0);
    const after = values(net, 's1.b1.dw.w');
    expect(usage.get('s1.b1.dw.w')).toEqual({ begin: [1, 1, 0, 0], size: [3, 3, 8, 1] });
    const [K, , C] = [5, 5, 16];
    let changedInside = 0, changedOutside = 0;
    for (let ky = 0; ky < K; ky++) for (let kx = 0; kx < K; kx++) for (let c = 0; c < C; c++) {
      const i = (ky * K + kx) * C + c;
      const inside = ky >= 1 && ky <= 3 && kx >= 1 && kx <= 3 && c < 8;
      if (after[i] !== before[i]) inside ? changedInside++ : changedOutside++;
    }
    expect(changedInside).toBe(9 * 8);
    expect(changedOutside).toBe(0);
    // ViT weights were not used by a CNN-only subnet: no gradient, unchanged.
    expect(named.has('s1.b1.q.w')).toBe(false);
    net.dispose();
  });
});

describe('BN re-calibration', () => {
  test('statistics are per arch, match the data moments, and are cached', async () => {
    const net = Supernet.create(tinyConfig(), 2);
    const big = net.calibrate(largestArch(tinyConfig()), data.train, { batches: 2, batchSize: 50 });
    const small = net.calibrate(smallestArch(tinyConfig()), data.train, { batches: 2, batchSize: 50 });
    // The stem is shared; the transition BN sees different widths (8 vs 4 channels).
    expect(big.get('s1.trans.bn')!.mean.length).toBe(8);
    expect(small.get('s1.trans.bn')!.mean.length).toBe(4);
    // Stem BN statistics equal the stem conv output's moments over the 100 calibration images.
    const stem = tf.tidy(() => tf.conv2d(imageBatch(data.train, 0, 100), net.vars.get('stem.w') as tf.Tensor4D, 2, 'same'));
    const { mean, variance } = tf.moments(stem, [0, 1, 2]);
    const m = mean.dataSync(), v = variance.dataSync();
    big.get('stem.bn')!.mean.forEach((x, i) => expect(x).toBeCloseTo(m[i], 4));
    big.get('stem.bn')!.variance.forEach((x, i) => expect(x).toBeCloseTo(v[i], 4));
    expect(net.calibrate(largestArch(tinyConfig()), data.train, { batches: 2, batchSize: 50 })).toBe(big);
    // Re-calibrating after a weight change gives different statistics.
    net.vars.get('stem.w')!.assign(tf.mul(net.vars.get('stem.w')!, 2));
    net.invalidate();
    const again = net.calibrate(largestArch(tinyConfig()), data.train, { batches: 2, batchSize: 50 });
    expect(again.get('stem.bn')!.variance[0]).toBeCloseTo(4 * big.get('stem.bn')!.variance[0], 3);
    net.dispose();
  });

  test('evaluateSubnet: accuracy in [0,1], weightTransform changes the result, zeroing weights gives chance', async () => {
    const net = Supernet.create(tinyConfig(), 3);
    const clean = await evaluateSubnet(net, hybrid, data.val, { calibration: data.train });
    expect(clean.accuracy).toBeGreaterThanOrEqual(0);
    expect(clean.macs).toBeGreaterThan(0);
    const seen: string[] = [];
    const zero = await evaluateSubnet(net, hybrid, data.val, { calibration: data.train, weightTransform: (name, w) => { seen.push(name); return new Float32Array(w.length); } });
    expect(seen).toContain('s1.b1.q.w');
    expect(seen).toContain('head.fc.w');
    expect(seen).not.toContain('s1.b1.ln1.gamma');
    // All-zero weights → constant logits (bias only) → one class everywhere.
    const counts = [0, 0, 0];
    for (const l of data.val.labels) counts[l]++;
    expect(counts.map((c) => c / data.val.n)).toContainEqual(zero.accuracy);
    net.dispose();
  });
});

describe('checkpoints and export', () => {
  test('save/load gives identical outputs and optimiser state; export/reload too', async () => {
    const net = Supernet.create(tinyConfig(), 4);
    // One optimiser step so there is optimiser state to save.
    const x = imageBatch(data.train, 0, 8);
    const { grads } = tf.variableGrads(() => tf.mean(forward(net.config, hybrid, x, net.source(), { bn: { kind: 'batch' } })) as tf.Scalar);
    net.optimizer.apply(net.vars, new Map(Object.entries(grads).map(([k, g]) => [net.paramOf(k)!, g])), 0.01, () => 0);
    const dir = tmp();
    await net.save(dir);
    const back = await Supernet.load(dir);
    expect(back.config).toEqual(net.config);
    expect(back.optimizer.step).toBe(1);
    const st = net.optimizer.state(), st2 = back.optimizer.state();
    expect(st2.arrays.map((a) => a.name).sort()).toEqual(st.arrays.map((a) => a.name).sort());
    const stats = net.calibrate(hybrid, data.train);
    const out1 = net.logits(hybrid, x, { kind: 'stats', stats }).dataSync();
    const out2 = back.logits(hybrid, x, { kind: 'stats', stats: back.calibrate(hybrid, data.train) }).dataSync();
    expect(Array.from(out2)).toEqual(Array.from(out1));

    const sub = path.join(dir, 'subnet');
    await exportSubnet(net, hybrid, sub, data.train);
    expect(fs.existsSync(path.join(sub, 'model.json')) && fs.existsSync(path.join(sub, 'weights.bin'))).toBe(true);
    const model = await SubnetModel.load(sub);
    expect(Array.from(model.predict(x).dataSync())).toEqual(Array.from(out1));
    expect(model.size()).toBeLessThan(net.parameterCount());
    model.dispose(); back.dispose(); net.dispose();
  });

  test('squeeze-excite variant: gradients reach the SE weights, export/reload identical', async () => {
    const cfg = { ...tinyConfig(), stages: [{ ...tinyConfig().stages[0], squeezeExcite: true }] };
    const net = Supernet.create(cfg, 6);
    const x = imageBatch(data.train, 0, 8);
    const { grads } = tf.variableGrads(() => tf.mean(tf.square(forward(net.config, hybrid, x, net.source(), { bn: { kind: 'batch' } }))) as tf.Scalar);
    const names = Object.keys(grads).map((k) => net.paramOf(k));
    expect(names).toContain('s1.b2.se1.w');
    expect(names).toContain('s1.b2.se2.b');
    const dir = tmp();
    await exportSubnet(net, hybrid, dir, data.train);
    const model = await SubnetModel.load(dir);
    const expected = net.logits(hybrid, x, { kind: 'stats', stats: net.calibrate(hybrid, data.train) }).dataSync();
    expect(Array.from(model.predict(x).dataSync())).toEqual(Array.from(expected));
    model.dispose(); net.dispose();
  });

  test('same seed → same weights; different seed → different', () => {
    const a = Supernet.create(tinyConfig(), 7), b = Supernet.create(tinyConfig(), 7), c = Supernet.create(tinyConfig(), 8);
    expect(Array.from(values(a, 's1.b2.q.w'))).toEqual(Array.from(values(b, 's1.b2.q.w')));
    expect(Array.from(values(a, 's1.b2.q.w'))).not.toEqual(Array.from(values(c, 's1.b2.q.w')));
    [a, b, c].forEach((n) => n.dispose());
  });
});
