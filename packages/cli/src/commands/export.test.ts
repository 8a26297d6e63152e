import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, tf } from '@cosearch/backend';
import { layerMacs, layerWeights, type LayerSpec } from '@cosearch/core';
import { loadDataset, take } from '@cosearch/datasets';
import { importKerasModel } from '@cosearch/hardware';
import { Supernet, SubnetModel, archFromCandidate, exportSubnet, fileSystemHandler, imageBatch, subnetMacs, trainSupernet, type SupernetConfig } from '@cosearch/supernet';

/**
 * Model formats out and in, as a user runs them: `cosearch export` of a search's found subnet as
 * a tfjs LayersModel (its accuracy and logits equal the supernet's), and `cosearch hw` costing
 * LayersModels — the exported one (same MACs as the search counted) and models built with tfjs
 * here (MACs against a hand count, weights against tfjs's own parameter count).
 */
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const MAIN = path.join(ROOT, 'packages', 'cli', 'src', 'main.ts');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-export-'));

function cosearch(args: string[]) {
  const r = spawnSync(process.execPath, ['--conditions=@cosearch/source', '--import', 'tsx', MAIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const macs = (layers: LayerSpec[]) => layers.reduce((n, l) => n + layerMacs(l), 0);
const weights = (layers: LayerSpec[]) => layers.reduce((n, l) => n + layerWeights(l), 0);
/** tfjs's own count of the static weights: every variable named …kernel (biases, BN and LN excluded). */
const kernelParams = (m: tf.LayersModel) => m.layers.flatMap((l) => l.weights).filter((w) => /kernel$/.test(w.originalName)).reduce((n, w) => n + w.shape.reduce((a, b) => a! * b!, 1)!, 0);

/** A tiny hybrid supernet on synthetic 8×8 images: an MBConv or ViT block (1 or 2 heads). */
const tiny: SupernetConfig = {
  inputHeight: 8, inputWidth: 8, inputChannels: 1, numClasses: 3,
  stemChannels: 4, stemKernel: 3, stemStride: 2, headDim: 4,
  stages: [{ widths: [4, 8], depths: [1, 2], stride: 1, blockTypes: ['mbconv', 'vit'], kernels: [3, 5], expansions: [2], heads: [1, 2], mlpRatios: [1, 2] }],
};
const dataset = { name: 'synthetic', seed: 3, options: { height: 8, width: 8, channels: 1, numClasses: 3, samples: 400, noise: 0.3 } };

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('cosearch export → tf.loadLayersModel → cosearch hw', () => {
  it('exports an evaluation of a search (and a subnet folder) as a LayersModel with the search\'s accuracy, the supernet\'s logits and the search\'s MAC count', async () => {
    const work = tmp();
    const ckpt = path.join(work, 'supernet');
    const data = loadDataset(dataset);
    const net = Supernet.create(tiny, 1);
    await trainSupernet(net, data, { mode: 'one', steps: 30, batchSize: 32, seed: 1, quiet: true, conflictEvery: 0 });
    await net.save(ckpt);
    const config = {
      name: 'export-test', seed: 5, dataset, network: { supernet: tiny, checkpoint: ckpt },
      hardware: { preset: 'edge-npu-cim-v1' }, accuracy: { split: 'val', samples: 40, calibrationSamples: 64 },
      reward: { name: 'edp-v1' }, policy: { name: 'random-v1' }, search: { budget: 6, batchSize: 3, workers: 1 },
    };
    fs.writeFileSync(path.join(work, 'config-in.json'), JSON.stringify(config));
    const run = path.join(work, 'run');
    const s = cosearch(['search', path.join(work, 'config-in.json'), '--out', run, '--quiet']);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const records = fs.readFileSync(path.join(run, 'evaluations.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    // the evaluation with a ViT block of the most heads, so attention is exported
    const withVit = records.filter((r) => r.candidate['s1.depth'] === 2 && (r.candidate['s1.b1.type'] === 'vit' || r.candidate['s1.b2.type'] === 'vit'));
    const rec = withVit[0] ?? records[0];

    const out = path.join(work, 'model');
    const e = cosearch(['export', '--run', run, '--index', String(rec.index), '--out', out, '--json']);
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    const summary = JSON.parse(e.stdout);
    expect(summary.source.index).toBe(rec.index);
    expect(summary.check.images).toBe(40);
    expect(summary.check.layersModelAccuracy).toBe(summary.check.searchAccuracy);
    expect(summary.check.searchAccuracy).toBe(rec.metrics.accuracy);

    // logits of the loaded LayersModel = the supernet's for that candidate (BN calibrated on the same 64 images)
    const arch = archFromCandidate(tiny, rec.candidate);
    const model = await tf.loadLayersModel(fileSystemHandler(out));
    const x = imageBatch(data.val, 0, 40);
    const ref = net.logits(arch, x, { kind: 'stats', stats: net.calibrate(arch, take(data.train, 64)) }).dataSync();
    const got = (model.predict(x) as tf.Tensor).dataSync();
    let d = 0;
    for (let i = 0; i < ref.length; i++) d = Math.max(d, Math.abs(ref[i] - got[i]));
    expect(d).toBeLessThan(1e-4);

    // the exported topology, costed by `cosearch hw`: the same MACs as the search's network description
    const h = cosearch(['hw', '--network', path.join(out, 'model.json'), '--hardware', 'edge-npu-cim-v1', '--json']);
    expect(h.code).toBe(0);
    expect(JSON.parse(h.stdout).macs).toBe(rec.metrics.extra.macs);
    expect(rec.metrics.extra.macs).toBe(subnetMacs(tiny, arch));

    // --subnet: a cosearch-subnet-v1 folder converted; same logits as SubnetModel
    const sub = path.join(work, 'subnet');
    await exportSubnet(net, arch, sub, take(data.train, 64));
    const out2 = path.join(work, 'model2');
    const e2 = cosearch(['export', '--subnet', sub, '--out', out2]);
    expect(e2.code).toBe(0);
    expect(e2.stdout).toMatch(/^exported the subnet to .*model2: model\.json \+ weights\.bin, \d+ layers, \d+ parameters/);
    const m2 = await tf.loadLayersModel(fileSystemHandler(out2));
    const sm = await SubnetModel.load(sub);
    const a2 = sm.predict(x).dataSync(), b2 = (m2.predict(x) as tf.Tensor).dataSync();
    let d2 = 0;
    for (let i = 0; i < a2.length; i++) d2 = Math.max(d2, Math.abs(a2[i] - b2[i]));
    expect(d2).toBeLessThan(1e-4);
    m2.dispose(); sm.dispose();

    // a second export into the same folder is refused; no source or two sources: one line
    expect(cosearch(['export', '--out', path.join(work, 'x')]).stderr).toBe('cosearch: export: give exactly one of --run DIR, --supernet DIR --arch SPEC, --subnet DIR\n');
    const again = cosearch(['export', '--run', run, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^cosearch: .*model\.json: exists already; pick another --out\n$/);
    model.dispose(); x.dispose(); net.dispose();
  }, 300_000);
});

describe('cosearch hw --network <tfjs LayersModel>', () => {
  it('a Sequential CNN built with tfjs: MACs equal a hand count, weights equal tfjs\'s kernel parameter count', async () => {
    const m = tf.sequential({ name: 'cnn' });
    m.add(tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }));
    m.add(tf.layers.maxPooling2d({ poolSize: 2, name: 'p1' }));
    m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'valid', depthMultiplier: 2, name: 'dw' }));
    m.add(tf.layers.batchNormalization({ name: 'bn' }));
    m.add(tf.layers.separableConv2d({ filters: 24, kernelSize: 3, padding: 'same', name: 'sep' }));
    m.add(tf.layers.averagePooling2d({ poolSize: 7, name: 'p2' }));
    m.add(tf.layers.flatten({ name: 'f' }));
    m.add(tf.layers.dropout({ rate: 0.2, name: 'drop' }));
    m.add(tf.layers.dense({ units: 10, activation: 'softmax', name: 'fc' }));
    const net = importKerasModel(m.toJSON(null, false));
    // conv 32×32×16 outputs × 3·3·3; depthwise ×2 on 16×16 → 7×7×32 × 3·3; separable: depthwise 7×7×32 × 9 + pointwise 7×7×24 × 32; dense 24·10
    const hand = 32 * 32 * 16 * 27 + 7 * 7 * 32 * 9 + (7 * 7 * 32 * 9 + 7 * 7 * 24 * 32) + 24 * 10;
    expect(macs(net.layers)).toBe(hand);
    expect(weights(net.layers)).toBe(kernelParams(m));
    expect(net.layers.map((l) => l.name)).toEqual(['c1', 'c1/act', 'p1', 'dw', 'bn', 'sep/depthwise', 'sep/pointwise', 'p2', 'fc', 'fc/act']);

    // the same model saved as model.json + weights.bin, through the CLI
    const dir = tmp();
    await m.save(fileSystemHandler(dir));
    const h = cosearch(['hw', '--network', path.join(dir, 'model.json'), '--hardware', 'eyeriss-65nm-v1', '--json']);
    expect(h.code).toBe(0);
    expect(JSON.parse(h.stdout).macs).toBe(hand);
    m.dispose();
  }, 60_000);

  it('a functional model built with tfjs (residual Add, Concatenate, LayerNormalization, Dense on tokens): MACs and weights', () => {
    const inp = tf.input({ shape: [8, 8, 16], name: 'x' });
    const a = tf.layers.conv2d({ filters: 16, kernelSize: 1, useBias: false, name: 'pw' }).apply(inp) as tf.SymbolicTensor;
    const r = tf.layers.add({ name: 'res' }).apply([inp, a]) as tf.SymbolicTensor;
    const t = tf.layers.reshape({ targetShape: [64, 16], name: 'tok' }).apply(r) as tf.SymbolicTensor;
    const n = tf.layers.layerNormalization({ name: 'ln' }).apply(t) as tf.SymbolicTensor;
    const q = tf.layers.dense({ units: 8, name: 'q' }).apply(n) as tf.SymbolicTensor;
    const k = tf.layers.dense({ units: 8, name: 'k' }).apply(n) as tf.SymbolicTensor;
    const s = tf.layers.dot({ axes: [2, 2], name: 'qk' }).apply([q, k]) as tf.SymbolicTensor;
    const p = tf.layers.softmax({ name: 'sm' }).apply(s) as tf.SymbolicTensor;
    const v = tf.layers.dot({ axes: [2, 1], name: 'av' }).apply([p, t]) as tf.SymbolicTensor;
    const c = tf.layers.concatenate({ name: 'cat' }).apply([v, t]) as tf.SymbolicTensor;
    const o = tf.layers.dense({ units: 4, name: 'out' }).apply(c) as tf.SymbolicTensor;
    const m = tf.model({ inputs: inp, outputs: o, name: 'fn' });
    const net = importKerasModel({ modelTopology: m.toJSON(null, false) }, { batch: 2 });
    const hand = 2 * (8 * 8 * 16 * 16 + 2 * 64 * 16 * 8 + 64 * 8 * 64 + 64 * 64 * 16 + 64 * 32 * 4);
    expect(macs(net.layers)).toBe(hand);
    expect(weights(net.layers)).toBe(kernelParams(m));
    expect(net.layers.find((l) => l.name === 'out')).toMatchObject({ kind: 'dense', batch: 128, inFeatures: 32, outFeatures: 4 });
    expect(net.layers.find((l) => l.name === 'res')).toMatchObject({ kind: 'add', elements: 2 * 8 * 8 * 16 });
    m.dispose();
  });

  it('an unsupported layer: one line naming the layer and its type, exit 1', () => {
    const dir = tmp();
    const file = path.join(dir, 'model.json');
    fs.writeFileSync(file, JSON.stringify({ format: 'layers-model', modelTopology: { class_name: 'Sequential', config: { name: 'm', layers: [
      { class_name: 'Dense', config: { name: 'd', units: 4, batch_input_shape: [null, 8] } },
      { class_name: 'SimpleRNN', config: { name: 'rnn', units: 4 } },
    ] } }, weightsManifest: [] }));
    const h = cosearch(['hw', '--network', file, '--hardware', 'eyeriss-65nm-v1']);
    expect(h.code).toBe(1);
    expect(h.stdout).toBe('');
    expect(h.stderr).toMatch(/^cosearch: layer "rnn" \(SimpleRNN\): unsupported layer type \(supported: [^\n]*\)\n$/);
  });
});
