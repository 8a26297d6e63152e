import { conv2d, depthwise2d, layerWeights, networkTotals, type LayerSpec } from '@cosearch/core';
import { seChannels, stageSizes, type SupernetConfig } from './config';
import type { SubnetArch } from './arch';

export interface SubnetLayersOptions {
  /** Images per inference (default 1). */
  batch?: number;
  /** Operand width for every layer (default: core's DEFAULT_BITS). */
  bits?: number;
}

/** Kernel of a stage's transition conv: 3×3 when it downsamples, 1×1 otherwise (mirrors the forward pass). */
export function transitionKernel(stride: number): number {
  return stride > 1 ? 3 : 1;
}

/**
 * The subnet as core `LayerSpec`s with real shapes, in execution order, mirroring `forward` op
 * for op: stem conv+BN+ReLU; per stage a transition conv+BN+ReLU; MBConv = 1×1 expand, BN,
 * ReLU6, k×k depthwise, BN, ReLU6, 1×1 project, BN, residual add; ViT = position add, LayerNorm,
 * QKV dense, QKᵀ and AV matmuls (batch × heads), softmax, output dense, add, LayerNorm, MLP
 * (dense, GELU, dense), add; then global average pool and the classifier dense. Needs no tfjs.
 */
export function subnetLayers(cfg: SupernetConfig, arch: SubnetArch, opts: SubnetLayersOptions = {}): LayerSpec[] {
  const B = opts.batch ?? 1;
  const bits = opts.bits;
  const wb = (l: LayerSpec): LayerSpec => (bits === undefined ? l : { ...l, inputBits: bits, weightBits: bits, outputBits: bits });
  const out: LayerSpec[] = [];
  const push = (l: LayerSpec) => out.push(wb(l));
  const sizes = stageSizes(cfg);
  let [H, W] = [cfg.inputHeight, cfg.inputWidth];
  let C = cfg.inputChannels;

  const convBnAct = (nm: string, block: string, cout: number, k: number, stride: number, fn: 'relu' | 'relu6') => {
    const c = conv2d({ name: `${nm}.conv`, batch: B, inChannels: C, outChannels: cout, inHeight: H, inWidth: W, kernel: k, stride, block });
    push(c);
    H = c.outHeight; W = c.outWidth; C = cout;
    push({ kind: 'norm', op: 'batchnorm', name: `${nm}.bn`, elements: B * C * H * W, block });
    push({ kind: 'activation', fn, name: `${nm}.act`, elements: B * C * H * W, block });
  };

  convBnAct('stem', 'stem', cfg.stemChannels, cfg.stemKernel, cfg.stemStride, 'relu');
  arch.stages.forEach((st, i) => {
    const s = cfg.stages[i];
    const sn = `s${i + 1}`;
    convBnAct(`${sn}.trans`, `${sn}.trans`, st.width, transitionKernel(s.stride), s.stride, 'relu');
    if (H !== sizes.stages[i][0] || W !== sizes.stages[i][1]) throw new Error('internal: stage size mismatch');
    st.blocks.forEach((b, j) => {
      const bn = `${sn}.b${j + 1}`;
      const e = B * C * H * W;
      if (b.type === 'mbconv') {
        const hid = C * b.expansion;
        push(conv2d({ name: `${bn}.expand`, batch: B, inChannels: C, outChannels: hid, inHeight: H, inWidth: W, kernel: 1, block: bn }));
        push({ kind: 'norm', op: 'batchnorm', name: `${bn}.bn1`, elements: B * hid * H * W, block: bn });
        push({ kind: 'activation', fn: 'relu6', name: `${bn}.act1`, elements: B * hid * H * W, block: bn });
        push(depthwise2d({ name: `${bn}.dw`, batch: B, channels: hid, inHeight: H, inWidth: W, kernel: b.kernel, block: bn }));
        push({ kind: 'norm', op: 'batchnorm', name: `${bn}.bn2`, elements: B * hid * H * W, block: bn });
        push({ kind: 'activation', fn: 'relu6', name: `${bn}.act2`, elements: B * hid * H * W, block: bn });
        if (s.squeezeExcite) {
          const se = seChannels(hid);
          push({ kind: 'pool', op: 'avg', name: `${bn}.se.pool`, batch: B, channels: hid, inHeight: H, inWidth: W, kernelH: H, kernelW: W, outHeight: 1, outWidth: 1, block: bn });
          push({ kind: 'dense', name: `${bn}.se1`, batch: B, inFeatures: hid, outFeatures: se, block: bn });
          push({ kind: 'activation', fn: 'relu', name: `${bn}.se.act`, elements: B * se, block: bn });
          push({ kind: 'dense', name: `${bn}.se2`, batch: B, inFeatures: se, outFeatures: hid, block: bn });
          push({ kind: 'activation', fn: 'sigmoid', name: `${bn}.se.gate`, elements: B * hid, block: bn });
          // The gate multiply is an element-wise vector op; core LayerSpec has no 'mul' kind, 'add' has the same cost shape.
          push({ kind: 'add', name: `${bn}.se.scale`, elements: B * hid * H * W, block: bn });
        }
        push(conv2d({ name: `${bn}.project`, batch: B, inChannels: hid, outChannels: C, inHeight: H, inWidth: W, kernel: 1, block: bn }));
        push({ kind: 'norm', op: 'batchnorm', name: `${bn}.bn3`, elements: e, block: bn });
        push({ kind: 'add', name: `${bn}.residual`, elements: e, block: bn });
      } else {
        const N = H * W;
        const dh = cfg.headDim;
        const inner = b.heads * dh;
        const hid = C * b.mlpRatio;
        push({ kind: 'add', name: `${bn}.pos`, elements: e, block: bn });
        push({ kind: 'norm', op: 'layernorm', name: `${bn}.ln1`, elements: e, block: bn });
        push({ kind: 'dense', name: `${bn}.qkv`, batch: B * N, inFeatures: C, outFeatures: 3 * inner, block: bn });
        push({ kind: 'matmul', name: `${bn}.qk`, batch: B * b.heads, m: N, k: dh, n: N, block: bn });
        push({ kind: 'softmax', name: `${bn}.softmax`, rows: B * b.heads * N, cols: N, block: bn });
        push({ kind: 'matmul', name: `${bn}.av`, batch: B * b.heads, m: N, k: N, n: dh, block: bn });
        push({ kind: 'dense', name: `${bn}.proj`, batch: B * N, inFeatures: inner, outFeatures: C, block: bn });
        push({ kind: 'add', name: `${bn}.residual1`, elements: e, block: bn });
        push({ kind: 'norm', op: 'layernorm', name: `${bn}.ln2`, elements: e, block: bn });
        push({ kind: 'dense', name: `${bn}.mlp1`, batch: B * N, inFeatures: C, outFeatures: hid, block: bn });
        push({ kind: 'activation', fn: 'gelu', name: `${bn}.gelu`, elements: B * N * hid, block: bn });
        push({ kind: 'dense', name: `${bn}.mlp2`, batch: B * N, inFeatures: hid, outFeatures: C, block: bn });
        push({ kind: 'add', name: `${bn}.residual2`, elements: e, block: bn });
      }
    });
  });
  push({ kind: 'pool', op: 'avg', name: 'head.pool', batch: B, channels: C, inHeight: H, inWidth: W, kernelH: H, kernelW: W, outHeight: 1, outWidth: 1, block: 'head' });
  push({ kind: 'dense', name: 'head.fc', batch: B, inFeatures: C, outFeatures: cfg.numClasses, block: 'head' });
  return out;
}

/**
 * Trainable parameters of a subnet: layer weights plus biases, BN/LN scales and shifts and the
 * position embeddings (what an exported subnet stores, BN running statistics excluded).
 */
export function subnetParams(cfg: SupernetConfig, arch: SubnetArch): number {
  const layers = subnetLayers(cfg, arch);
  let n = 0;
  for (const l of layers) {
    n += layerWeights(l);
    if (l.kind === 'dense') n += l.outFeatures; // bias (qkv, proj, mlp, classifier)
    if (l.kind === 'norm') {
      const ch = l.op === 'batchnorm' ? channelsOfBn(layers, l.name) : 0;
      n += l.op === 'batchnorm' ? 2 * ch : 0;
    }
  }
  // LayerNorm γ, β and position embeddings: 2·C per LN, N·C per ViT block.
  const sizes = stageSizes(cfg);
  arch.stages.forEach((st, i) => {
    const N = sizes.stages[i][0] * sizes.stages[i][1];
    for (const b of st.blocks) if (b.type === 'vit') n += 4 * st.width + N * st.width;
  });
  return n;
}

function channelsOfBn(layers: readonly LayerSpec[], bnName: string): number {
  // A BN follows the conv/depthwise that produced its channels.
  const idx = layers.findIndex((l) => l.name === bnName);
  for (let i = idx - 1; i >= 0; i--) {
    const l = layers[i];
    if (l.kind === 'conv') return l.outChannels;
    if (l.kind === 'depthwise') return l.channels;
  }
  throw new Error(`internal: no conv before ${bnName}`);
}

/** MACs per image of a subnet. */
export function subnetMacs(cfg: SupernetConfig, arch: SubnetArch): number {
  return networkTotals(subnetLayers(cfg, arch)).macs;
}
