import { CosearchError, Rng, type LayerSpec } from '@cosearch/core';
import { validateSnnConfig, type SnnConfig } from './config';
import { encode } from './encoders';
import { lifState, lifStep, resetLif, type LifState } from './lif';

/**
 * A fully connected LIF layer: `weights[i·outputs + o]` (crossbar row i = input i, column o =
 * neuron o); `bias[o]` is a constant current the neuron circuit adds every step.
 */
export interface DenseLayer {
  kind: 'dense';
  name: string;
  inputs: number;
  outputs: number;
  weights: Float32Array;
  bias: Float32Array;
}

/**
 * A convolutional LIF layer ('valid' padding), input and output HWC. `weights` in HWIO order
 * (`[((ky·k + kx)·inC + c)·filters + f]`, the tfjs layout), i.e. a crossbar of k·k·inC rows and
 * `filters` columns that each output position reads in turn.
 */
export interface ConvLayer {
  kind: 'conv';
  name: string;
  inH: number;
  inW: number;
  inC: number;
  kernel: number;
  stride: number;
  filters: number;
  outH: number;
  outW: number;
  weights: Float32Array;
  bias: Float32Array;
}

export type SpikingLayer = DenseLayer | ConvLayer;

/**
 * A feed-forward SNN: every layer is LIF; the last one is the output layer read by time to first
 * spike. `rowConductanceS[l][r]` (optional, set by `programNetwork`) is the sum of the
 * conductances on crossbar row r of layer l (both devices of every pair), for read energy.
 */
export interface SpikingNetwork {
  inputShape: [number, number, number];
  layers: SpikingLayer[];
  rowConductanceS?: Float64Array[];
}

export function layerInputs(l: SpikingLayer): number {
  return l.kind === 'dense' ? l.inputs : l.inH * l.inW * l.inC;
}

export function layerOutputs(l: SpikingLayer): number {
  return l.kind === 'dense' ? l.outputs : l.outH * l.outW * l.filters;
}

/** Crossbar rows × columns a layer's weights occupy (before tiling into physical arrays). */
export function crossbarShape(l: SpikingLayer): { rows: number; cols: number } {
  return l.kind === 'dense' ? { rows: l.inputs, cols: l.outputs } : { rows: l.kernel * l.kernel * l.inC, cols: l.filters };
}

/** Core layer list of the network (for the hardware models); MACs are those of one time step. */
export function networkLayerSpecs(net: SpikingNetwork): LayerSpec[] {
  return net.layers.map((l): LayerSpec =>
    l.kind === 'dense'
      ? { kind: 'dense', name: l.name, batch: 1, inFeatures: l.inputs, outFeatures: l.outputs }
      : {
          kind: 'conv', name: l.name, batch: 1, inChannels: l.inC, outChannels: l.filters, inHeight: l.inH, inWidth: l.inW,
          kernelH: l.kernel, kernelW: l.kernel, strideH: l.stride, strideW: l.stride, outHeight: l.outH, outWidth: l.outW,
        },
  );
}

/** Checks that consecutive layers fit together and array sizes match; throws a one-line error. */
export function checkNetwork(net: SpikingNetwork): void {
  let n = net.inputShape[0] * net.inputShape[1] * net.inputShape[2];
  for (const l of net.layers) {
    const inN = layerInputs(l);
    if (inN !== n) throw new CosearchError(`layer ${l.name}: expects ${inN} inputs, the previous layer gives ${n}`);
    const { rows, cols } = crossbarShape(l);
    if (l.weights.length !== rows * cols) throw new CosearchError(`layer ${l.name}: weights have ${l.weights.length} values, expected ${rows}×${cols}`);
    if (l.bias.length !== cols) throw new CosearchError(`layer ${l.name}: bias has ${l.bias.length} values, expected ${cols}`);
    if (l.kind === 'conv' && (l.outH !== Math.floor((l.inH - l.kernel) / l.stride) + 1 || l.outW !== Math.floor((l.inW - l.kernel) / l.stride) + 1)) {
      throw new CosearchError(`layer ${l.name}: output ${l.outH}×${l.outW} does not follow from input ${l.inH}×${l.inW}, kernel ${l.kernel}, stride ${l.stride}`);
    }
    n = layerOutputs(l);
  }
}

/** Per-image activity and outcome of one simulation. */
export interface ImageResult {
  prediction: number;
  /** Step of the first output spike (−1: no output spike within T, class from the membrane). */
  decisionStep: number;
  /** Steps simulated (T, or decisionStep + 1 with `stopAtFirstSpike`). */
  stepsRun: number;
  /** Input spikes (encoder) and output spikes of each layer. */
  inputSpikes: number;
  layerSpikes: number[];
  /** Crossbar row reads per layer (one per input spike per output position it feeds). */
  rowReads: number[];
  /** Σ over row reads of the row's conductance (S), per layer: read energy = V²·t·this. */
  rowReadSiemens: number[];
}

/**
 * Event-driven simulator of one network: per step, each presynaptic spike reads its crossbar row
 * into the input currents of the neurons it reaches (the analog MVM of a spike vector), the
 * neuron circuits add their bias and integrate (LIF), and their spikes feed the next layer in
 * the same step. Readout: the output neuron that spikes first wins; when several spike in that
 * step, the one with the highest membrane potential; with no output spike within T, the highest
 * membrane potential at the end.
 */
export class SnnSimulator {
  private readonly states: LifState[];
  private readonly currents: Float32Array[];
  private readonly spikesOut: Uint8Array[];
  private readonly vAtSpike: Float32Array;
  readonly cfg: SnnConfig;

  constructor(readonly net: SpikingNetwork, cfg: Partial<SnnConfig> = {}) {
    checkNetwork(net);
    this.cfg = validateSnnConfig(cfg);
    this.states = net.layers.map((l) => lifState(layerOutputs(l)));
    this.currents = net.layers.map((l) => new Float32Array(layerOutputs(l)));
    this.spikesOut = net.layers.map((l) => new Uint8Array(layerOutputs(l)));
    this.vAtSpike = new Float32Array(layerOutputs(net.layers[net.layers.length - 1]));
  }

  /** A copy of layer `l`'s membrane potentials after the last step run. */
  membrane(l: number): Float32Array {
    return Float32Array.from(this.states[l].v);
  }

  /** Runs one image (HWC intensities in [0, 1]); `rng` drives the rate encoder. */
  run(image: ArrayLike<number>, rng: Rng): ImageResult {
    const { net, cfg } = this;
    const T = cfg.steps;
    const train = encode(cfg.encoding, image, T, rng);
    const L = net.layers.length;
    for (const s of this.states) resetLif(s);
    const layerSpikes = new Array<number>(L).fill(0);
    const rowReads = new Array<number>(L).fill(0);
    const rowReadSiemens = new Array<number>(L).fill(0);
    let inputSpikes = 0;
    let decisionStep = -1;
    let prediction = -1;
    let stepsRun = 0;
    const nIn = train.n;
    const inSpikes = new Uint8Array(nIn);
    const outLayer = L - 1;
    for (let t = 0; t < T; t++) {
      stepsRun = t + 1;
      let any = 0;
      for (let i = 0; i < nIn; i++) any += inSpikes[i] = train.spikes[t * nIn + i];
      inputSpikes += any;
      let prev: Uint8Array = inSpikes;
      for (let li = 0; li < L; li++) {
        const layer = net.layers[li];
        const cur = this.currents[li];
        // bias per neuron (a conv layer's bias repeats at every output position)
        for (let o = 0, nb = layer.bias.length; o < cur.length; o += nb) cur.set(layer.bias, o);
        const g = net.rowConductanceS?.[li];
        const reads = layer.kind === 'dense' ? denseCurrent(layer, prev, cur, g) : convCurrent(layer, prev, cur, g);
        rowReads[li] += reads.rows;
        rowReadSiemens[li] += reads.siemens;
        const threshold = li === outLayer ? cfg.threshold * cfg.outputThresholdScale : cfg.threshold;
        const out = this.spikesOut[li];
        const n = lifStep(this.states[li], cur, cfg, threshold, out, li === outLayer ? this.vAtSpike : undefined);
        layerSpikes[li] += n;
        if (li === outLayer && n > 0 && decisionStep < 0) {
          decisionStep = t;
          let best = -Infinity;
          for (let o = 0; o < out.length; o++) if (out[o] && this.vAtSpike[o] > best) [best, prediction] = [this.vAtSpike[o], o];
        }
        prev = out;
      }
      if (decisionStep >= 0 && cfg.stopAtFirstSpike) break;
    }
    if (decisionStep < 0) {
      const v = this.states[outLayer].v;
      let best = -Infinity;
      for (let o = 0; o < v.length; o++) if (v[o] > best) [best, prediction] = [v[o], o];
    }
    return { prediction, decisionStep, stepsRun, inputSpikes, layerSpikes, rowReads, rowReadSiemens };
  }
}

function denseCurrent(l: DenseLayer, s: Uint8Array, cur: Float32Array, g: Float64Array | undefined): { rows: number; siemens: number } {
  const nOut = l.outputs;
  const w = l.weights;
  let rows = 0;
  let siemens = 0;
  for (let i = 0; i < l.inputs; i++) {
    if (!s[i]) continue;
    rows++;
    if (g) siemens += g[i];
    const base = i * nOut;
    for (let o = 0; o < nOut; o++) cur[o] += w[base + o];
  }
  return { rows, siemens };
}

function convCurrent(l: ConvLayer, s: Uint8Array, cur: Float32Array, g: Float64Array | undefined): { rows: number; siemens: number } {
  const { inW, inC, kernel: k, stride, filters: F, outH, outW } = l;
  const w = l.weights;
  let rows = 0;
  let siemens = 0;
  for (let idx = 0; idx < s.length; idx++) {
    if (!s[idx]) continue;
    const c = idx % inC;
    const x = ((idx - c) / inC) % inW;
    const y = Math.floor(idx / (inC * inW));
    // output positions (oy, ox) with oy·stride + ky = y, 0 ≤ ky < k
    for (let ky = y % stride; ky < k; ky += stride) {
      const oy = (y - ky) / stride;
      if (oy < 0) break;
      if (oy >= outH) continue;
      for (let kx = x % stride; kx < k; kx += stride) {
        const ox = (x - kx) / stride;
        if (ox < 0) break;
        if (ox >= outW) continue;
        const row = (ky * k + kx) * inC + c;
        rows++;
        if (g) siemens += g[row];
        const wb = row * F;
        const ob = (oy * outW + ox) * F;
        for (let f = 0; f < F; f++) cur[ob + f] += w[wb + f];
      }
    }
  }
  return { rows, siemens };
}

/** Accuracy and mean activity of a network over a set of images (HWC, [0, 1]). */
export interface SnnEvaluation {
  accuracy: number;
  images: number;
  /** Share of images with no output spike within T (class read from the membrane instead). */
  noSpikeFraction: number;
  /** Mean step of the first output spike over the images that had one. */
  meanDecisionStep: number;
  /** Per image: encoder spikes, all layers' spikes, and their sum. */
  inputSpikesPerImage: number;
  layerSpikesPerImage: number[];
  spikesPerImage: number;
  rowReadsPerImage: number[];
  rowReadSiemensPerImage: number[];
  stepsPerImage: number;
}

/**
 * Runs `n` images (`images` is n × size, labels class ids); the rate encoder of image k draws
 * from `Rng(cfg.seed).fork(k)`, so the same images, order and seed give the same spike trains
 * (and nothing depends on what was simulated before).
 */
export function evaluateSnn(net: SpikingNetwork, images: Float32Array, labels: ArrayLike<number>, cfg: Partial<SnnConfig> = {}): SnnEvaluation {
  const sim = new SnnSimulator(net, cfg);
  const size = net.inputShape[0] * net.inputShape[1] * net.inputShape[2];
  const n = labels.length;
  if (images.length !== n * size) throw new CosearchError(`images: ${images.length} values, expected ${n} × ${size}`);
  const root = new Rng(sim.cfg.seed);
  const L = net.layers.length;
  let correct = 0;
  let noSpike = 0;
  let decisionSum = 0;
  let inSp = 0;
  let steps = 0;
  const lsp = new Array<number>(L).fill(0);
  const rr = new Array<number>(L).fill(0);
  const rs = new Array<number>(L).fill(0);
  for (let k = 0; k < n; k++) {
    const r = sim.run(images.subarray(k * size, (k + 1) * size), root.fork(k));
    if (r.prediction === labels[k]) correct++;
    if (r.decisionStep < 0) noSpike++;
    else decisionSum += r.decisionStep;
    inSp += r.inputSpikes;
    steps += r.stepsRun;
    for (let l = 0; l < L; l++) {
      lsp[l] += r.layerSpikes[l];
      rr[l] += r.rowReads[l];
      rs[l] += r.rowReadSiemens[l];
    }
  }
  const per = (x: number) => (n > 0 ? x / n : 0);
  const layerSpikesPerImage = lsp.map(per);
  return {
    accuracy: per(correct),
    images: n,
    noSpikeFraction: per(noSpike),
    meanDecisionStep: n - noSpike > 0 ? decisionSum / (n - noSpike) : NaN,
    inputSpikesPerImage: per(inSp),
    layerSpikesPerImage,
    spikesPerImage: per(inSp) + layerSpikesPerImage.reduce((a, b) => a + b, 0),
    rowReadsPerImage: rr.map(per),
    rowReadSiemensPerImage: rs.map(per),
    stepsPerImage: per(steps),
  };
}
