import { conv2d, depthwise2d, type LayerSpec } from '@cosearch/core';
import { maxOf, seChannels, stageSizes, type SupernetConfig } from './config';
import { type SubnetArch, type StageArch } from './arch';

/** A slice [begin, begin + size) of a stored tensor. */
export interface Region { begin: number[]; size: number[] }

/** How a parameter is initialised and whether it is a static weight (CIM-mappable, weight-decayed). */
export type ParamRole = 'weight' | 'bias' | 'gamma' | 'beta' | 'pos';

export interface ParamSpec {
  name: string;
  shape: number[];
  role: ParamRole;
  /** Init std for weights (He/Glorot from the full shape) or constant for gamma/beta/bias. */
  std?: number;
  init?: number;
  /** True for ViT-only parameters (unused by CNN-only subnets). */
  vit?: boolean;
}

/** A parameter an op reads: the stored tensor (`spec`, at its largest shape) and the slice this subnet uses. */
export interface ParamUse { name: string; region: Region; spec: ParamSpec }

export type WeightOpKind = 'conv' | 'depthwise' | 'dense';

/**
 * One op of a subnet: its core `LayerSpec` (what the hardware model costs) and the parameters it
 * reads. Static-weight ops (conv, depthwise, dense — what a CIM tile can hold) also say how the
 * weight is applied: `weights` are the weight tensors whose slices are concatenated along the
 * output axis (q, k, v for an `X.qkv` op, else one), `biases` the matching biases (added digitally).
 */
export interface NetworkOp {
  layer: LayerSpec;
  params: ParamUse[];
  weight?: { kind: WeightOpKind; weights: string[]; biases: string[] };
}

export interface SubnetLayersOptions {
  /** Images per inference (default 1). */
  batch?: number;
  /** Operand width for every layer (default: core's DEFAULT_BITS). */
  bits?: number;
}

/** Kernel of a stage's transition conv: 3×3 when it downsamples, 1×1 otherwise. */
export function transitionKernel(stride: number): number {
  return stride > 1 ? 3 : 1;
}

const he = (fanIn: number) => Math.sqrt(2 / fanIn);

/**
 * The one description of a subnet: its ops in execution order, each with its LayerSpec and the
 * names, stored shapes and slices of its parameters. `forward` runs exactly these ops in this
 * order (it checks), `subnetLayers` is their LayerSpecs, `paramSpecs` the union of the stored
 * tensors over the largest subnets, `paramsOfLayer` / `layerOfParam` the CIM weight lookup.
 *
 * Ops: stem conv+BN+ReLU; per stage a transition conv+BN+ReLU; MBConv = 1×1 expand, BN, ReLU6,
 * k×k depthwise, BN, ReLU6, [squeeze-excite], 1×1 project, BN, residual add; ViT = position add,
 * LayerNorm, QKV dense, QKᵀ and AV matmuls (batch × heads), softmax, output dense, add,
 * LayerNorm, MLP (dense, GELU, dense), add; then global average pool and the classifier dense.
 * Slices (REFERENCES §2): first channels of every width and hidden size, centre crop of the
 * depthwise kernel, first heads. Needs no tfjs.
 */
export function subnetOps(cfg: SupernetConfig, arch: SubnetArch, opts: SubnetLayersOptions = {}): NetworkOp[] {
  const B = opts.batch ?? 1;
  const bits = opts.bits;
  const out: NetworkOp[] = [];
  const sizes = stageSizes(cfg);
  let [H, W] = [cfg.inputHeight, cfg.inputWidth];
  let C = cfg.inputChannels;
  let Cmax = cfg.inputChannels;

  const push = (layer: LayerSpec, params: ParamUse[] = [], weight?: NetworkOp['weight']) => {
    const l = bits === undefined ? layer : { ...layer, inputBits: bits, weightBits: bits, outputBits: bits };
    out.push(weight ? { layer: l, params, weight } : { layer: l, params });
  };
  /** A parameter read from its first entries (`size` of the stored `spec.shape`). */
  const first = (spec: ParamSpec, size: number[]): ParamUse => ({ name: spec.name, spec, region: { begin: size.map(() => 0), size } });
  const normParams = (nm: string, ch: number, chMax: number, vit?: boolean): ParamUse[] => [
    first({ name: `${nm}.gamma`, shape: [chMax], role: 'gamma', init: 1, ...(vit ? { vit } : {}) }, [ch]),
    first({ name: `${nm}.beta`, shape: [chMax], role: 'beta', init: 0, ...(vit ? { vit } : {}) }, [ch]),
  ];
  /** A dense op `nm` with weight `nm.w` [inMax, outMax] (slice [inF, outF]) and optional bias `nm.b`. */
  const dense = (nm: string, block: string, rows: number, inF: number, outF: number, inMax: number, outMax: number, std: number, bias: boolean, vit?: boolean) => {
    const v = vit ? { vit } : {};
    const params = [first({ name: `${nm}.w`, shape: [inMax, outMax], role: 'weight', std, ...v }, [inF, outF])];
    if (bias) params.push(first({ name: `${nm}.b`, shape: [outMax], role: 'bias', init: 0, ...v }, [outF]));
    push({ kind: 'dense', name: nm, batch: rows, inFeatures: inF, outFeatures: outF, block }, params, { kind: 'dense', weights: [`${nm}.w`], biases: bias ? [`${nm}.b`] : [] });
  };
  /** conv (weight `wname`, HWIO) + BN + ReLU, as the stem and the stage transitions. */
  const convBnAct = (nm: string, wname: string, cout: number, coutMax: number, k: number, stride: number) => {
    const c = conv2d({ name: `${nm}.conv`, batch: B, inChannels: C, outChannels: cout, inHeight: H, inWidth: W, kernel: k, stride, block: nm });
    const w = first({ name: wname, shape: [k, k, Cmax, coutMax], role: 'weight', std: he(k * k * Cmax) }, [k, k, C, cout]);
    push(c, [w], { kind: 'conv', weights: [wname], biases: [] });
    H = c.outHeight; W = c.outWidth; C = cout; Cmax = coutMax;
    push({ kind: 'norm', op: 'batchnorm', name: `${nm}.bn`, elements: B * C * H * W, block: nm }, normParams(`${nm}.bn`, C, Cmax));
    push({ kind: 'activation', fn: 'relu', name: `${nm}.act`, elements: B * C * H * W, block: nm });
  };

  convBnAct('stem', 'stem.w', cfg.stemChannels, cfg.stemChannels, cfg.stemKernel, cfg.stemStride);
  arch.stages.forEach((st: StageArch, i) => {
    const s = cfg.stages[i];
    const sn = `s${i + 1}`;
    convBnAct(`${sn}.trans`, `${sn}.trans.w`, st.width, maxOf(s.widths), transitionKernel(s.stride), s.stride);
    if (H !== sizes.stages[i][0] || W !== sizes.stages[i][1]) throw new Error('internal: stage size mismatch');
    st.blocks.forEach((b, j) => {
      const bn = `${sn}.b${j + 1}`;
      const e = B * C * H * W;
      const rows = B * H * W;
      if (b.type === 'mbconv') {
        const hid = C * b.expansion;
        const hidMax = Cmax * maxOf(s.expansions);
        const kmax = maxOf(s.kernels);
        push(conv2d({ name: `${bn}.expand`, batch: B, inChannels: C, outChannels: hid, inHeight: H, inWidth: W, kernel: 1, block: bn }),
          [first({ name: `${bn}.expand.w`, shape: [Cmax, hidMax], role: 'weight', std: he(Cmax) }, [C, hid])],
          { kind: 'conv', weights: [`${bn}.expand.w`], biases: [] });
        push({ kind: 'norm', op: 'batchnorm', name: `${bn}.bn1`, elements: B * hid * H * W, block: bn }, normParams(`${bn}.bn1`, hid, hidMax));
        push({ kind: 'activation', fn: 'relu6', name: `${bn}.act1`, elements: B * hid * H * W, block: bn });
        // Centre crop of the largest kernel.
        const off = (kmax - b.kernel) / 2;
        const dwSpec: ParamSpec = { name: `${bn}.dw.w`, shape: [kmax, kmax, hidMax, 1], role: 'weight', std: he(s.kernels[0] * s.kernels[0]) };
        push(depthwise2d({ name: `${bn}.dw`, batch: B, channels: hid, inHeight: H, inWidth: W, kernel: b.kernel, block: bn }),
          [{ name: dwSpec.name, spec: dwSpec, region: { begin: [off, off, 0, 0], size: [b.kernel, b.kernel, hid, 1] } }],
          { kind: 'depthwise', weights: [dwSpec.name], biases: [] });
        push({ kind: 'norm', op: 'batchnorm', name: `${bn}.bn2`, elements: B * hid * H * W, block: bn }, normParams(`${bn}.bn2`, hid, hidMax));
        push({ kind: 'activation', fn: 'relu6', name: `${bn}.act2`, elements: B * hid * H * W, block: bn });
        if (s.squeezeExcite) {
          const se = seChannels(hid);
          const seMax = seChannels(hidMax);
          push({ kind: 'pool', op: 'avg', name: `${bn}.se.pool`, batch: B, channels: hid, inHeight: H, inWidth: W, kernelH: H, kernelW: W, outHeight: 1, outWidth: 1, block: bn });
          dense(`${bn}.se1`, bn, B, hid, se, hidMax, seMax, he(hidMax), true);
          push({ kind: 'activation', fn: 'relu', name: `${bn}.se.act`, elements: B * se, block: bn });
          dense(`${bn}.se2`, bn, B, se, hid, seMax, hidMax, Math.sqrt(1 / seMax), true);
          push({ kind: 'activation', fn: 'sigmoid', name: `${bn}.se.gate`, elements: B * hid, block: bn });
          // The gate multiply is an element-wise vector op; core LayerSpec has no 'mul' kind, 'add' has the same cost shape.
          push({ kind: 'add', name: `${bn}.se.scale`, elements: B * hid * H * W, block: bn });
        }
        push(conv2d({ name: `${bn}.project`, batch: B, inChannels: hid, outChannels: C, inHeight: H, inWidth: W, kernel: 1, block: bn }),
          [first({ name: `${bn}.project.w`, shape: [hidMax, Cmax], role: 'weight', std: he(hidMax) }, [hid, C])],
          { kind: 'conv', weights: [`${bn}.project.w`], biases: [] });
        push({ kind: 'norm', op: 'batchnorm', name: `${bn}.bn3`, elements: e, block: bn }, normParams(`${bn}.bn3`, C, Cmax));
        push({ kind: 'add', name: `${bn}.residual`, elements: e, block: bn });
      } else {
        const N = H * W;
        const dh = cfg.headDim;
        const inner = b.heads * dh;
        const innerMax = maxOf(s.heads) * dh;
        const hid = C * b.mlpRatio;
        const hidMax = Cmax * maxOf(s.mlpRatios);
        push({ kind: 'add', name: `${bn}.pos`, elements: e, block: bn }, [first({ name: `${bn}.pos`, shape: [N, Cmax], role: 'pos', std: 0.02, vit: true }, [N, C])]);
        push({ kind: 'norm', op: 'layernorm', name: `${bn}.ln1`, elements: e, block: bn }, normParams(`${bn}.ln1`, C, Cmax, true));
        const qkv: ParamUse[] = [];
        for (const q of ['q', 'k', 'v']) {
          qkv.push(first({ name: `${bn}.${q}.w`, shape: [Cmax, innerMax], role: 'weight', std: Math.sqrt(1 / Cmax), vit: true }, [C, inner]));
          qkv.push(first({ name: `${bn}.${q}.b`, shape: [innerMax], role: 'bias', init: 0, vit: true }, [inner]));
        }
        push({ kind: 'dense', name: `${bn}.qkv`, batch: rows, inFeatures: C, outFeatures: 3 * inner, block: bn }, qkv,
          { kind: 'dense', weights: ['q', 'k', 'v'].map((q) => `${bn}.${q}.w`), biases: ['q', 'k', 'v'].map((q) => `${bn}.${q}.b`) });
        push({ kind: 'matmul', name: `${bn}.qk`, batch: B * b.heads, m: N, k: dh, n: N, block: bn });
        push({ kind: 'softmax', name: `${bn}.softmax`, rows: B * b.heads * N, cols: N, block: bn });
        push({ kind: 'matmul', name: `${bn}.av`, batch: B * b.heads, m: N, k: N, n: dh, block: bn });
        dense(`${bn}.proj`, bn, rows, inner, C, innerMax, Cmax, 0.1 * Math.sqrt(1 / innerMax), true, true);
        push({ kind: 'add', name: `${bn}.residual1`, elements: e, block: bn });
        push({ kind: 'norm', op: 'layernorm', name: `${bn}.ln2`, elements: e, block: bn }, normParams(`${bn}.ln2`, C, Cmax, true));
        dense(`${bn}.mlp1`, bn, rows, C, hid, Cmax, hidMax, he(Cmax), true, true);
        push({ kind: 'activation', fn: 'gelu', name: `${bn}.gelu`, elements: B * N * hid, block: bn });
        dense(`${bn}.mlp2`, bn, rows, hid, C, hidMax, Cmax, 0.1 * Math.sqrt(1 / hidMax), true, true);
        push({ kind: 'add', name: `${bn}.residual2`, elements: e, block: bn });
      }
    });
  });
  push({ kind: 'pool', op: 'avg', name: 'head.pool', batch: B, channels: C, inHeight: H, inWidth: W, kernelH: H, kernelW: W, outHeight: 1, outWidth: 1, block: 'head' });
  dense('head.fc', 'head', B, C, cfg.numClasses, Cmax, cfg.numClasses, Math.sqrt(1 / Cmax), true);
  return out;
}

/** The largest subnet with every slot of the given type where the stage allows it (else the other type). */
function coveringArch(cfg: SupernetConfig, prefer: 'mbconv' | 'vit'): SubnetArch {
  return {
    stages: cfg.stages.map((s) => ({
      width: maxOf(s.widths),
      blocks: Array.from({ length: maxOf(s.depths) }, () =>
        s.blockTypes.includes(prefer) ? prefer : s.blockTypes[0],
      ).map((t) => (t === 'mbconv'
        ? { type: 'mbconv' as const, kernel: maxOf(s.kernels), expansion: maxOf(s.expansions) }
        : { type: 'vit' as const, heads: maxOf(s.heads), mlpRatio: maxOf(s.mlpRatios) })),
    })),
  };
}

/**
 * Every stored tensor and the op (LayerSpec name) that reads it, from the ops of the two largest
 * subnets (MBConv in every slot, ViT in every slot): between them they read every tensor in full.
 * Ordered block by block, a slot's MBConv tensors before its ViT tensors.
 */
export function supernetParams(cfg: SupernetConfig): { spec: ParamSpec; layer: string }[] {
  const a = subnetOps(cfg, coveringArch(cfg, 'mbconv'));
  const b = subnetOps(cfg, coveringArch(cfg, 'vit'));
  const blocks: string[] = [];
  const byBlock = new Map<string, NetworkOp[]>();
  for (const op of [...a, ...b]) {
    const k = op.layer.block ?? '';
    if (!byBlock.has(k)) { byBlock.set(k, []); blocks.push(k); }
    byBlock.get(k)!.push(op);
  }
  const seen = new Set<string>();
  const out: { spec: ParamSpec; layer: string }[] = [];
  for (const k of blocks) {
    for (const op of byBlock.get(k)!) {
      for (const p of op.params) {
        if (seen.has(p.name)) continue;
        if (p.region.size.some((n, i) => n !== p.spec.shape[i])) throw new Error(`internal: the largest subnet reads only part of ${p.name}`);
        seen.add(p.name);
        out.push({ spec: p.spec, layer: op.layer.name });
      }
    }
  }
  return out;
}

const layerIndex = new WeakMap<SupernetConfig, Map<string, string>>();

/**
 * The op (LayerSpec name, as `subnetLayers` names it) that reads parameter `paramName`, e.g.
 * `stem.w` → `stem.conv`, `s2.b1.k.w` → `s2.b1.qkv`, `s1.b1.dw.w` → `s1.b1.dw`; undefined for
 * a name the supernet does not have. The same for every subnet.
 */
export function layerOfParam(cfg: SupernetConfig, paramName: string): string | undefined {
  let m = layerIndex.get(cfg);
  if (!m) {
    m = new Map(supernetParams(cfg).map((p) => [p.spec.name, p.layer]));
    layerIndex.set(cfg, m);
  }
  return m.get(paramName);
}

/** The parameters (names, stored specs, this subnet's slices) op `layerName` of a subnet reads; [] if the subnet has no such op. */
export function paramsOfLayer(cfg: SupernetConfig, arch: SubnetArch, layerName: string): ParamUse[] {
  return subnetOps(cfg, arch).find((op) => op.layer.name === layerName)?.params ?? [];
}
