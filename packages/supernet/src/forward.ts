import { tf, type NormActivation } from '@cosearch/backend';
import { maxOf, seChannels, type SupernetConfig } from './config';
import type { SubnetArch } from './arch';
import { transitionKernel } from './layers';
import { addTrailing, batchNormTrain, channelMoments, depthwiseSame, matMul, matMulTransposeB, mulTrailing } from './ops';

/** A slice [begin, begin + size) of a stored tensor. */
export interface Region { begin: number[]; size: number[] }

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
}

const BN_EPS = 1e-3;
const LN_EPS = 1e-5;

/**
 * The subnet's forward pass on NHWC images, taking weight slices from `src`: first channels of
 * every width, centre crop of the depthwise kernel, first heads, first hidden units, first
 * `depth` blocks (REFERENCES §2). Returns logits [batch, classes]. Mirrors `subnetLayers`.
 */
export function forward(cfg: SupernetConfig, arch: SubnetArch, x: tf.Tensor4D, src: ParamSource, opts: ForwardOptions): tf.Tensor2D {
  const get = (name: string, begin: number[], size: number[]) => {
    const region = { begin, size };
    opts.usage?.set(name, region);
    return src.get(name, region);
  };
  const first = (name: string, size: number[]) => get(name, size.map(() => 0), size);

  /** BN (mode from opts.bn) followed by `act`; training mode runs both as one fused op. */
  const batchNorm = (name: string, h: tf.Tensor, ch: number, act: NormActivation = 'linear'): tf.Tensor => {
    const gamma = first(`${name}.gamma`, [ch]) as tf.Tensor1D;
    const beta = first(`${name}.beta`, [ch]) as tf.Tensor1D;
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

  const layerNorm = (name: string, t: tf.Tensor, ch: number): tf.Tensor => {
    const { mean, variance } = tf.moments(t, -1, true);
    const norm = tf.mul(tf.sub(t, mean), tf.rsqrt(tf.add(variance, LN_EPS)));
    return addTrailing(mulTrailing(norm, first(`${name}.gamma`, [ch])), first(`${name}.beta`, [ch]));
  };

  const dense = (name: string, t2: tf.Tensor2D, inF: number, outF: number, bias: boolean): tf.Tensor2D => {
    const y = matMul(t2, first(`${name}.w`, [inF, outF])) as tf.Tensor2D;
    return bias ? (addTrailing(y, first(`${name}.b`, [outF])) as tf.Tensor2D) : y;
  };

  const B = x.shape[0];
  let h: tf.Tensor4D = x;
  let C = cfg.inputChannels;
  const k0 = cfg.stemKernel;
  h = tf.conv2d(h, first('stem.w', [k0, k0, C, cfg.stemChannels]) as tf.Tensor4D, cfg.stemStride, 'same');
  h = batchNorm('stem.bn', h, cfg.stemChannels, 'relu') as tf.Tensor4D;
  C = cfg.stemChannels;

  arch.stages.forEach((st, i) => {
    const s = cfg.stages[i];
    const sn = `s${i + 1}`;
    const tk = transitionKernel(s.stride);
    const tw = first(`${sn}.trans.w`, [tk, tk, C, st.width]);
    if (tk === 1 && s.stride === 1) {
      // A 1×1 conv is a matMul over the B·H·W pixels (wasm: the backend's SIMD a·b and aᵀ·b).
      const [, H0, W0] = h.shape;
      h = tf.reshape(matMul(tf.reshape(h, [B * H0 * W0, C]), tf.reshape(tw, [C, st.width])), [B, H0, W0, st.width]) as tf.Tensor4D;
    } else {
      h = tf.conv2d(h, tw as tf.Tensor4D, s.stride, 'same');
    }
    C = st.width;
    h = batchNorm(`${sn}.trans.bn`, h, C, 'relu') as tf.Tensor4D;
    const [, H, W] = h.shape;
    st.blocks.forEach((b, j) => {
      const bn = `${sn}.b${j + 1}`;
      if (b.type === 'mbconv') {
        const hid = C * b.expansion;
        let y: tf.Tensor = dense(`${bn}.expand`, tf.reshape(h, [B * H * W, C]), C, hid, false);
        y = batchNorm(`${bn}.bn1`, tf.reshape(y, [B, H, W, hid]), hid, 'relu6');
        const kmax = maxOf(s.kernels);
        const off = (kmax - b.kernel) / 2;
        const dw = get(`${bn}.dw.w`, [off, off, 0, 0], [b.kernel, b.kernel, hid, 1]) as tf.Tensor4D;
        y = depthwiseSame(y as tf.Tensor4D, dw);
        y = batchNorm(`${bn}.bn2`, y, hid, 'relu6');
        if (s.squeezeExcite) {
          // Squeeze-excite: channel gates from the pooled hidden map (pool as a batched GEMV).
          const se = seChannels(hid);
          const z = tf.reshape(matMul(tf.fill([B, 1, H * W], 1 / (H * W)), tf.reshape(y, [B, H * W, hid])), [B, hid]) as tf.Tensor2D;
          const gate = tf.sigmoid(dense(`${bn}.se2`, tf.relu(dense(`${bn}.se1`, z, hid, se, true)), se, hid, true));
          y = tf.mul(y, tf.reshape(gate, [B, 1, 1, hid]));
        }
        y = dense(`${bn}.project`, tf.reshape(y, [B * H * W, hid]) as tf.Tensor2D, hid, C, false);
        y = batchNorm(`${bn}.bn3`, tf.reshape(y, [B, H, W, C]), C);
        h = tf.add(h, y) as tf.Tensor4D;
      } else {
        const N = H * W;
        const dh = cfg.headDim;
        const inner = b.heads * dh;
        let t: tf.Tensor = addTrailing(tf.reshape(h, [B, N, C]), first(`${bn}.pos`, [N, C]));
        const a = tf.reshape(layerNorm(`${bn}.ln1`, t, C), [B * N, C]) as tf.Tensor2D;
        const heads = (q: string) => tf.transpose(tf.reshape(dense(`${bn}.${q}`, a, C, inner, true), [B, N, b.heads, dh]), [0, 2, 1, 3]);
        const q = heads('q');
        const k = heads('k');
        const v = heads('v');
        const scores = tf.mul(matMulTransposeB(q, k), 1 / Math.sqrt(dh));
        const o = matMul(tf.softmax(scores), v); // [B, heads, N, dh]
        const merged = tf.reshape(tf.transpose(o, [0, 2, 1, 3]), [B * N, inner]) as tf.Tensor2D;
        t = tf.add(t, tf.reshape(dense(`${bn}.proj`, merged, inner, C, true), [B, N, C]));
        const hid = C * b.mlpRatio;
        const m = dense(`${bn}.mlp1`, tf.reshape(layerNorm(`${bn}.ln2`, t, C), [B * N, C]) as tf.Tensor2D, C, hid, true);
        const g = tf.mul(m, tf.sigmoid(tf.mul(m, 1.702))) as tf.Tensor2D; // GELU, sigmoid approximation (Hendrycks & Gimpel 2016)
        t = tf.add(t, tf.reshape(dense(`${bn}.mlp2`, g, hid, C, true), [B, N, C]));
        h = tf.reshape(t, [B, H, W, C]) as tf.Tensor4D;
      }
    });
  });
  // Global average pool as a batched GEMV (ones · tokens), cheaper than a leading-axis mean on wasm.
  const [, Hf, Wf] = h.shape;
  const pooled = tf.reshape(matMul(tf.fill([B, 1, Hf * Wf], 1 / (Hf * Wf)), tf.reshape(h, [B, Hf * Wf, C])), [B, C]) as tf.Tensor2D;
  return dense('head.fc', pooled, C, cfg.numClasses, true);
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
