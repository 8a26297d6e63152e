import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { initBackend, tf } from '@cosearch/backend';
import { loadDataset, type DatasetSplits } from '@cosearch/datasets';
import { defaultSupernetConfig } from '../config';
import { validateArch, type SubnetArch } from '../arch';
import { Supernet, imageBatch } from '../supernet';
import { trainSupernet } from '../train';
import { exportSubnet, SubnetModel } from '../export';
import { fileSystemHandler } from '../io';
import { tinyConfig } from '../test-config';
import { exportLayersModel, layersModelFromSubnet, saveLayersModel, LAYERS_MODEL_FORMAT } from './layers-model';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'layers-model-test-'));

/** Keras / tfjs-layers built-in classes; the export must use nothing else. */
const STANDARD = new Set(['InputLayer', 'Conv2D', 'DepthwiseConv2D', 'BatchNormalization', 'ReLU', 'Dense', 'LayerNormalization', 'Dot', 'Softmax',
  'Concatenate', 'Add', 'Multiply', 'Reshape', 'Activation', 'GlobalAveragePooling2D']);

/**
 * A plain Node program that knows nothing of cosearch: it requires only @tensorflow/tfjs (cpu
 * backend), loads model.json + weights.bin with `tf.loadLayersModel` and writes the logits.
 */
const PLAIN_SCRIPT = `
const fs = require('fs');
const path = require('path');
const [tfPath, dir, inFile, shapeJson, outFile] = process.argv.slice(2);
const tf = require(tfPath);
(async () => {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const bin = fs.readFileSync(path.join(dir, json.weightsManifest[0].paths[0]));
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0].weights,
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
  }));
  const buf = fs.readFileSync(inFile);
  const x = tf.tensor(new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4), JSON.parse(shapeJson));
  const y = model.predict(x);
  fs.writeFileSync(outFile, JSON.stringify({ backend: tf.getBackend(), shape: y.shape, logits: Array.from(y.dataSync()) }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

let mnist: DatasetSplits;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  mnist = loadDataset({ name: 'mnist' });
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function argmaxRows(v: ArrayLike<number>, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < v.length / cols; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (v[r * cols + c] > v[r * cols + best]) best = c;
    out.push(best);
  }
  return out;
}

describe('subnet → standard tfjs LayersModel', () => {
  test('MNIST hybrid subnet: a plain tfjs program loads model.json + weights.bin and reproduces the supernet logits on 256 test images', async () => {
    const cfg = defaultSupernetConfig();
    const net = Supernet.create(cfg, 0);
    // a short one-phase training (ViT blocks sampled) so the weights, BN and LN are not at their init values
    await trainSupernet(net, mnist, { mode: 'one', steps: 12, batchSize: 32, quiet: true, conflictEvery: 0 });
    // every block kind of the default space: MBConv k3/k5 e2/e4, ViT with 1 and 2 heads, MLP ratio 1 and 2
    const arch: SubnetArch = validateArch(cfg, { stages: [
      { width: 24, blocks: [{ type: 'mbconv', kernel: 5, expansion: 4 }, { type: 'mbconv', kernel: 3, expansion: 2 }] },
      { width: 32, blocks: [{ type: 'vit', heads: 2, mlpRatio: 2 }, { type: 'mbconv', kernel: 5, expansion: 2 }] },
      { width: 40, blocks: [{ type: 'mbconv', kernel: 3, expansion: 4 }, { type: 'vit', heads: 1, mlpRatio: 1 }] },
    ] });
    const dir = tmp();
    const calibration = mnist.train;
    const model = await exportLayersModel(net, arch, dir, calibration);
    const n = 256;
    const x = imageBatch(mnist.test, 0, n);
    const expected = net.logits(arch, x, { kind: 'stats', stats: net.calibrate(arch, calibration) }).dataSync();

    // model.json is a tfjs layers-model made only of built-in classes
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.userDefinedMetadata.cosearch.format).toBe(LAYERS_MODEL_FORMAT);
    const classes = new Set<string>(json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name));
    expect([...classes].filter((c) => !STANDARD.has(c))).toEqual([]);
    expect(classes.has('Dot') && classes.has('LayerNormalization') && classes.has('DepthwiseConv2D')).toBe(true);

    // 1) in this process, through tfjs's own loader
    const loaded = await tf.loadLayersModel(fileSystemHandler(dir));
    const inProcess = (loaded.predict(x) as tf.Tensor).dataSync();
    // 2) in a separate plain Node process (cpu backend), through tf.io.fromMemory
    const inFile = path.join(dir, 'x.f32');
    const outFile = path.join(dir, 'y.json');
    fs.writeFileSync(inFile, Buffer.from(x.dataSync().buffer));
    const script = path.join(dir, 'plain.cjs');
    fs.writeFileSync(script, PLAIN_SCRIPT);
    execFileSync(process.execPath, [script, require.resolve('@tensorflow/tfjs'), dir, inFile, JSON.stringify(x.shape), outFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    const plain = JSON.parse(fs.readFileSync(outFile, 'utf8')) as { backend: string; shape: number[]; logits: number[] };
    expect(plain.backend).toBe('cpu');
    expect(plain.shape).toEqual([n, 10]);

    const dIn = maxAbsDiff(inProcess, expected);
    const dPlain = maxAbsDiff(plain.logits, expected);
    const scale = Math.max(...Array.from(expected, Math.abs));
    // tolerance: float32 reassociation (different kernels, the folded 1/√d and 1.702 constants) — 1e-4 absolute on logits of magnitude ≈ 1–10
    expect(dIn).toBeLessThan(1e-4);
    expect(dPlain).toBeLessThan(1e-4);
    expect(argmaxRows(plain.logits, 10)).toEqual(argmaxRows(expected, 10));
    process.stderr.write(`[layers-model export] MNIST hybrid subnet, ${n} test images: max |Δlogit| in-process ${dIn.toExponential(2)}, plain node (cpu) ${dPlain.toExponential(2)}, max |logit| ${scale.toFixed(2)}, ${model.countParams()} parameters\n`);
    model.dispose(); loaded.dispose(); x.dispose(); net.dispose();
  }, 240_000);

  test('from an exported cosearch-subnet-v1 folder, with squeeze-excite: same logits as SubnetModel', async () => {
    const cfg = { ...tinyConfig(), stages: [{ ...tinyConfig().stages[0], squeezeExcite: true }] };
    const arch: SubnetArch = { stages: [{ width: 8, blocks: [{ type: 'vit', heads: 2, mlpRatio: 1 }, { type: 'mbconv', kernel: 5, expansion: 2 }] }] };
    const data = loadDataset({ name: 'synthetic', seed: 2, options: { height: 8, width: 8, channels: 1, numClasses: 3, samples: 200 } });
    const net = Supernet.create(cfg, 3);
    const sub = tmp();
    await exportSubnet(net, arch, sub, data.train);
    const ref = await SubnetModel.load(sub);
    const model = await layersModelFromSubnet(sub);
    const out = tmp();
    await saveLayersModel(model, out);
    const loaded = await tf.loadLayersModel(fileSystemHandler(out));
    const x = imageBatch(data.train, 0, 32);
    const d = maxAbsDiff((loaded.predict(x) as tf.Tensor).dataSync(), ref.predict(x).dataSync());
    expect(d).toBeLessThan(1e-5);
    const classes = (loaded.layers.map((l) => l.getClassName()));
    expect(classes).toContain('Multiply');
    expect(classes.filter((c) => !STANDARD.has(c))).toEqual([]);
    ref.dispose(); model.dispose(); loaded.dispose(); net.dispose();
  });

  test('a subnet folder in another format is refused with the file and the format', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: {}, weightsManifest: [] }));
    await expect(layersModelFromSubnet(dir)).rejects.toThrow(/model\.json.*format "layers-model", expected cosearch-subnet-v1/);
  });
});
