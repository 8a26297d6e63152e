import { CosearchError, DataError } from '@cosearch/core';
import { tf } from '@cosearch/backend';
import type { ImageSet } from '@cosearch/datasets';
import { validateSupernetConfig, type SupernetConfig } from '../config';
import { validateArch, type SubnetArch } from '../arch';
import type { BnStat, ParamSource } from '../forward';
import { subnetOps, type NetworkOp, type Region } from '../network';
import { fileSystemHandler, loadArrays } from '../io';
import type { CalibrationOptions, Supernet } from '../supernet';
import { SUBNET_FORMAT } from '../export';

/** `userDefinedMetadata.cosearch.format` of a subnet exported as a tfjs LayersModel. */
export const LAYERS_MODEL_FORMAT = 'cosearch-layers-model-v1';

// Must equal forward.ts (BN_EPS, LN_EPS) and the GELU form there (x·σ(1.702·x)).
const BN_EPS = 1e-3;
const LN_EPS = 1e-5;
const GELU_SIGMOID_SCALE = 1.702;
/**
 * The ViT position embedding is a learned [tokens, channels] tensor added to the tokens; Keras has
 * no standard "add a constant" layer, so it is a BatchNormalization over the flattened map with
 * mean 0, variance 1 − ε, γ 1 and β = the embedding: y = (x − 0)·γ/√(1 − ε + ε) + β = x + pos.
 * ε = 2⁻¹⁰ makes 1 − ε and (1 − ε) + ε exact in float32, so the scale is exactly 1.
 */
const POS_BN_EPS = 2 ** -10;

/** What the exported model carries in `userDefinedMetadata.cosearch`. */
export interface LayersModelMetadata {
  format: typeof LAYERS_MODEL_FORMAT;
  config: SupernetConfig;
  arch: SubnetArch;
  /** The model's output: raw logits [batch, numClasses] (no softmax). */
  output: 'logits';
  /** Input layout: NHWC float32, the same scaling as the training images (MNIST: [0, 1]). */
  input: number[];
}

const layerName = (op: string) => op.replace(/\./g, '_');

/**
 * Builds a subnet as a standard tfjs `LayersModel` (functional API) made only of built-in
 * tfjs-layers / Keras layers — Conv2D, DepthwiseConv2D, BatchNormalization, ReLU, Dense,
 * LayerNormalization, Dot, Softmax, Concatenate, Add, Multiply, Reshape, Activation('swish'),
 * GlobalAveragePooling2D — so `tf.loadLayersModel` and the tfjs converter load it without any
 * custom class. It walks the network description (`subnetOps`) op by op, as `forward` does, and
 * throws if the two disagree. Weights come from `src` (supernet slices or an exported subnet),
 * BN statistics from `stats`. Output: logits [batch, numClasses].
 *
 * Attention: tfjs-layers 4.22 has no public MultiHeadAttention (its class exists but is neither
 * exported through `tf.layers` nor registered for deserialisation), and its `Dot` layer accepts
 * rank ≤ 3, so each head is its own Dense q/k/v (columns h·d … (h+1)·d of the fused weights),
 * QKᵀ a `Dot(axes [2, 2])`, AV a `Dot(axes [2, 1])`, and the heads are concatenated before the
 * output projection. 1/√d is folded into the q weights and bias. GELU (sigmoid form
 * x·σ(1.702x)) is Dense(·1.702) → swish → Dense(kernel / 1.702), since swish(z) = z·σ(z).
 */
export function buildLayersModel(config: SupernetConfig, arch: SubnetArch, src: ParamSource, stats: Map<string, BnStat>): tf.LayersModel {
  const ops = subnetOps(config, arch);
  let at = 0;
  const take = (name: string): NetworkOp => {
    const op = ops[at++];
    if (!op || op.layer.name !== name) throw new Error(`internal: layers-model export builds ${name} where the network description has ${op?.layer.name ?? 'no op'}`);
    return op;
  };
  const weightsOf: [tf.layers.Layer, () => tf.Tensor[]][] = [];
  const param = (op: NetworkOp, name: string): tf.Tensor => {
    const u = op.params.find((p) => p.name === name);
    if (!u) throw new Error(`internal: op ${op.layer.name} has no parameter ${name}`);
    return src.get(u.name, u.region);
  };
  const sym = (l: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => l.apply(x) as tf.SymbolicTensor;

  const bnStat = (name: string): BnStat => {
    const s = stats.get(name);
    if (!s) throw new CosearchError(`no BN statistics for ${name}`);
    return s;
  };

  /** BN (+ its ReLU / ReLU6 when `actName`) on x. */
  const batchNorm = (name: string, x: tf.SymbolicTensor, actName?: string): tf.SymbolicTensor => {
    const op = take(name);
    const l = tf.layers.batchNormalization({ axis: -1, epsilon: BN_EPS, name: layerName(name) });
    weightsOf.push([l, () => [param(op, `${name}.gamma`), param(op, `${name}.beta`), tf.tensor1d(bnStat(name).mean), tf.tensor1d(bnStat(name).variance)]]);
    let y = sym(l, x);
    if (actName) {
      const a = take(actName);
      if (a.layer.kind !== 'activation' || (a.layer.fn !== 'relu' && a.layer.fn !== 'relu6')) throw new Error(`internal: ${actName} is not a ReLU`);
      y = sym(tf.layers.reLU({ ...(a.layer.fn === 'relu6' ? { maxValue: 6 } : {}), name: layerName(actName) }), y);
    }
    return y;
  };

  const layerNorm = (name: string, x: tf.SymbolicTensor): tf.SymbolicTensor => {
    const op = take(name);
    const l = tf.layers.layerNormalization({ axis: -1, epsilon: LN_EPS, name: layerName(name) });
    weightsOf.push([l, () => [param(op, `${name}.gamma`), param(op, `${name}.beta`)]]);
    return sym(l, x);
  };

  /** A k×k conv (also 1×1 expand/project) with tf 'same' padding, no bias. */
  const conv = (name: string, x: tf.SymbolicTensor): tf.SymbolicTensor => {
    const op = take(name);
    if (op.layer.kind !== 'conv') throw new Error(`internal: ${name} is not a conv`);
    const { kernelH: k, strideH: stride, inChannels: cin, outChannels: cout } = op.layer;
    const l = tf.layers.conv2d({ filters: cout, kernelSize: k, strides: stride, padding: 'same', useBias: false, name: layerName(name) });
    weightsOf.push([l, () => [tf.reshape(param(op, op.weight!.weights[0]), [k, k, cin, cout])]]);
    return sym(l, x);
  };

  /** A dense op; `scale` multiplies kernel and bias (folded constants). */
  const dense = (name: string, x: tf.SymbolicTensor, opts: { scale?: number; kernelScale?: number; activation?: 'sigmoid' } = {}): tf.SymbolicTensor => {
    const op = take(name);
    if (op.layer.kind !== 'dense') throw new Error(`internal: ${name} is not a dense op`);
    const bias = op.weight!.biases[0];
    const l = tf.layers.dense({ units: op.layer.outFeatures, useBias: !!bias, name: layerName(name), ...(opts.activation ? { activation: opts.activation } : {}) });
    const s = opts.scale ?? 1;
    const ks = opts.kernelScale ?? s;
    weightsOf.push([l, () => {
      const w = param(op, op.weight!.weights[0]);
      return [ks === 1 ? w : tf.mul(w, ks), ...(bias ? [s === 1 ? param(op, bias) : tf.mul(param(op, bias), s)] : [])];
    }]);
    return sym(l, x);
  };

  const input = tf.input({ shape: [config.inputHeight, config.inputWidth, config.inputChannels], name: 'image' });
  let h = conv('stem.conv', input);
  h = batchNorm('stem.bn', h, 'stem.act');
  let C = config.stemChannels;

  arch.stages.forEach((st, i) => {
    const s = config.stages[i];
    const sn = `s${i + 1}`;
    h = conv(`${sn}.trans.conv`, h);
    C = st.width;
    h = batchNorm(`${sn}.trans.bn`, h, `${sn}.trans.act`);
    const [, H, W] = h.shape as number[];
    st.blocks.forEach((b, j) => {
      const bn = `${sn}.b${j + 1}`;
      if (b.type === 'mbconv') {
        const hid = C * b.expansion;
        let y = conv(`${bn}.expand`, h);
        y = batchNorm(`${bn}.bn1`, y, `${bn}.act1`);
        const dwOp = take(`${bn}.dw`);
        const dw = tf.layers.depthwiseConv2d({ kernelSize: b.kernel, depthMultiplier: 1, padding: 'same', useBias: false, name: layerName(`${bn}.dw`) });
        weightsOf.push([dw, () => [param(dwOp, dwOp.weight!.weights[0])]]);
        y = sym(dw, y);
        y = batchNorm(`${bn}.bn2`, y, `${bn}.act2`);
        if (s.squeezeExcite) {
          take(`${bn}.se.pool`);
          const z = sym(tf.layers.globalAveragePooling2d({ name: layerName(`${bn}.se.pool`) }), y);
          const z1 = dense(`${bn}.se1`, z);
          take(`${bn}.se.act`);
          const z1r = sym(tf.layers.reLU({ name: layerName(`${bn}.se.act`) }), z1);
          const z2 = dense(`${bn}.se2`, z1r);
          take(`${bn}.se.gate`);
          const gate = sym(tf.layers.activation({ activation: 'sigmoid', name: layerName(`${bn}.se.gate`) }), z2);
          take(`${bn}.se.scale`);
          const g4 = sym(tf.layers.reshape({ targetShape: [1, 1, hid], name: `${layerName(bn)}_se_reshape` }), gate);
          y = sym(tf.layers.multiply({ name: layerName(`${bn}.se.scale`) }), [y, g4]);
        }
        y = conv(`${bn}.project`, y);
        y = batchNorm(`${bn}.bn3`, y);
        take(`${bn}.residual`);
        h = sym(tf.layers.add({ name: layerName(`${bn}.residual`) }), [h, y]);
      } else {
        const N = H * W;
        const Cb = C; // C changes in later stages; the weight closures below run after the graph is built
        const dh = config.headDim;
        const p = layerName(bn);
        // position embedding: BatchNormalization over the flattened map (see POS_BN_EPS)
        const pos = take(`${bn}.pos`);
        const flat = sym(tf.layers.reshape({ targetShape: [N * C], name: `${p}_flatten` }), h);
        const posLayer = tf.layers.batchNormalization({ axis: -1, epsilon: POS_BN_EPS, name: layerName(`${bn}.pos`) });
        weightsOf.push([posLayer, () => [tf.ones([N * Cb]), tf.reshape(param(pos, `${bn}.pos`), [N * Cb]), tf.zeros([N * Cb]), tf.fill([N * Cb], 1 - POS_BN_EPS)]]);
        let t = sym(tf.layers.reshape({ targetShape: [N, C], name: `${p}_tokens` }), sym(posLayer, flat));
        const a = layerNorm(`${bn}.ln1`, t);
        const qkvOp = take(`${bn}.qkv`);
        const [wq, wk, wv] = qkvOp.weight!.weights;
        const [bq, bk, bv] = qkvOp.weight!.biases;
        take(`${bn}.qk`);
        take(`${bn}.softmax`);
        take(`${bn}.av`);
        const heads: tf.SymbolicTensor[] = [];
        const headDense = (role: string, w: string, bias: string, hd: number, scale: number) => {
          const l = tf.layers.dense({ units: dh, name: `${p}_${role}_h${hd + 1}` });
          weightsOf.push([l, () => {
            const kernel = tf.slice(param(qkvOp, w), [0, hd * dh], [Cb, dh]);
            const b0 = tf.slice(param(qkvOp, bias), [hd * dh], [dh]);
            return scale === 1 ? [kernel, b0] : [tf.mul(kernel, scale), tf.mul(b0, scale)];
          }]);
          return sym(l, a);
        };
        for (let hd = 0; hd < b.heads; hd++) {
          const q = headDense('q', wq, bq, hd, 1 / Math.sqrt(dh));
          const k = headDense('k', wk, bk, hd, 1);
          const v = headDense('v', wv, bv, hd, 1);
          const scores = sym(tf.layers.dot({ axes: [2, 2], name: `${p}_qk_h${hd + 1}` }), [q, k]);
          const probs = sym(tf.layers.softmax({ axis: -1, name: `${p}_softmax_h${hd + 1}` }), scores);
          heads.push(sym(tf.layers.dot({ axes: [2, 1], name: `${p}_av_h${hd + 1}` }), [probs, v]));
        }
        const merged = heads.length === 1 ? heads[0] : sym(tf.layers.concatenate({ axis: -1, name: `${p}_heads` }), heads);
        const pr = dense(`${bn}.proj`, merged);
        take(`${bn}.residual1`);
        t = sym(tf.layers.add({ name: layerName(`${bn}.residual1`) }), [t, pr]);
        const m = dense(`${bn}.mlp1`, layerNorm(`${bn}.ln2`, t), { scale: GELU_SIGMOID_SCALE });
        take(`${bn}.gelu`);
        const g = sym(tf.layers.activation({ activation: 'swish', name: layerName(`${bn}.gelu`) }), m);
        const m2 = dense(`${bn}.mlp2`, g, { scale: 1, kernelScale: 1 / GELU_SIGMOID_SCALE });
        take(`${bn}.residual2`);
        t = sym(tf.layers.add({ name: layerName(`${bn}.residual2`) }), [t, m2]);
        h = sym(tf.layers.reshape({ targetShape: [H, W, C], name: `${p}_map` }), t);
      }
    });
  });
  take('head.pool');
  const pooled = sym(tf.layers.globalAveragePooling2d({ name: 'head_pool' }), h);
  const logits = dense('head.fc', pooled);
  if (at !== ops.length) throw new Error(`internal: layers-model export ended before op ${ops[at].layer.name}`);
  const model = tf.model({ inputs: input, outputs: logits, name: 'cosearch_subnet' });
  for (const [l, get] of weightsOf) {
    const ws = tf.tidy(get);
    l.setWeights(ws);
    ws.forEach((w) => w.dispose());
  }
  const meta: LayersModelMetadata = { format: LAYERS_MODEL_FORMAT, config, arch, output: 'logits', input: [config.inputHeight, config.inputWidth, config.inputChannels] };
  model.setUserDefinedMetadata({ cosearch: meta as unknown as {} });
  return model;
}

/** Saves a LayersModel as `model.json` + `weights.bin` in `dir` (plain fs, no tfjs-node). */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(fileSystemHandler(dir));
}

/**
 * Exports subnet `arch` of a trained supernet as a standard tfjs LayersModel in `dir`
 * (`model.json` + `weights.bin`): its weight slices, with BN statistics re-calibrated on
 * `calibration` exactly as `evaluateSubnet` does, so it predicts what the supernet predicts.
 */
export async function exportLayersModel(net: Supernet, arch: SubnetArch, dir: string, calibration: ImageSet, opts: CalibrationOptions = {}): Promise<tf.LayersModel> {
  const stats = net.calibrate(arch, calibration, opts);
  const model = buildLayersModel(net.config, arch, net.source(), stats);
  await saveLayersModel(model, dir);
  return model;
}

/** Converts a standalone subnet (`exportSubnet`'s `cosearch-subnet-v1` folder) into a LayersModel. */
export async function layersModelFromSubnet(subnetDir: string): Promise<tf.LayersModel> {
  const { arrays, topology, format } = await loadArrays(subnetDir);
  if (format !== SUBNET_FORMAT) throw new DataError(`${subnetDir}/model.json`, `format ${JSON.stringify(format)}, expected ${SUBNET_FORMAT}`);
  const topo = topology as { config: unknown; arch: unknown };
  const config = validateSupernetConfig(topo.config, 'modelTopology.config');
  const arch = validateArch(config, topo.arch, 'modelTopology.arch');
  const stats = new Map<string, BnStat>();
  for (const a of arrays.values()) {
    const m = /^bnstat\/(.+)\/(mean|variance)$/.exec(a.name);
    if (!m) continue;
    const s = (stats.get(m[1]) ?? {}) as Partial<BnStat>;
    s[m[2] as 'mean' | 'variance'] = a.data;
    stats.set(m[1], s as BnStat);
  }
  const src: ParamSource = {
    get(name: string, r: Region) {
      const a = arrays.get(name);
      if (!a || a.shape.some((s, i) => s !== r.size[i])) throw new DataError(`${subnetDir}/model.json`, `lacks ${name} of shape ${r.size.join('×')}`);
      return tf.tensor(a.data, a.shape, 'float32');
    },
  };
  return buildLayersModel(config, arch, src, stats);
}
