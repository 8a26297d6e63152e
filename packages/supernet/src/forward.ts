import { tf, type NormActivation } from '@cosearch/backend';
import type { SupernetConfig } from './config';
import type { SubnetArch } from './arch';
import { subnetOps, type NetworkOp, type Region } from './network';
import { depthwiseIm2col, im2col, type LinearOverride } from './linear';
import { addTrailing, batchNormTrain, channelMoments, depthwiseSame, matMul, matMulTransposeB, mulTrailing } from './ops';

export type { Region } from './network';

/** Where the forward pass gets a parameter's slice from (supernet variables, an exported subnet, transformed weights). */
export interface ParamSource {
  get(name: string, region: Region): tf.Tensor;
}

/** Mean and variance of one BN layer's channels. */
export interface BnStat { mean: Float32Array; variance: Float32Array }

/**
 * How BatchNorm normalises: `batch` uses the batch's own moments (training); `calibrate` does
 * the same and also records them (per-subnet re-calibration); `stats` uses fixed statistics.
 */
export type BnMode =
  | { kind: 'batch' }
  | { kind: 'calibrate'; record: Map<string, BnStat[]> }
  | { kind: 'stats'; stats: Map<string, BnStat> };

export interface ForwardOptions {
  bn: BnMode;
  /** Filled with the region of every parameter the subnet used (for gradient-conflict masks). */
  usage?: Map<string, Region>;
  /** Runs the static-weight ops (conv, depthwise, dense) in place of the digital matMul/conv, e.g. on a simulated CIM tile. */
  linearOverride?: LinearOverride;
}

const BN_EPS = 1e-3;
const LN_EPS = 1e-5;

/**
 * The subnet's forward pass on NHWC images: it runs the ops of the network description
 * (`subnetOps`) in their order — taking every parameter slice from the op (`src` supplies the
 * tensors) and checking each op's name as it goes, so names, order and slices cannot drift from
 * `subnetLayers` / `paramSpecs`; this function only says how each kind of op computes. Returns
 * logits [batch, classes]. With `linearOverride`, every static-weight op goes through it.
 */
export function forward(cfg: SupernetConfig, arch: SubnetArch, x: tf.Tensor4D, src: ParamSource, opts: ForwardOptions): tf.Tensor2D {
  const ops = subnetOps(cfg, arch);
  let at = 0;
  /** The next op of the description, which must be `name`. */
  const take = (name: string): NetworkOp => {
    const op = ops[at++];
    if (!op || op.layer.name !== name) throw new Error(`internal: forward runs ${name} where the network description has ${op?.layer.name ?? 'no op'}`);
    return op;
  };
  const param = (op: NetworkOp, name: string): tf.Tensor => {
    const u = op.params.find((p) => p.name === name);
    if (!u) throw new Error(`internal: op ${op.layer.name} has no parameter ${name}`);
    opts.usage?.set(u.name, u.region);
    return src.get(u.name, u.region);
  };
  const override = opts.linearOverride;
  /** x2 [rows, fanIn] · w [fanIn, fanOut] through the override; null = digital. */
  const viaOverride = (op: NetworkOp, x2: tf.Tensor, w2: tf.Tensor): tf.Tensor2D | null => {
    if (!override) return null;
    const [rows, fanIn] = x2.shape as [number, number];
    const fanOut = w2.shape[1] as number;
    const y = override({ layer: op.layer.name, kind: op.weight!.kind }, tf.reshape(x2, [1, rows, fanIn]), tf.reshape(w2, [1, fanIn, fanOut]));
    return y ? tf.reshape(y, [rows, fanOut]) : null;
  };

  /** BN (mode from opts.bn) followed by its activation op (if `act`); training mode runs both as one fused op. */
  const batchNorm = (name: string, h: tf.Tensor, actName?: string): tf.Tensor => {
    const op = take(name);
    const actOp = actName ? take(actName) : undefined;
    const act: NormActivation = actOp?.layer.kind === 'activation' ? (actOp.layer.fn as NormActivation) : 'linear';
    const gamma = param(op, `${name}.gamma`) as tf.Tensor1D;
    const beta = param(op, `${name}.beta`) as tf.Tensor1D;
    if (opts.bn.kind === 'batch') return batchNormTrain(h, gamma, beta, BN_EPS, act);
    let mean: tf.Tensor1D, variance: tf.Tensor1D;
    if (opts.bn.kind === 'stats') {
      const s = opts.bn.stats.get(name);
      if (!s) throw new Error(`internal: no BN statistics for ${name}`);
      mean = tf.tensor1d(s.mean);
      variance = tf.tensor1d(s.variance);
    } else {
      ({ mean, variance } = channelMoments(h));
      const list = opts.bn.record.get(name) ?? [];
      list.push({ mean: mean.dataSync() as Float32Array, variance: variance.dataSync() as Float32Array });
      opts.bn.record.set(name, list);
    }
    // Inference form: y = x·scale + shift with scale = γ/√(σ²+ε), shift = β − μ·scale.
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, BN_EPS)));
    const y = tf.add(tf.mul(h, scale), tf.sub(beta, tf.mul(mean, scale)));
    return act === 'relu' ? tf.relu(y) : act === 'relu6' ? tf.relu6(y) : y;
  };

  const layerNorm = (name: string, t: tf.Tensor): tf.Tensor => {
    const op = take(name);
    const { mean, variance } = tf.moments(t, -1, true);
    const norm = tf.mul(tf.sub(t, mean), tf.rsqrt(tf.add(variance, LN_EPS)));
    return addTrailing(mulTrailing(norm, param(op, `${name}.gamma`)), param(op, `${name}.beta`));
  };

  /** A dense op (or a 1×1 conv run as one) on [rows, inF]; bias, if the op has one, added digitally. */
  const dense = (name: string, t2: tf.Tensor): tf.Tensor2D => {
    const op = take(name);
    const w = param(op, op.weight!.weights[0]);
    const y = viaOverride(op, t2, w) ?? (matMul(t2, w) as tf.Tensor2D);
    const b = op.weight!.biases[0];
    return b ? (addTrailing(y, param(op, b)) as tf.Tensor2D) : y;
  };

  /** A k×k conv (stem, transitions), tf 'same' padding; a stride-1 1×1 conv runs as a matMul over the B·H·W pixels. */
  const conv = (name: string, h: tf.Tensor4D): tf.Tensor4D => {
    const op = take(name);
    if (op.layer.kind !== 'conv') throw new Error(`internal: ${name} is not a conv`);
    const { kernelH: k, strideH: stride, outChannels: cout, outHeight: Ho, outWidth: Wo } = op.layer;
    const w = param(op, op.weight!.weights[0]);
    const [B, H0, W0, cin] = h.shape;
    if (override) {
      const y = viaOverride(op, im2col(h, k, stride), tf.reshape(w, [k * k * cin, cout]));
      if (y) return tf.reshape(y, [B, Ho, Wo, cout]);
    }
    // 1×1 stride 1: wasm runs it as the backend's SIMD a·b and aᵀ·b.
    if (k === 1 && stride === 1) return tf.reshape(matMul(tf.reshape(h, [B * H0 * W0, cin]), tf.reshape(w, [cin, cout])), [B, H0, W0, cout]) as tf.Tensor4D;
    return tf.conv2d(h, w as tf.Tensor4D, stride, 'same');
  };

  const depthwise = (name: string, h: tf.Tensor4D): tf.Tensor4D => {
    const op = take(name);
    const w = param(op, op.weight!.weights[0]) as tf.Tensor4D; // [k, k, C, 1]
    const [B, H, W, C] = h.shape;
    const k = w.shape[0];
    if (override) {
      const wg = tf.reshape(tf.transpose(tf.reshape(w, [k * k, C])), [C, k * k, 1]) as tf.Tensor3D;
      const y = override({ layer: op.layer.name, kind: 'depthwise' }, depthwiseIm2col(h, k), wg);
      if (y) return tf.reshape(tf.transpose(tf.reshape(y, [C, B * H * W])), [B, H, W, C]);
    }
    return depthwiseSame(h, w);
  };

  const B = x.shape[0];
  let h: tf.Tensor4D = conv('stem.conv', x);
  h = batchNorm('stem.bn', h, 'stem.act') as tf.Tensor4D;
  let C = cfg.stemChannels;

  arch.stages.forEach((st, i) => {
    const s = cfg.stages[i];
    const sn = `s${i + 1}`;
    h = conv(`${sn}.trans.conv`, h);
    C = st.width;
    h = batchNorm(`${sn}.trans.bn`, h, `${sn}.trans.act`) as tf.Tensor4D;
    const [, H, W] = h.shape;
    st.blocks.forEach((b, j) => {
      const bn = `${sn}.b${j + 1}`;
      if (b.type === 'mbconv') {
        const hid = C * b.expansion;
        let y: tf.Tensor = dense(`${bn}.expand`, tf.reshape(h, [B * H * W, C]));
        y = batchNorm(`${bn}.bn1`, tf.reshape(y, [B, H, W, hid]), `${bn}.act1`);
        y = depthwise(`${bn}.dw`, y as tf.Tensor4D);
        y = batchNorm(`${bn}.bn2`, y, `${bn}.act2`);
        if (s.squeezeExcite) {
          // Squeeze-excite: channel gates from the pooled hidden map (pool as a batched GEMV).
          take(`${bn}.se.pool`);
          const z = tf.reshape(matMul(tf.fill([B, 1, H * W], 1 / (H * W)), tf.reshape(y, [B, H * W, hid])), [B, hid]) as tf.Tensor2D;
          const z1 = dense(`${bn}.se1`, z);
          take(`${bn}.se.act`);
          const z2 = dense(`${bn}.se2`, tf.relu(z1));
          take(`${bn}.se.gate`);
          const gate = tf.sigmoid(z2);
          take(`${bn}.se.scale`);
          y = tf.mul(y, tf.reshape(gate, [B, 1, 1, hid]));
        }
        y = dense(`${bn}.project`, tf.reshape(y, [B * H * W, hid]));
        y = batchNorm(`${bn}.bn3`, tf.reshape(y, [B, H, W, C]));
        take(`${bn}.residual`);
        h = tf.add(h, y) as tf.Tensor4D;
      } else {
        const N = H * W;
        const dh = cfg.headDim;
        const inner = b.heads * dh;
        const pos = take(`${bn}.pos`);
        let t: tf.Tensor = addTrailing(tf.reshape(h, [B, N, C]), param(pos, `${bn}.pos`));
        const a = tf.reshape(layerNorm(`${bn}.ln1`, t), [B * N, C]) as tf.Tensor2D;
        const qkvOp = take(`${bn}.qkv`);
        const [wq, wk, wv] = qkvOp.weight!.weights;
        const [bq, bk, bv] = qkvOp.weight!.biases;
        const split = (t2: tf.Tensor) => tf.transpose(tf.reshape(t2, [B, N, b.heads, dh]), [0, 2, 1, 3]);
        let q: tf.Tensor, k: tf.Tensor, v: tf.Tensor;
        const fused = override ? viaOverride(qkvOp, a, tf.concat([param(qkvOp, wq), param(qkvOp, wk), param(qkvOp, wv)], 1)) : null;
        if (fused) {
          const [yq, yk, yv] = tf.split(fused, 3, 1);
          [q, k, v] = [[yq, bq], [yk, bk], [yv, bv]].map(([y, bias]) => split(addTrailing(y as tf.Tensor, param(qkvOp, bias as string))));
        } else {
          // Three products, as trained (the same values as one product with the concatenated weight).
          [q, k, v] = [[wq, bq], [wk, bk], [wv, bv]].map(([w, bias]) => split(addTrailing(matMul(a, param(qkvOp, w)), param(qkvOp, bias))));
        }
        take(`${bn}.qk`);
        const scores = tf.mul(matMulTransposeB(q, k), 1 / Math.sqrt(dh));
        take(`${bn}.softmax`);
        const p = tf.softmax(scores);
        take(`${bn}.av`);
        const o = matMul(p, v); // [B, heads, N, dh]
        const merged = tf.reshape(tf.transpose(o, [0, 2, 1, 3]), [B * N, inner]) as tf.Tensor2D;
        const pr = dense(`${bn}.proj`, merged);
        take(`${bn}.residual1`);
        t = tf.add(t, tf.reshape(pr, [B, N, C]));
        const m = dense(`${bn}.mlp1`, tf.reshape(layerNorm(`${bn}.ln2`, t), [B * N, C]));
        take(`${bn}.gelu`);
        const g = tf.mul(m, tf.sigmoid(tf.mul(m, 1.702))) as tf.Tensor2D; // GELU, sigmoid approximation (Hendrycks & Gimpel 2016)
        const m2 = dense(`${bn}.mlp2`, g);
        take(`${bn}.residual2`);
        t = tf.add(t, tf.reshape(m2, [B, N, C]));
        h = tf.reshape(t, [B, H, W, C]) as tf.Tensor4D;
      }
    });
  });
  // Global average pool as a batched GEMV (ones · tokens), cheaper than a leading-axis mean on wasm.
  take('head.pool');
  const [, Hf, Wf] = h.shape;
  const pooled = tf.reshape(matMul(tf.fill([B, 1, Hf * Wf], 1 / (Hf * Wf)), tf.reshape(h, [B, Hf * Wf, C])), [B, C]) as tf.Tensor2D;
  const logits = dense('head.fc', pooled);
  if (at !== ops.length) throw new Error(`internal: forward ended before op ${ops[at].layer.name} of the network description`);
  return logits;
}

/** Combines per-batch BN moments into dataset moments (law of total variance). */
export function poolBnStats(record: Map<string, BnStat[]>): Map<string, BnStat> {
  const out = new Map<string, BnStat>();
  for (const [name, list] of record) {
    const n = list[0].mean.length;
    const mean = new Float32Array(n);
    const variance = new Float32Array(n);
    for (const s of list) for (let c = 0; c < n; c++) mean[c] += s.mean[c] / list.length;
    for (const s of list) for (let c = 0; c < n; c++) variance[c] += (s.variance[c] + (s.mean[c] - mean[c]) ** 2) / list.length;
    out.set(name, { mean, variance });
  }
  return out;
}
