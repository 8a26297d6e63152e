/**
 * Generates the example network files in experiments/networks/ from core layer helpers, so the
 * shapes (output sizes, MACs) follow from the layer definitions instead of being typed by hand.
 * Run: node --conditions=@cosearch/source --import tsx tools/gen-networks.ts
 * Published MAC counts checked in packages/hardware/src/networks.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { conv2d, depthwise2d, networkTotals, type LayerSpec } from '@cosearch/core';

type Act = 'relu' | 'relu6' | 'gelu' | 'swish' | 'sigmoid' | 'hswish';

/** Tracks the current activation shape while layers are appended. */
class Builder {
  readonly layers: LayerSpec[] = [];
  constructor(public h: number, public w: number, public c: number, public block = 'stem') {}
  private n(name: string) {
    return `${this.block}.${name}`;
  }
  conv(name: string, out: number, kernel: number, stride = 1, padding: 'same' | 'valid' = 'same', groups = 1): this {
    const l = conv2d({ name: this.n(name), inChannels: this.c, outChannels: out, inHeight: this.h, inWidth: this.w, kernel, stride, padding, groups, block: this.block });
    this.layers.push(l);
    this.h = l.outHeight; this.w = l.outWidth; this.c = out;
    return this;
  }
  dw(name: string, kernel: number, stride = 1): this {
    const l = depthwise2d({ name: this.n(name), channels: this.c, inHeight: this.h, inWidth: this.w, kernel, stride, block: this.block });
    this.layers.push(l);
    this.h = l.outHeight; this.w = l.outWidth;
    return this;
  }
  norm(name: string, op: 'batchnorm' | 'layernorm' = 'batchnorm', elements = this.h * this.w * this.c): this {
    this.layers.push({ kind: 'norm', name: this.n(name), op, elements, block: this.block });
    return this;
  }
  act(name: string, fn: Act, elements = this.h * this.w * this.c): this {
    this.layers.push({ kind: 'activation', name: this.n(name), fn, elements, block: this.block });
    return this;
  }
  add(name: string, elements = this.h * this.w * this.c): this {
    this.layers.push({ kind: 'add', name: this.n(name), elements, block: this.block });
    return this;
  }
  pool(name: string, op: 'max' | 'avg', kernel: number, stride: number, pad = 0): this {
    const oh = Math.floor((this.h + 2 * pad - kernel) / stride) + 1;
    const ow = Math.floor((this.w + 2 * pad - kernel) / stride) + 1;
    this.layers.push({ kind: 'pool', name: this.n(name), op, batch: 1, channels: this.c, inHeight: this.h, inWidth: this.w, kernelH: kernel, kernelW: kernel, outHeight: oh, outWidth: ow, block: this.block });
    this.h = oh; this.w = ow;
    return this;
  }
  globalPool(name: string): this {
    return this.pool(name, 'avg', this.h, 1);
  }
  /** Token-wise linear on `rows` tokens (rows = batch × tokens). */
  dense(name: string, rows: number, inF: number, outF: number): this {
    this.layers.push({ kind: 'dense', name: this.n(name), batch: rows, inFeatures: inF, outFeatures: outF, block: this.block });
    return this;
  }
  fc(name: string, out: number): this {
    this.dense(name, 1, this.h * this.w * this.c, out);
    this.h = 1; this.w = 1; this.c = out;
    return this;
  }
  /** Pre-norm transformer encoder block on `tokens` × `dim` (multi-head self-attention + MLP). */
  transformer(tokens: number, dim: number, heads: number, mlpRatio: number): this {
    const hd = dim / heads;
    const e = tokens * dim;
    this.norm('ln1', 'layernorm', e).dense('qkv', tokens, dim, 3 * dim);
    this.layers.push({ kind: 'matmul', name: this.n('qk'), batch: heads, m: tokens, k: hd, n: tokens, block: this.block });
    this.layers.push({ kind: 'softmax', name: this.n('softmax'), rows: heads * tokens, cols: tokens, block: this.block });
    this.layers.push({ kind: 'matmul', name: this.n('av'), batch: heads, m: tokens, k: tokens, n: hd, block: this.block });
    this.dense('proj', tokens, dim, dim).add('add1', e);
    this.norm('ln2', 'layernorm', e).dense('fc1', tokens, dim, dim * mlpRatio).act('gelu', 'gelu', tokens * dim * mlpRatio);
    return this.dense('fc2', tokens, dim * mlpRatio, dim).add('add2', e);
  }
}

function lenet5(): LayerSpec[] {
  // LeCun et al. 1998, full C3 connectivity, 32×32 input, max pooling.
  const b = new Builder(32, 32, 1, 'features');
  b.conv('c1', 6, 5, 1, 'valid').act('relu1', 'relu').pool('s2', 'max', 2, 2);
  b.conv('c3', 16, 5, 1, 'valid').act('relu3', 'relu').pool('s4', 'max', 2, 2);
  b.block = 'classifier';
  b.fc('f5', 120).act('relu5', 'relu').fc('f6', 84).act('relu6', 'relu').fc('out', 10);
  return b.layers;
}

function vgg16(): LayerSpec[] {
  // Simonyan & Zisserman 2015, configuration D, 224×224×3.
  const b = new Builder(224, 224, 3);
  const stages = [[64, 2], [128, 2], [256, 3], [512, 3], [512, 3]];
  stages.forEach(([ch, n], s) => {
    b.block = `stage${s + 1}`;
    for (let i = 0; i < n; i++) b.conv(`conv${i + 1}`, ch, 3).act(`relu${i + 1}`, 'relu');
    b.pool('pool', 'max', 2, 2);
  });
  b.block = 'classifier';
  b.fc('fc6', 4096).act('relu6', 'relu').fc('fc7', 4096).act('relu7', 'relu').fc('fc8', 1000);
  return b.layers;
}

function resnet50(): LayerSpec[] {
  // He et al. 2016, torchvision v1.5 (stride on the 3×3 conv), 224×224×3.
  const b = new Builder(224, 224, 3);
  b.conv('conv1', 64, 7, 2).norm('bn1').act('relu', 'relu').pool('maxpool', 'max', 3, 2, 1);
  const stages: [number, number, number][] = [[64, 3, 1], [128, 4, 2], [256, 6, 2], [512, 3, 2]];
  stages.forEach(([width, blocks, stride], s) => {
    for (let i = 0; i < blocks; i++) {
      b.block = `layer${s + 1}.${i}`;
      const inC = b.c, inH = b.h, inW = b.w;
      const st = i === 0 ? stride : 1;
      b.conv('conv1', width, 1).norm('bn1').act('relu1', 'relu');
      b.conv('conv2', width, 3, st).norm('bn2').act('relu2', 'relu');
      b.conv('conv3', width * 4, 1).norm('bn3');
      if (i === 0) {
        const ds = conv2d({ name: `${b.block}.downsample`, inChannels: inC, outChannels: width * 4, inHeight: inH, inWidth: inW, kernel: 1, stride: st, block: b.block });
        b.layers.push(ds);
      }
      b.add('add').act('relu3', 'relu');
    }
  });
  b.block = 'head';
  b.globalPool('avgpool').fc('fc', 1000);
  return b.layers;
}

function mobilenetV2(): LayerSpec[] {
  // Sandler et al. 2018, width 1.0, 224×224×3; settings (t, c, n, s).
  const b = new Builder(224, 224, 3);
  b.conv('conv', 32, 3, 2).norm('bn').act('relu6', 'relu6');
  const settings = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];
  let idx = 0;
  for (const [t, c, n, s] of settings) {
    for (let i = 0; i < n; i++) {
      b.block = `block${++idx}`;
      const inC = b.c;
      const stride = i === 0 ? s : 1;
      if (t !== 1) b.conv('expand', inC * t, 1).norm('bn1').act('relu6a', 'relu6');
      b.dw('dw', 3, stride).norm('bn2').act('relu6b', 'relu6');
      b.conv('project', c, 1).norm('bn3');
      if (stride === 1 && inC === c) b.add('add');
    }
  }
  b.block = 'head';
  b.conv('conv', 1280, 1).norm('bn').act('relu6', 'relu6').globalPool('avgpool').fc('fc', 1000);
  return b.layers;
}

function vitTiny(): LayerSpec[] {
  // A small ViT for 32×32×3 (CIFAR): 4×4 patches → 64 tokens + class token, dim 192, 6 blocks, 3 heads, MLP 4×.
  const b = new Builder(32, 32, 3, 'patch');
  b.conv('embed', 192, 4, 4, 'valid');
  const tokens = 65;
  for (let i = 0; i < 6; i++) {
    b.block = `encoder${i}`;
    b.transformer(tokens, 192, 3, 4);
  }
  b.block = 'head';
  b.norm('ln', 'layernorm', 192).dense('fc', 1, 192, 10);
  return b.layers;
}

function hybrid(): LayerSpec[] {
  // H4H-NAS-style hybrid for 32×32×3: a MobileNet-like convolutional front end down to 8×8×128,
  // then 64 tokens of dim 128 through 4 transformer blocks (4 heads, MLP 2×), then a classifier.
  const b = new Builder(32, 32, 3);
  b.conv('conv', 32, 3, 1).norm('bn').act('relu', 'relu');
  const convBlocks: [number, number][] = [[64, 2], [96, 1], [128, 2]];
  convBlocks.forEach(([c, s], i) => {
    b.block = `conv${i + 1}`;
    const inC = b.c;
    b.conv('expand', inC * 4, 1).norm('bn1').act('swish1', 'swish');
    b.dw('dw', 3, s).norm('bn2').act('swish2', 'swish');
    b.conv('project', c, 1).norm('bn3');
  });
  const tokens = b.h * b.w;
  for (let i = 0; i < 4; i++) {
    b.block = `attn${i + 1}`;
    b.transformer(tokens, 128, 4, 2);
  }
  b.block = 'head';
  b.norm('ln', 'layernorm', tokens * 128).globalPool('avgpool').fc('fc', 10);
  return b.layers;
}

const NETWORKS: [string, string, () => LayerSpec[]][] = [
  ['lenet5', 'LeNet-5 (LeCun et al. 1998), 32×32×1, full C3 connectivity', lenet5],
  ['vgg16', 'VGG-16 configuration D (Simonyan & Zisserman 2015), 224×224×3', vgg16],
  ['resnet50', 'ResNet-50 v1.5 (He et al. 2016; torchvision), 224×224×3', resnet50],
  ['mobilenetv2', 'MobileNetV2 1.0 (Sandler et al. 2018), 224×224×3', mobilenetV2],
  ['vit-tiny-cifar', 'small ViT, 32×32×3, patch 4, dim 192, depth 6, 3 heads, MLP 4×', vitTiny],
  ['hybrid-cnn-vit-cifar', 'hybrid CNN/ViT (H4H-NAS style), 32×32×3: MBConv front end to 8×8×128, 4 transformer blocks', hybrid],
];

const dir = join(__dirname, '..', 'experiments', 'networks');
for (const [name, description, build] of NETWORKS) {
  const layers = build();
  const t = networkTotals(layers);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ name, description, generatedBy: 'tools/gen-networks.ts', macs: t.macs, weights: t.weights, layers }, null, 1) + '\n');
  process.stdout.write(`${name}: ${layers.length} layers, ${(t.macs / 1e6).toFixed(2)} M MACs, ${(t.weights / 1e6).toFixed(3)} M weights\n`);
}
