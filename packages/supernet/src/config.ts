import { asObject, booleanField, checkNumber, ConfigError, numberField, oneOf, rejectUnknownKeys, type Obj } from '@cosearch/core';

export type BlockType = 'mbconv' | 'vit';
export const BLOCK_TYPES: readonly BlockType[] = ['mbconv', 'vit'];

/**
 * One stage: a transition convolution (stride `stride`, previous width → this stage's width;
 * 3×3 when it downsamples, 1×1 otherwise), then up to max(depths) residual block slots. Every
 * slot chooses its block type among `blockTypes`; MBConv slots choose kernel and expansion,
 * ViT slots choose heads and MLP ratio. Width and depth are elastic per stage.
 */
export interface StageConfig {
  /** Elastic width choices (channels), ascending; the largest is stored. */
  widths: number[];
  /** Elastic depth choices (number of active block slots), ascending; ≥ 1. */
  depths: number[];
  /** Spatial stride of the stage's transition convolution (1 or 2). */
  stride: number;
  blockTypes: BlockType[];
  /** MBConv depthwise kernel sizes (odd), ascending; smaller ones are centre crops of the largest. */
  kernels: number[];
  /** MBConv expansion ratios, ascending (hidden = ratio × width). */
  expansions: number[];
  /** ViT head counts, ascending (each head has `headDim` channels). */
  heads: number[];
  /** ViT MLP ratios, ascending (hidden = ratio × width). */
  mlpRatios: number[];
  /** MBConv blocks of this stage get squeeze-excite (MobileNetV3; reduction 4). Fixed, not searched. Default false. */
  squeezeExcite?: boolean;
}

export interface SupernetConfig {
  inputHeight: number;
  inputWidth: number;
  inputChannels: number;
  numClasses: number;
  /** Stem: a fixed conv (not searched). */
  stemChannels: number;
  stemKernel: number;
  stemStride: number;
  /** Channels per attention head (fixed; heads are elastic). */
  headDim: number;
  stages: StageConfig[];
}

/**
 * Default space. 28×28×1 (MNIST, Fashion-MNIST): stem 3×3/2 → 14×14, stage 1 (MBConv only)
 * downsamples to 7×7, stages 2–3 stay at 7×7 (49 tokens for ViT slots) — kept small for 2
 * shared CPU cores (largest ≈ 3.7 M MACs, smallest ≈ 0.65 M). 32×32×3 (CIFAR): wider, and
 * stage 1 keeps 16×16 so stages 2–3 see 8×8 = 64 tokens.
 */
export function defaultSupernetConfig(input: { height?: number; width?: number; channels?: number; numClasses?: number } = {}): SupernetConfig {
  const h = input.height ?? 28;
  const w = input.width ?? 28;
  const c = input.channels ?? 1;
  const big = h >= 32 || c >= 3;
  const mb = { kernels: [3, 5], expansions: [2, 4], heads: [1, 2], mlpRatios: [1, 2] };
  return {
    inputHeight: h,
    inputWidth: w,
    inputChannels: c,
    numClasses: input.numClasses ?? 10,
    stemChannels: big ? 24 : 16,
    stemKernel: 3,
    stemStride: big ? 1 : 2,
    headDim: 16,
    stages: big
      ? [
          { ...mb, widths: [24, 32], depths: [1, 2], stride: 2, blockTypes: ['mbconv'] },
          { ...mb, widths: [48, 64], depths: [1, 2], stride: 2, blockTypes: ['mbconv', 'vit'] },
          { ...mb, widths: [64, 96], depths: [1, 2], stride: 1, blockTypes: ['mbconv', 'vit'] },
        ]
      : [
          { ...mb, widths: [16, 24], depths: [1, 2], stride: 2, blockTypes: ['mbconv'] },
          { ...mb, widths: [24, 32], depths: [1, 2], stride: 1, blockTypes: ['mbconv', 'vit'] },
          { ...mb, widths: [32, 40], depths: [1, 2], stride: 1, blockTypes: ['mbconv', 'vit'] },
        ],
  };
}

const TOP_KEYS = ['inputHeight', 'inputWidth', 'inputChannels', 'numClasses', 'stemChannels', 'stemKernel', 'stemStride', 'headDim', 'stages'];
const STAGE_KEYS = ['widths', 'depths', 'stride', 'blockTypes', 'kernels', 'expansions', 'heads', 'mlpRatios', 'squeezeExcite'];

function ascendingInts(v: unknown, path: string, min: number, odd = false): number[] {
  if (!Array.isArray(v) || v.length === 0) throw new ConfigError(path, v, 'a non-empty ascending list of integers');
  v.forEach((x, i) => {
    checkNumber(x, `${path}[${i}]`, { integer: true, min });
    if (odd && x % 2 !== 1) throw new ConfigError(`${path}[${i}]`, x, 'an odd kernel size');
    if (i > 0 && x <= v[i - 1]) throw new ConfigError(`${path}[${i}]`, x, `a value > ${v[i - 1]} (ascending, distinct)`);
  });
  return [...v] as number[];
}

/** Validates a raw (JSON) supernet config; missing fields take the defaults for its input shape. */
export function validateSupernetConfig(raw: unknown, path = 'supernet'): SupernetConfig {
  const o: Obj = raw === undefined ? {} : asObject(raw, path);
  rejectUnknownKeys(o, path, TOP_KEYS);
  const inputHeight = numberField(o, 'inputHeight', path, { integer: true, min: 4 }, 28);
  const inputWidth = numberField(o, 'inputWidth', path, { integer: true, min: 4 }, inputHeight);
  const inputChannels = numberField(o, 'inputChannels', path, { integer: true, min: 1 }, 1);
  const numClasses = numberField(o, 'numClasses', path, { integer: true, min: 2 }, 10);
  const d = defaultSupernetConfig({ height: inputHeight, width: inputWidth, channels: inputChannels, numClasses });
  const cfg: SupernetConfig = {
    inputHeight, inputWidth, inputChannels, numClasses,
    stemChannels: numberField(o, 'stemChannels', path, { integer: true, min: 1 }, d.stemChannels),
    stemKernel: numberField(o, 'stemKernel', path, { integer: true, min: 1 }, d.stemKernel),
    stemStride: numberField(o, 'stemStride', path, { integer: true, min: 1, max: 2 }, d.stemStride),
    headDim: numberField(o, 'headDim', path, { integer: true, min: 1 }, d.headDim),
    stages: d.stages,
  };
  if (o.stages !== undefined) {
    if (!Array.isArray(o.stages) || o.stages.length === 0) throw new ConfigError(`${path}.stages`, o.stages, 'a non-empty list of stages');
    cfg.stages = o.stages.map((s, i) => validateStage(s, `${path}.stages[${i}]`));
  }
  return cfg;
}

function validateStage(raw: unknown, path: string): StageConfig {
  const o = asObject(raw, path);
  rejectUnknownKeys(o, path, STAGE_KEYS);
  const blockTypes = o.blockTypes;
  if (!Array.isArray(blockTypes) || blockTypes.length === 0) throw new ConfigError(`${path}.blockTypes`, blockTypes, `a non-empty list of ${BLOCK_TYPES.join(', ')}`);
  const types = blockTypes.map((t, i) => oneOf(t, `${path}.blockTypes[${i}]`, BLOCK_TYPES));
  if (new Set(types).size !== types.length) throw new ConfigError(`${path}.blockTypes`, blockTypes, 'distinct block types');
  return {
    widths: ascendingInts(o.widths, `${path}.widths`, 1),
    depths: ascendingInts(o.depths, `${path}.depths`, 1),
    stride: numberField(o, 'stride', path, { integer: true, min: 1, max: 2 }),
    blockTypes: types,
    kernels: ascendingInts(o.kernels ?? [3], `${path}.kernels`, 1, true),
    expansions: ascendingInts(o.expansions ?? [4], `${path}.expansions`, 1),
    heads: ascendingInts(o.heads ?? [1], `${path}.heads`, 1),
    mlpRatios: ascendingInts(o.mlpRatios ?? [2], `${path}.mlpRatios`, 1),
    ...(o.squeezeExcite === undefined ? {} : { squeezeExcite: booleanField(o, 'squeezeExcite', path) }),
  };
}

/** Feature-map side after the stem and after each stage (`same` padding). */
export function stageSizes(cfg: SupernetConfig): { stem: [number, number]; stages: [number, number][] } {
  let h = Math.ceil(cfg.inputHeight / cfg.stemStride);
  let w = Math.ceil(cfg.inputWidth / cfg.stemStride);
  const stem: [number, number] = [h, w];
  const stages = cfg.stages.map((s) => {
    h = Math.ceil(h / s.stride);
    w = Math.ceil(w / s.stride);
    return [h, w] as [number, number];
  });
  return { stem, stages };
}

/** Squeeze-excite bottleneck of an MBConv with `hidden` channels (MobileNetV3: reduction 4). */
export function seChannels(hidden: number): number {
  return Math.max(1, Math.floor(hidden / 4));
}

export function maxOf(xs: readonly number[]): number {
  return xs[xs.length - 1];
}
