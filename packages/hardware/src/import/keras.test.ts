import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { layerMacs, layerWeights, networkTotals, type LayerSpec } from '@cosearch/core';
import { importKerasModel, isKerasModel, networkFromJson } from './keras';
import { evaluate } from '../evaluate';
import { getHardwarePreset } from '../presets';

/**
 * Fixture: MobileNet-v1 1.0/224 written by tools/gen-mobilenet-topology.ts (tfjs functional API,
 * Keras Applications layer names; topology only). Its userDefinedMetadata holds tfjs's own
 * parameter counts of the model it serialised.
 */
const MOBILENET = path.join(__dirname, '..', '__fixtures__', 'mobilenet-v1-224.model.json');

const macs = (layers: LayerSpec[]) => layers.reduce((n, l) => n + layerMacs(l), 0);
const byName = (layers: LayerSpec[], name: string) => layers.find((l) => l.name === name)!;

describe('Keras / tfjs topology → LayerSpec', () => {
  test('MobileNet-v1 1.0/224: 569 M MACs (Howard et al. 2017, Table 8) and tfjs\'s own kernel parameter count', () => {
    const raw = JSON.parse(fs.readFileSync(MOBILENET, 'utf8'));
    expect(isKerasModel(raw)).toBe(true);
    const net = importKerasModel(raw);
    expect(net.name).toBe('mobilenet_1.00_224');
    const total = macs(net.layers);
    // The paper's table gives 569 million mult-adds (3 significant figures)
    expect(Math.abs(total - 569e6)).toBeLessThanOrEqual(0.5e6);
    // 28 layers counting depthwise and pointwise separately (paper, section 3.2), the classifier included
    expect(net.layers.filter((l) => l.kind === 'conv' || l.kind === 'depthwise')).toHaveLength(28);
    // static weights = what tfjs counted in the layers' kernels; the paper's 4.2 M parameters
    expect(networkTotals(net.layers).weights).toBe(raw.userDefinedMetadata.kernelParams);
    expect(networkTotals(net.layers).weights / 1e6).toBeCloseTo(4.2, 1);
    // shape inference: stride-2 depthwise after ZeroPadding2D((0,1),(0,1)) + 'valid' halves 112 → 56
    expect(byName(net.layers, 'conv_dw_2')).toMatchObject({ kind: 'depthwise', inHeight: 113, outHeight: 56, strideH: 2, channels: 64 });
    expect(byName(net.layers, 'conv_pw_13')).toMatchObject({ kind: 'conv', inChannels: 1024, outChannels: 1024, outHeight: 7 });
    expect(byName(net.layers, 'conv_preds')).toMatchObject({ kind: 'conv', inChannels: 1024, outChannels: 1000, outHeight: 1, kernelH: 1 });
    expect(byName(net.layers, 'act_softmax')).toMatchObject({ kind: 'softmax', rows: 1, cols: 1000 });
    expect(byName(net.layers, 'conv1_relu')).toMatchObject({ kind: 'activation', fn: 'relu6', elements: 112 * 112 * 32 });
    process.stderr.write(`[keras import] MobileNet-v1 1.0/224: ${total} MACs (paper 569 M), ${networkTotals(net.layers).weights} weights\n`);
    // batch option scales every layer, and the result runs through the hardware model
    const b4 = importKerasModel(raw, { batch: 4, bits: 8 });
    expect(macs(b4.layers)).toBe(4 * total);
    const r = evaluate(net.layers, getHardwarePreset('eyeriss-65nm-v1'));
    expect(r.macs).toBe(total);
    expect(r.latencyS).toBeGreaterThan(0);
  });

  test('the fixture is what tools/gen-mobilenet-topology.ts writes (provenance)', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mobilenet-')), 'model.json');
    const root = path.join(__dirname, '..', '..', '..', '..');
    const r = spawnSync(process.execPath, ['--conditions=@cosearch/source', '--import', 'tsx', path.join(root, 'tools', 'gen-mobilenet-topology.ts'), out], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual(JSON.parse(fs.readFileSync(MOBILENET, 'utf8')));
  }, 60_000);

  test('Keras 3 functional JSON: SeparableConv2D, MultiHeadAttention, Concatenate, Dense on tokens, LayerNorm — hand count', () => {
    const t = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [], dtype: 'float32', keras_history: [name, 0, 0] } });
    const node = (...names: string[]) => [{ args: names.length === 1 ? [t(names[0])] : [names.map(t)], kwargs: {} }];
    const model = {
      class_name: 'Functional',
      config: {
        name: 'hybrid',
        layers: [
          { class_name: 'InputLayer', name: 'in', config: { batch_shape: [null, 16, 16, 3], name: 'in' }, inbound_nodes: [] },
          { class_name: 'SeparableConv2D', name: 'sep', config: { filters: 8, kernel_size: [3, 3], strides: [2, 2], padding: 'same', depth_multiplier: 2, activation: 'relu' }, inbound_nodes: node('in') },
          { class_name: 'Reshape', name: 'tok', config: { target_shape: [64, 8] }, inbound_nodes: node('sep') },
          { class_name: 'LayerNormalization', name: 'ln', config: { axis: -1, epsilon: 1e-5 }, inbound_nodes: node('tok') },
          { class_name: 'MultiHeadAttention', name: 'mha', config: { num_heads: 2, key_dim: 4, value_dim: null, output_shape: null },
            inbound_nodes: [{ args: [t('ln')], kwargs: { value: t('ln') } }] },
          { class_name: 'Add', name: 'res', config: {}, inbound_nodes: node('tok', 'mha') },
          { class_name: 'Dense', name: 'mlp', config: { units: 16, activation: 'gelu' }, inbound_nodes: node('res') },
          { class_name: 'Concatenate', name: 'cat', config: { axis: -1 }, inbound_nodes: node('res', 'mlp') },
          { class_name: 'GlobalAveragePooling1D', name: 'pool', config: {}, inbound_nodes: node('cat') },
          { class_name: 'Dropout', name: 'drop', config: { rate: 0.1 }, inbound_nodes: node('pool') },
          { class_name: 'Dense', name: 'head', config: { units: 10, activation: 'softmax' }, inbound_nodes: node('drop') },
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['head', 0, 0]],
      },
    };
    const net = importKerasModel(model);
    const L = net.layers;
    // hand count: 16×16×3 → depthwise 3×3/2, multiplier 2 (grouped conv, 6 channels) → 8×8×6 → pointwise 6→8
    const sepDw = 8 * 8 * 6 * 9; // out pixels × out channels × (in/groups = 1) × 3×3
    const sepPw = 8 * 8 * 8 * 6;
    // MHA on 64 tokens × 8, 2 heads of 4: q, k, v projections 64·8·8 each, QKᵀ 2·64·4·64, AV 2·64·64·4, output 64·8·8
    const mha = 3 * 64 * 8 * 8 + 2 * 64 * 4 * 64 + 2 * 64 * 64 * 4 + 64 * 8 * 8;
    const mlp = 64 * 8 * 16;
    const head = 24 * 10; // concat 8 + 16 = 24 features after pooling
    expect(macs(L)).toBe(sepDw + sepPw + mha + mlp + head);
    expect(byName(L, 'sep/depthwise')).toMatchObject({ kind: 'conv', groups: 3, inChannels: 3, outChannels: 6, outHeight: 8 });
    expect(byName(L, 'sep/act')).toMatchObject({ kind: 'activation', fn: 'relu', elements: 8 * 8 * 8 });
    expect(byName(L, 'mha/softmax')).toMatchObject({ kind: 'softmax', rows: 2 * 64, cols: 64 });
    expect(byName(L, 'mlp')).toMatchObject({ kind: 'dense', batch: 64, inFeatures: 8, outFeatures: 16 });
    expect(byName(L, 'mlp/act')).toMatchObject({ fn: 'gelu' });
    expect(byName(L, 'pool')).toMatchObject({ kind: 'pool', op: 'avg', inHeight: 64, channels: 24 });
    expect(byName(L, 'head/act')).toMatchObject({ kind: 'softmax', rows: 1, cols: 10 });
    expect(L.map((l) => l.name)).toEqual(['sep/depthwise', 'sep/pointwise', 'sep/act', 'ln', 'mha/query', 'mha/key', 'mha/value', 'mha/qk', 'mha/softmax', 'mha/av', 'mha/output',
      'res', 'mlp', 'mlp/act', 'pool', 'head', 'head/act']);
    expect(L.reduce((n, l) => n + layerWeights(l), 0)).toBe(6 * 9 + 6 * 8 + 4 * 8 * 8 + 8 * 16 + 24 * 10);
  });

  test('an unsupported layer, an unsupported activation, channels_first: one line naming the layer and its type', () => {
    const seq = (layer: object) => ({ modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [
      { class_name: 'Dense', config: { name: 'd1', units: 4, batch_input_shape: [null, 8] } }, layer] } } });
    const err = (raw: unknown) => { try { importKerasModel(raw); } catch (e) { return (e as Error).message; } return 'no error'; };
    const lambda = err(seq({ class_name: 'Lambda', config: { name: 'my_fn', function: 'x' } }));
    expect(lambda).toMatch(/^layer "my_fn" \(Lambda\): unsupported layer type \(supported: InputLayer, Conv2D, .*MultiHeadAttention/);
    expect(lambda).not.toMatch(/\n/);
    expect(err(seq({ class_name: 'Activation', config: { name: 'act', activation: 'tanh' } }))).toMatch(/^layer "act" \(Activation\): activation "tanh" has no cost model/);
    expect(err({ class_name: 'Sequential', config: { layers: [{ class_name: 'Conv2D', config: { name: 'c', filters: 2, kernel_size: 3, data_format: 'channels_first', batch_input_shape: [null, 3, 8, 8] } }] } }))
      .toMatch(/^layer "c" \(Conv2D\): data_format channels_first/);
    expect(err({ class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd', units: 2 } }] } })).toMatch(/^layer "d" \(Dense\): the model declares no input shape/);
  });

  test('networkFromJson: the project\'s LayerSpec files pass through unchanged; Sequential with an InputLayer', () => {
    const own = { name: 'tiny', layers: [{ kind: 'dense', name: 'fc', batch: 1, inFeatures: 4, outFeatures: 2 }] };
    expect(isKerasModel(own)).toBe(false);
    expect(networkFromJson(own).layers).toEqual(own.layers);
    const seq = { class_name: 'Sequential', config: { name: 'mlp', layers: [
      { class_name: 'InputLayer', config: { name: 'x', batch_input_shape: [null, 28, 28, 1] } },
      { class_name: 'Conv2D', config: { name: 'c', filters: 4, kernel_size: [5, 5], strides: [1, 1], padding: 'valid', dilation_rate: [2, 2] } },
      { class_name: 'MaxPooling2D', config: { name: 'p', pool_size: [2, 2], padding: 'valid' } },
      { class_name: 'Flatten', config: { name: 'f' } },
      { class_name: 'Dense', config: { name: 'fc', units: 10 } },
    ] } };
    const net = networkFromJson(seq, { batch: 2 });
    // dilation 2: effective kernel 9 → 20×20; pool 2 → 10×10; 400 features
    expect(net.layers.map((l) => [l.name, layerMacs(l)])).toEqual([['c', 2 * 20 * 20 * 4 * 25], ['p', 0], ['fc', 2 * 400 * 10]]);
  });
});
