import { ConfigError } from './errors';

/**
 * `LayerSpec`: the network description the supernet (or a JSON network file) hands to the
 * hardware model. Shapes follow the 7-D conv nest N,K,C,R,S,P,Q (REFERENCES §4):
 * batch N, outChannels K, inChannels C, kernel R×S, output P×Q. Bit widths are per operand.
 * A dense layer is a GEMM [batch×inFeatures]·[inFeatures×outFeatures] with static weights; a
 * `matmul` is a GEMM whose two operands are both activations (attention QKᵀ and AV), repeated
 * `batch` times (batch × heads).
 */
export type LayerKind = 'conv' | 'depthwise' | 'dense' | 'matmul' | 'pool' | 'norm' | 'activation' | 'add' | 'softmax';

interface LayerBase {
  name: string;
  /** Operand widths in bits (default 8). */
  inputBits?: number;
  weightBits?: number;
  outputBits?: number;
  /** Optional group label (e.g. the supernet block the layer belongs to) for reports. */
  block?: string;
}

export interface ConvLayer extends LayerBase {
  kind: 'conv';
  batch: number;
  inChannels: number;
  outChannels: number;
  inHeight: number;
  inWidth: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  outHeight: number;
  outWidth: number;
  /** Grouped convolution (1 = dense conv). */
  groups?: number;
}

/** Depthwise conv: one R×S filter per channel (groups = channels, multiplier 1). */
export interface DepthwiseLayer extends LayerBase {
  kind: 'depthwise';
  batch: number;
  channels: number;
  inHeight: number;
  inWidth: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  outHeight: number;
  outWidth: number;
}

/** Fully connected / token-wise linear: rows × inFeatures times inFeatures × outFeatures (static weights). */
export interface DenseLayer extends LayerBase {
  kind: 'dense';
  /** Rows of the input matrix: batch × tokens. */
  batch: number;
  inFeatures: number;
  outFeatures: number;
}

/** GEMM of two activations, [m×k]·[k×n], `batch` times (e.g. batch × heads for attention). */
export interface MatmulLayer extends LayerBase {
  kind: 'matmul';
  batch: number;
  m: number;
  k: number;
  n: number;
}

export interface PoolLayer extends LayerBase {
  kind: 'pool';
  op: 'max' | 'avg';
  batch: number;
  channels: number;
  inHeight: number;
  inWidth: number;
  kernelH: number;
  kernelW: number;
  outHeight: number;
  outWidth: number;
}

/** Element-wise vector-unit work over `elements` values (per batch included). */
export interface NormLayer extends LayerBase {
  kind: 'norm';
  op: 'batchnorm' | 'layernorm';
  elements: number;
}
export interface ActivationLayer extends LayerBase {
  kind: 'activation';
  fn: 'relu' | 'relu6' | 'gelu' | 'swish' | 'sigmoid' | 'hswish';
  elements: number;
}
export interface AddLayer extends LayerBase {
  kind: 'add';
  elements: number;
}
/** Softmax over `rows` rows of `cols` values. */
export interface SoftmaxLayer extends LayerBase {
  kind: 'softmax';
  rows: number;
  cols: number;
}

export type LayerSpec =
  | ConvLayer
  | DepthwiseLayer
  | DenseLayer
  | MatmulLayer
  | PoolLayer
  | NormLayer
  | ActivationLayer
  | AddLayer
  | SoftmaxLayer;

export const DEFAULT_BITS = 8;

/** Output size of a conv/pool dimension: `same` = ⌈in/stride⌉, `valid` = ⌊(in − k)/stride⌋ + 1. */
export function convOutSize(inSize: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(inSize / stride) : Math.floor((inSize - kernel) / stride) + 1;
}

/** Builds a conv layer from input size and padding, computing the output size. */
export function conv2d(a: {
  name: string; batch?: number; inChannels: number; outChannels: number; inHeight: number; inWidth: number;
  kernel: number; stride?: number; padding?: 'same' | 'valid'; groups?: number; bits?: number; block?: string;
}): ConvLayer {
  const stride = a.stride ?? 1;
  const pad = a.padding ?? 'same';
  return {
    kind: 'conv', name: a.name, batch: a.batch ?? 1, inChannels: a.inChannels, outChannels: a.outChannels,
    inHeight: a.inHeight, inWidth: a.inWidth, kernelH: a.kernel, kernelW: a.kernel, strideH: stride, strideW: stride,
    outHeight: convOutSize(a.inHeight, a.kernel, stride, pad), outWidth: convOutSize(a.inWidth, a.kernel, stride, pad),
    groups: a.groups ?? 1, inputBits: a.bits, weightBits: a.bits, outputBits: a.bits, block: a.block,
  };
}

export function depthwise2d(a: {
  name: string; batch?: number; channels: number; inHeight: number; inWidth: number; kernel: number;
  stride?: number; padding?: 'same' | 'valid'; bits?: number; block?: string;
}): DepthwiseLayer {
  const stride = a.stride ?? 1;
  const pad = a.padding ?? 'same';
  return {
    kind: 'depthwise', name: a.name, batch: a.batch ?? 1, channels: a.channels, inHeight: a.inHeight, inWidth: a.inWidth,
    kernelH: a.kernel, kernelW: a.kernel, strideH: stride, strideW: stride,
    outHeight: convOutSize(a.inHeight, a.kernel, stride, pad), outWidth: convOutSize(a.inWidth, a.kernel, stride, pad),
    inputBits: a.bits, weightBits: a.bits, outputBits: a.bits, block: a.block,
  };
}

/** Multiply–accumulate operations of a layer (0 for vector-unit layers). */
export function layerMacs(l: LayerSpec): number {
  switch (l.kind) {
    case 'conv':
      return l.batch * l.outChannels * l.outHeight * l.outWidth * (l.inChannels / (l.groups ?? 1)) * l.kernelH * l.kernelW;
    case 'depthwise':
      return l.batch * l.channels * l.outHeight * l.outWidth * l.kernelH * l.kernelW;
    case 'dense':
      return l.batch * l.inFeatures * l.outFeatures;
    case 'matmul':
      return l.batch * l.m * l.k * l.n;
    default:
      return 0;
  }
}

/** Static weights (parameters) of a layer, biases excluded. Activation×activation matmuls have none. */
export function layerWeights(l: LayerSpec): number {
  switch (l.kind) {
    case 'conv':
      return l.outChannels * (l.inChannels / (l.groups ?? 1)) * l.kernelH * l.kernelW;
    case 'depthwise':
      return l.channels * l.kernelH * l.kernelW;
    case 'dense':
      return l.inFeatures * l.outFeatures;
    default:
      return 0;
  }
}

/** Input activation values read by a layer (both operands for `matmul`, both inputs for `add`). */
export function layerInputs(l: LayerSpec): number {
  switch (l.kind) {
    case 'conv':
      return l.batch * l.inChannels * l.inHeight * l.inWidth;
    case 'depthwise':
    case 'pool':
      return l.batch * l.channels * l.inHeight * l.inWidth;
    case 'dense':
      return l.batch * l.inFeatures;
    case 'matmul':
      return l.batch * (l.m * l.k + l.k * l.n);
    case 'norm':
    case 'activation':
      return l.elements;
    case 'add':
      return 2 * l.elements;
    case 'softmax':
      return l.rows * l.cols;
  }
}

/** Output activation values written by a layer. */
export function layerOutputs(l: LayerSpec): number {
  switch (l.kind) {
    case 'conv':
      return l.batch * l.outChannels * l.outHeight * l.outWidth;
    case 'depthwise':
    case 'pool':
      return l.batch * l.channels * l.outHeight * l.outWidth;
    case 'dense':
      return l.batch * l.outFeatures;
    case 'matmul':
      return l.batch * l.m * l.n;
    case 'norm':
    case 'activation':
    case 'add':
      return l.elements;
    case 'softmax':
      return l.rows * l.cols;
  }
}

/** Whether the layer's second operand is a static weight (CIM-mappable) rather than an activation. */
export function hasStaticWeights(l: LayerSpec): boolean {
  return l.kind === 'conv' || l.kind === 'depthwise' || l.kind === 'dense';
}

export function bitsOf(l: LayerSpec): { inputBits: number; weightBits: number; outputBits: number } {
  return { inputBits: l.inputBits ?? DEFAULT_BITS, weightBits: l.weightBits ?? DEFAULT_BITS, outputBits: l.outputBits ?? DEFAULT_BITS };
}

/** Totals over a network. */
export function networkTotals(layers: readonly LayerSpec[]): { macs: number; weights: number; activations: number } {
  let macs = 0, weights = 0, activations = 0;
  for (const l of layers) {
    macs += layerMacs(l);
    weights += layerWeights(l);
    activations += layerOutputs(l);
  }
  return { macs, weights, activations };
}

const KINDS: readonly LayerKind[] = ['conv', 'depthwise', 'dense', 'matmul', 'pool', 'norm', 'activation', 'add', 'softmax'];
const REQUIRED: Record<LayerKind, readonly string[]> = {
  conv: ['batch', 'inChannels', 'outChannels', 'inHeight', 'inWidth', 'kernelH', 'kernelW', 'strideH', 'strideW', 'outHeight', 'outWidth'],
  depthwise: ['batch', 'channels', 'inHeight', 'inWidth', 'kernelH', 'kernelW', 'strideH', 'strideW', 'outHeight', 'outWidth'],
  dense: ['batch', 'inFeatures', 'outFeatures'],
  matmul: ['batch', 'm', 'k', 'n'],
  pool: ['batch', 'channels', 'inHeight', 'inWidth', 'kernelH', 'kernelW', 'outHeight', 'outWidth'],
  norm: ['elements'],
  activation: ['elements'],
  add: ['elements'],
  softmax: ['rows', 'cols'],
};

/**
 * Validates an untrusted layer list (e.g. parsed from a network JSON file) and returns it typed.
 * Errors name the field path (`layers[3].outChannels`), the value and what is allowed.
 */
export function validateLayers(raw: unknown, path = 'layers'): LayerSpec[] {
  if (!Array.isArray(raw)) throw new ConfigError(path, raw, 'an array of layer objects');
  return raw.map((l, i) => {
    const p = `${path}[${i}]`;
    if (typeof l !== 'object' || l === null) throw new ConfigError(p, l, 'a layer object');
    const o = l as Record<string, unknown>;
    if (!KINDS.includes(o.kind as LayerKind)) throw new ConfigError(`${p}.kind`, o.kind, `one of ${KINDS.join(', ')}`);
    if (typeof o.name !== 'string' || !o.name) throw new ConfigError(`${p}.name`, o.name, 'a non-empty string');
    for (const f of REQUIRED[o.kind as LayerKind]) {
      const v = o[f];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ConfigError(`${p}.${f}`, v, 'a positive integer');
    }
    for (const f of ['inputBits', 'weightBits', 'outputBits', 'groups']) {
      const v = o[f];
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || (f !== 'groups' && v > 32))) {
        throw new ConfigError(`${p}.${f}`, v, f === 'groups' ? 'a positive integer' : 'an integer from 1 to 32');
      }
    }
    if (o.kind === 'conv' && o.groups !== undefined && (o.inChannels as number) % (o.groups as number) !== 0) {
      throw new ConfigError(`${p}.groups`, o.groups, `a divisor of inChannels (${o.inChannels})`);
    }
    return o as unknown as LayerSpec;
  });
}
