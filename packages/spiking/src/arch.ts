import { asObject, checkNumber, ConfigError, oneOf, rejectUnknownKeys, Rng } from '@cosearch/core';
import type { SpikingLayer, SpikingNetwork } from './network';

/** One weight layer of an architecture: a 'valid' convolution or a fully connected layer. */
export type LayerDef = { kind: 'conv'; filters: number; kernel: number; stride: number } | { kind: 'dense'; units: number };

/** Input shape (HWC), hidden layers (ReLU in the ANN, LIF in the SNN) and the output classes. */
export interface SnnArch {
  inputShape: [number, number, number];
  hidden: LayerDef[];
  classes: number;
}

/** The default network on 28×28×1: conv 5×5/2 ×16 → conv 3×3/2 ×32 → 128 → 10 ('valid' padding: 12×12×16, 5×5×32). */
export const DEFAULT_ARCH: Readonly<SnnArch> = Object.freeze({
  inputShape: [28, 28, 1] as [number, number, number],
  hidden: [{ kind: 'conv', filters: 16, kernel: 5, stride: 2 }, { kind: 'conv', filters: 32, kernel: 3, stride: 2 }, { kind: 'dense', units: 128 }] as LayerDef[],
  classes: 10,
});

/** Validates an architecture from JSON; errors name the field. */
export function validateArch(raw: unknown, path = 'arch'): SnnArch {
  const o = asObject(raw, path);
  rejectUnknownKeys(o, path, ['inputShape', 'hidden', 'classes']);
  const shape = o.inputShape ?? DEFAULT_ARCH.inputShape;
  if (!Array.isArray(shape) || shape.length !== 3) throw new ConfigError(`${path}.inputShape`, shape, '[height, width, channels]');
  const inputShape = shape.map((v, i) => checkNumber(v, `${path}.inputShape[${i}]`, { integer: true, min: 1 })) as [number, number, number];
  const hiddenRaw = o.hidden ?? DEFAULT_ARCH.hidden;
  if (!Array.isArray(hiddenRaw)) throw new ConfigError(`${path}.hidden`, hiddenRaw, 'a list of layers');
  let convAllowed = true;
  const hidden = hiddenRaw.map((h, i): LayerDef => {
    const p = `${path}.hidden[${i}]`;
    const l = asObject(h, p);
    const kind = oneOf(l.kind, `${p}.kind`, ['conv', 'dense'] as const);
    if (kind === 'dense') {
      rejectUnknownKeys(l, p, ['kind', 'units']);
      convAllowed = false;
      return { kind, units: checkNumber(l.units, `${p}.units`, { integer: true, min: 1 }) };
    }
    if (!convAllowed) throw new ConfigError(`${p}.kind`, kind, '"dense" (a conv layer cannot follow a dense layer)');
    rejectUnknownKeys(l, p, ['kind', 'filters', 'kernel', 'stride']);
    return {
      kind,
      filters: checkNumber(l.filters, `${p}.filters`, { integer: true, min: 1 }),
      kernel: checkNumber(l.kernel, `${p}.kernel`, { integer: true, min: 1 }),
      stride: checkNumber(l.stride ?? 1, `${p}.stride`, { integer: true, min: 1 }),
    };
  });
  const classes = checkNumber(o.classes ?? DEFAULT_ARCH.classes, `${path}.classes`, { integer: true, min: 2 });
  const arch = { inputShape, hidden, classes };
  layerShapes(arch, path);
  return arch;
}

/** Shape bookkeeping of every weight layer (hidden + output). */
export interface LayerShape {
  def: LayerDef;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  /** Fan-in (crossbar rows) and fan-out per position (columns). */
  rows: number;
  cols: number;
}

export function layerShapes(arch: SnnArch, path = 'arch'): LayerShape[] {
  let [h, w, c] = arch.inputShape;
  const defs: LayerDef[] = [...arch.hidden, { kind: 'dense', units: arch.classes }];
  return defs.map((def, i) => {
    if (def.kind === 'conv') {
      const oh = Math.floor((h - def.kernel) / def.stride) + 1;
      const ow = Math.floor((w - def.kernel) / def.stride) + 1;
      if (oh < 1 || ow < 1) throw new ConfigError(`${path}.hidden[${i}].kernel`, def.kernel, `at most the input size ${h}×${w}`);
      const s = { def, inH: h, inW: w, inC: c, outH: oh, outW: ow, outC: def.filters, rows: def.kernel * def.kernel * c, cols: def.filters };
      [h, w, c] = [oh, ow, def.filters];
      return s;
    }
    const s = { def, inH: 1, inW: 1, inC: h * w * c, outH: 1, outW: 1, outC: def.units, rows: h * w * c, cols: def.units };
    [h, w, c] = [1, 1, def.units];
    return s;
  });
}

/** Glorot-uniform weights and zero biases, seeded (same seed → same numbers). */
export function initWeights(arch: SnnArch, seed: number): { weights: Float32Array[]; biases: Float32Array[] } {
  const rng = new Rng(seed);
  const shapes = layerShapes(arch);
  const weights = shapes.map((s, i) => {
    const fanIn = s.rows;
    const fanOut = s.def.kind === 'conv' ? s.def.kernel * s.def.kernel * s.cols : s.cols;
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    const r = rng.fork(`w${i}`);
    const w = new Float32Array(s.rows * s.cols);
    for (let k = 0; k < w.length; k++) w[k] = r.uniform(-lim, lim);
    return w;
  });
  return { weights, biases: shapes.map((s) => new Float32Array(s.cols)) };
}

/** Builds the spiking network of an architecture from weight and bias arrays (crossbar layout). */
export function toSpikingNetwork(arch: SnnArch, weights: Float32Array[], biases: Float32Array[]): SpikingNetwork {
  const layers = layerShapes(arch).map((s, i): SpikingLayer => {
    const name = i === arch.hidden.length ? 'out' : `${s.def.kind}${i}`;
    if (s.def.kind === 'conv') {
      return {
        kind: 'conv', name, inH: s.inH, inW: s.inW, inC: s.inC, kernel: s.def.kernel, stride: s.def.stride,
        filters: s.def.filters, outH: s.outH, outW: s.outW, weights: weights[i], bias: biases[i],
      };
    }
    return { kind: 'dense', name, inputs: s.rows, outputs: s.cols, weights: weights[i], bias: biases[i] };
  });
  return { inputShape: [...arch.inputShape], layers };
}
