import { CosearchError, validateLayers, type ActivationLayer, type LayerSpec } from '@cosearch/core';
import { validateNetwork, type NetworkFile } from '../network';

/**
 * Keras / tfjs-layers topology → core `LayerSpec[]`: reads a tfjs `model.json` (LayersModel,
 * `modelTopology` or `modelTopology.model_config`) or a Keras `model.to_json()` document,
 * Sequential or functional (Keras 2 / tfjs `inbound_nodes` lists and Keras 3 `{args, kwargs}`
 * nodes), infers every tensor's shape through the graph (channels-last) and emits the layers the
 * hardware model costs. Weights are not read: only the topology matters.
 */
export interface KerasImportOptions {
  /** Images per inference (default 1): multiplies every layer's batch / element count. */
  batch?: number;
  /** Operand width for every layer (default: core's DEFAULT_BITS). */
  bits?: number;
  /** Network name (default: the model's own name). */
  name?: string;
}

/** The layer classes the importer understands (anything else fails with the layer's name and class). */
export const KERAS_LAYER_TYPES = [
  'InputLayer', 'Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Dense', 'MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D',
  'GlobalMaxPooling2D', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'BatchNormalization', 'LayerNormalization', 'Activation', 'ReLU', 'Softmax',
  'Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate', 'Dot', 'MultiHeadAttention', 'Flatten', 'Reshape', 'Permute',
  'ZeroPadding2D', 'Cropping2D', 'Dropout', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'ActivityRegularization',
] as const;

type Shape = number[]; // per-sample shape (no batch axis), channels last
type Cfg = Record<string, unknown>;
interface KLayer { cls: string; name: string; cfg: Cfg; nodes: Ref[][]; kwargs: Record<string, Ref>[] }
interface Ref { layer: string; node: number; tensor: number }

const isObj = (v: unknown): v is Cfg => typeof v === 'object' && v !== null && !Array.isArray(v);
const MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

/** The model topology inside a parsed JSON document, or null if it is not a Keras / tfjs layers model. */
function topologyOf(raw: unknown): Cfg | null {
  if (!isObj(raw)) return null;
  let t: unknown = 'modelTopology' in raw ? raw.modelTopology : raw;
  if (isObj(t) && isObj(t.model_config)) t = t.model_config;
  return isObj(t) && typeof t.class_name === 'string' && MODEL_CLASSES.has(t.class_name) ? t : null;
}

/** True for a tfjs LayersModel `model.json` or a Keras model JSON (Sequential / functional). */
export function isKerasModel(raw: unknown): boolean {
  return topologyOf(raw) !== null;
}

/** A network JSON in either form: the project's `{ name, layers: LayerSpec[] }` (or a bare array), or a Keras / tfjs layers model. */
export function networkFromJson(raw: unknown, opts: KerasImportOptions = {}): NetworkFile {
  return isKerasModel(raw) ? importKerasModel(raw, opts) : validateNetwork(raw);
}

class ImportError extends CosearchError {}

const prod = (s: Shape) => s.reduce((a, b) => a * b, 1);

function pair(v: unknown, dflt: number, what: string, layer: KLayer): [number, number] {
  if (v === undefined || v === null) return [dflt, dflt];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0], v[1]];
  throw new ImportError(`layer "${layer.name}" (${layer.cls}): ${what} ${JSON.stringify(v)} is not a number or a pair of numbers`);
}

function refOf(v: unknown): Ref | null {
  // Keras 2 / tfjs: [layerName, nodeIndex, tensorIndex, kwargs?]
  if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'number' && typeof v[2] === 'number') return { layer: v[0], node: v[1], tensor: v[2] };
  // Keras 3: { class_name: '__keras_tensor__', config: { keras_history: [name, node, tensor] } }
  if (isObj(v) && isObj(v.config) && Array.isArray(v.config.keras_history)) return refOf(v.config.keras_history);
  return null;
}

function collectRefs(v: unknown, out: Ref[]): void {
  const r = refOf(v);
  if (r) { out.push(r); return; }
  if (Array.isArray(v)) v.forEach((x) => collectRefs(x, out));
}

/** The inbound nodes of a functional layer: positional tensor refs and keyword tensor refs per node. */
function parseNodes(l: Cfg): { nodes: Ref[][]; kwargs: Record<string, Ref>[] } {
  const nodes: Ref[][] = [];
  const kwargs: Record<string, Ref>[] = [];
  for (const n of Array.isArray(l.inbound_nodes) ? l.inbound_nodes : []) {
    const refs: Ref[] = [];
    const kw: Record<string, Ref> = {};
    const addKw = (o: unknown) => {
      if (!isObj(o)) return;
      for (const [k, v] of Object.entries(o)) { const r = refOf(v); if (r) kw[k] = r; }
    };
    if (isObj(n)) { // Keras 3
      collectRefs(n.args, refs);
      addKw(n.kwargs);
    } else if (Array.isArray(n)) { // Keras 2 / tfjs: a list of [name, node, tensor, kwargs]
      for (const e of n) {
        const r = refOf(e);
        if (r) refs.push(r);
        if (Array.isArray(e)) addKw(e[3]);
      }
    }
    nodes.push(refs);
    kwargs.push(kw);
  }
  return { nodes, kwargs };
}

function asLayer(l: unknown, i: number): KLayer {
  if (!isObj(l) || typeof l.class_name !== 'string') throw new ImportError(`layers[${i}]: not a Keras layer (no class_name)`);
  const cfg = isObj(l.config) ? l.config : {};
  const name = typeof l.name === 'string' ? l.name : typeof cfg.name === 'string' ? cfg.name : `layer_${i}`;
  return { cls: l.class_name, name, cfg, ...parseNodes(l) };
}

/** A layer's declared input shape (InputLayer or the first layer of a Sequential), without the batch axis. */
function declaredShape(cfg: Cfg): Shape | null {
  for (const k of ['batch_input_shape', 'batch_shape']) {
    const v = cfg[k];
    if (Array.isArray(v)) return v.slice(1) as Shape;
  }
  if (Array.isArray(cfg.input_shape)) return cfg.input_shape as Shape;
  return null;
}

function activationName(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (isObj(v)) {
    if (isObj(v.config) && typeof v.config.name === 'string') return v.config.name;
    if (typeof v.class_name === 'string') return v.class_name;
  }
  return String(v);
}

const ACTIVATIONS: Record<string, ActivationLayer['fn']> = {
  relu: 'relu', relu6: 'relu6', gelu: 'gelu', gelu_new: 'gelu', swish: 'swish', silu: 'swish', sigmoid: 'sigmoid',
  hard_swish: 'hswish', hard_silu: 'hswish', hswish: 'hswish',
};

/**
 * Imports a Keras / tfjs LayersModel topology as a `NetworkFile`. Throws one line naming the
 * layer and its class for anything it cannot cost (an unknown layer, channels_first, a nested
 * model, a Dot of rank > 3, an activation the hardware model has no unit for).
 */
export function importKerasModel(raw: unknown, opts: KerasImportOptions = {}): NetworkFile {
  const topo = topologyOf(raw);
  if (!topo) throw new ImportError('not a Keras / tfjs layers model (expected modelTopology.class_name Sequential, Model or Functional)');
  const B = opts.batch ?? 1;
  const bits = opts.bits;
  const cfg = topo.config;
  const layersRaw: unknown[] = Array.isArray(cfg) ? cfg : isObj(cfg) && Array.isArray(cfg.layers) ? cfg.layers : [];
  if (!layersRaw.length) throw new ImportError('the model has no layers (modelTopology.config.layers)');
  const modelName = opts.name ?? (isObj(cfg) && typeof cfg.name === 'string' ? cfg.name : 'keras-model');
  const layers = layersRaw.map(asLayer);
  const out: LayerSpec[] = [];
  const push = (l: LayerSpec) => out.push(bits === undefined ? l : { ...l, inputBits: bits, weightBits: bits, outputBits: bits } as LayerSpec);
  const fail = (l: KLayer, why: string): never => { throw new ImportError(`layer "${l.name}" (${l.cls}): ${why}`); };

  const activation = (l: KLayer, fn: string | null, shape: Shape, name: string) => {
    if (fn === null || fn === 'linear') return;
    if (fn === 'softmax') {
      push({ kind: 'softmax', name, rows: B * prod(shape.slice(0, -1)), cols: shape[shape.length - 1] });
      return;
    }
    const f = ACTIVATIONS[fn];
    if (!f) fail(l, `activation "${fn}" has no cost model (supported: linear, softmax, ${Object.keys(ACTIVATIONS).join(', ')})`);
    push({ kind: 'activation', fn: f, name, elements: B * prod(shape) });
  };

  const spatial = (l: KLayer, s: Shape): [number, number, number] => {
    if (l.cfg.data_format === 'channels_first') fail(l, 'data_format channels_first is not supported (channels_last only)');
    if (s.length !== 3) fail(l, `expects an input of rank 3 per sample (H, W, C), got shape ${JSON.stringify(s)}`);
    return s as [number, number, number];
  };
  const outSize = (l: KLayer, n: number, k: number, stride: number, dil: number): number => {
    const pad = (l.cfg.padding ?? 'valid') as string;
    if (pad === 'same') return Math.ceil(n / stride);
    if (pad === 'valid') return Math.floor((n - ((k - 1) * dil + 1)) / stride) + 1;
    return fail(l, `padding ${JSON.stringify(pad)} is not supported (same, valid)`);
  };

  /** Costs one call of layer `l` on input shapes `ins`; returns its output shape. */
  const apply = (l: KLayer, ins: Shape[], kw: Record<string, Shape>, suffix: string): Shape => {
    const c = l.cfg;
    const nm = l.name + suffix;
    const one = (): Shape => {
      if (ins.length !== 1) fail(l, `expects 1 input, got ${ins.length}`);
      return ins[0];
    };
    switch (l.cls) {
      case 'InputLayer':
        return ins[0] ?? declaredShape(c) ?? fail(l, 'no batch_input_shape / batch_shape');
      case 'Conv2D': {
        const [H, W, C] = spatial(l, one());
        const [kh, kw_] = pair(c.kernel_size, 1, 'kernel_size', l);
        const [sh, sw] = pair(c.strides, 1, 'strides', l);
        const [dh, dw] = pair(c.dilation_rate, 1, 'dilation_rate', l);
        const groups = typeof c.groups === 'number' ? c.groups : 1;
        const K = Number(c.filters);
        const P = outSize(l, H, kh, sh, dh), Q = outSize(l, W, kw_, sw, dw);
        push({ kind: 'conv', name: nm, batch: B, inChannels: C, outChannels: K, inHeight: H, inWidth: W, kernelH: kh, kernelW: kw_, strideH: sh, strideW: sw, outHeight: P, outWidth: Q, groups });
        activation(l, activationName(c.activation), [P, Q, K], `${nm}/act`);
        return [P, Q, K];
      }
      case 'DepthwiseConv2D':
      case 'SeparableConv2D': {
        const [H, W, C] = spatial(l, one());
        const [kh, kw_] = pair(c.kernel_size, 1, 'kernel_size', l);
        const [sh, sw] = pair(c.strides, 1, 'strides', l);
        const [dh, dw] = pair(c.dilation_rate, 1, 'dilation_rate', l);
        const m = typeof c.depth_multiplier === 'number' ? c.depth_multiplier : 1;
        const P = outSize(l, H, kh, sh, dh), Q = outSize(l, W, kw_, sw, dw);
        const dwName = l.cls === 'SeparableConv2D' ? `${nm}/depthwise` : nm;
        if (m === 1) push({ kind: 'depthwise', name: dwName, batch: B, channels: C, inHeight: H, inWidth: W, kernelH: kh, kernelW: kw_, strideH: sh, strideW: sw, outHeight: P, outWidth: Q });
        // multiplier m: a grouped conv with one group per input channel and m filters each
        else push({ kind: 'conv', name: dwName, batch: B, inChannels: C, outChannels: C * m, inHeight: H, inWidth: W, kernelH: kh, kernelW: kw_, strideH: sh, strideW: sw, outHeight: P, outWidth: Q, groups: C });
        let shape: Shape = [P, Q, C * m];
        if (l.cls === 'SeparableConv2D') {
          const K = Number(c.filters);
          push({ kind: 'conv', name: `${nm}/pointwise`, batch: B, inChannels: C * m, outChannels: K, inHeight: P, inWidth: Q, kernelH: 1, kernelW: 1, strideH: 1, strideW: 1, outHeight: P, outWidth: Q, groups: 1 });
          shape = [P, Q, K];
        }
        activation(l, activationName(c.activation), shape, `${nm}/act`);
        return shape;
      }
      case 'Dense': {
        const s = one();
        const units = Number(c.units);
        if (!s.length) fail(l, 'input has no feature axis');
        push({ kind: 'dense', name: nm, batch: B * prod(s.slice(0, -1)), inFeatures: s[s.length - 1], outFeatures: units });
        const o = [...s.slice(0, -1), units];
        activation(l, activationName(c.activation), o, `${nm}/act`);
        return o;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const [H, W, C] = spatial(l, one());
        const [kh, kw_] = pair(c.pool_size, 2, 'pool_size', l);
        const [sh, sw] = c.strides === undefined || c.strides === null ? [kh, kw_] : pair(c.strides, 1, 'strides', l);
        const P = outSize(l, H, kh, sh, 1), Q = outSize(l, W, kw_, sw, 1);
        push({ kind: 'pool', op: l.cls === 'MaxPooling2D' ? 'max' : 'avg', name: nm, batch: B, channels: C, inHeight: H, inWidth: W, kernelH: kh, kernelW: kw_, outHeight: P, outWidth: Q });
        return [P, Q, C];
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D':
      case 'GlobalAveragePooling1D':
      case 'GlobalMaxPooling1D': {
        const s = one();
        const oneD = l.cls.endsWith('1D');
        if (c.data_format === 'channels_first') fail(l, 'data_format channels_first is not supported (channels_last only)');
        if (s.length !== (oneD ? 2 : 3)) fail(l, `expects an input of rank ${oneD ? 2 : 3} per sample, got shape ${JSON.stringify(s)}`);
        const [H, W, C] = oneD ? [s[0], 1, s[1]] : s;
        push({ kind: 'pool', op: l.cls.includes('Max') ? 'max' : 'avg', name: nm, batch: B, channels: C, inHeight: H, inWidth: W, kernelH: H, kernelW: W, outHeight: 1, outWidth: 1 });
        return c.keepdims === true ? (oneD ? [1, C] : [1, 1, C]) : [C];
      }
      case 'BatchNormalization':
      case 'LayerNormalization': {
        const s = one();
        push({ kind: 'norm', op: l.cls === 'BatchNormalization' ? 'batchnorm' : 'layernorm', name: nm, elements: B * prod(s) });
        return s;
      }
      case 'Activation': {
        const s = one();
        activation(l, activationName(c.activation), s, nm);
        return s;
      }
      case 'ReLU': {
        const s = one();
        push({ kind: 'activation', fn: c.max_value === 6 ? 'relu6' : 'relu', name: nm, elements: B * prod(s) });
        return s;
      }
      case 'Softmax': {
        const s = one();
        // Keras' default axis is -1, tfjs-layers' is 1; Keras axes count the batch axis
        const axis = typeof c.axis === 'number' ? c.axis : Array.isArray(c.axis) && c.axis.length === 1 ? Number(c.axis[0]) : -1;
        const i = axis < 0 ? s.length + axis : axis - 1;
        if (i < 0 || i >= s.length) fail(l, `softmax over axis ${JSON.stringify(c.axis)} of a rank-${s.length + 1} tensor`);
        push({ kind: 'softmax', name: nm, rows: (B * prod(s)) / s[i], cols: s[i] });
        return s;
      }
      case 'Add': case 'Subtract': case 'Multiply': case 'Average': case 'Maximum': case 'Minimum': {
        if (ins.length < 2) fail(l, `expects at least 2 inputs, got ${ins.length}`);
        // broadcast (e.g. squeeze-excite's [1, 1, C] gate) to the largest input; n inputs = n − 1 element-wise ops
        const big = ins.reduce((a, b) => (prod(b) > prod(a) ? b : a));
        // core LayerSpec has one element-wise binary kind, 'add'; a multiply / max has the same cost shape
        push({ kind: 'add', name: nm, elements: B * prod(big) * (ins.length - 1) });
        return big;
      }
      case 'Concatenate': {
        if (ins.length < 2) fail(l, `expects at least 2 inputs, got ${ins.length}`);
        const r = ins[0].length;
        let axis = typeof c.axis === 'number' ? c.axis : -1;
        axis = axis < 0 ? r + axis : axis - 1; // Keras axes count the batch axis
        if (axis < 0 || axis >= r || ins.some((s) => s.length !== r)) fail(l, `cannot concatenate shapes ${JSON.stringify(ins)} on axis ${JSON.stringify(c.axis)}`);
        const o = [...ins[0]];
        o[axis] = ins.reduce((n, s) => n + s[axis], 0);
        return o;
      }
      case 'Dot': {
        if (ins.length !== 2) fail(l, `expects 2 inputs, got ${ins.length}`);
        const [a, b] = ins;
        const ax = Array.isArray(c.axes) ? (c.axes as number[]) : [c.axes as number, c.axes as number];
        if (a.length > 2 || b.length > 2) fail(l, 'Dot of tensors of rank > 3 (with batch) is not supported');
        const ia = (ax[0] < 0 ? a.length + 1 + ax[0] : ax[0]) - 1;
        const ib = (ax[1] < 0 ? b.length + 1 + ax[1] : ax[1]) - 1;
        if (a[ia] !== b[ib]) fail(l, `contracted axes differ: ${JSON.stringify(a)} axis ${ax[0]} vs ${JSON.stringify(b)} axis ${ax[1]}`);
        const restA = a.filter((_, i) => i !== ia), restB = b.filter((_, i) => i !== ib);
        const m = restA[0] ?? 1, n = restB[0] ?? 1;
        push({ kind: 'matmul', name: nm, batch: B, m, k: a[ia], n });
        return [...restA, ...restB].length ? [...restA, ...restB] : [1];
      }
      case 'MultiHeadAttention': {
        const q = ins[0] ?? fail(l, 'no query input');
        const v = kw.value ?? ins[1] ?? fail(l, 'no value input');
        const k = kw.key ?? ins[2] ?? v;
        if (c.attention_axes !== undefined && c.attention_axes !== null) fail(l, 'attention_axes other than the default is not supported');
        const H = Number(c.num_heads), kd = Number(c.key_dim);
        const vd = c.value_dim === undefined || c.value_dim === null ? kd : Number(c.value_dim);
        const Tq = prod(q.slice(0, -1)), Tv = prod(v.slice(0, -1));
        const Dq = q[q.length - 1], Dk = k[k.length - 1], Dv = v[v.length - 1];
        const outDim = c.output_shape === undefined || c.output_shape === null ? Dq
          : Array.isArray(c.output_shape) ? prod(c.output_shape as number[]) : Number(c.output_shape);
        const blk = { block: nm };
        push({ kind: 'dense', name: `${nm}/query`, batch: B * Tq, inFeatures: Dq, outFeatures: H * kd, ...blk });
        push({ kind: 'dense', name: `${nm}/key`, batch: B * Tv, inFeatures: Dk, outFeatures: H * kd, ...blk });
        push({ kind: 'dense', name: `${nm}/value`, batch: B * Tv, inFeatures: Dv, outFeatures: H * vd, ...blk });
        push({ kind: 'matmul', name: `${nm}/qk`, batch: B * H, m: Tq, k: kd, n: Tv, ...blk });
        push({ kind: 'softmax', name: `${nm}/softmax`, rows: B * H * Tq, cols: Tv, ...blk });
        push({ kind: 'matmul', name: `${nm}/av`, batch: B * H, m: Tq, k: Tv, n: vd, ...blk });
        push({ kind: 'dense', name: `${nm}/output`, batch: B * Tq, inFeatures: H * vd, outFeatures: outDim, ...blk });
        return [...q.slice(0, -1), outDim];
      }
      case 'Flatten':
        return [prod(one())];
      case 'Reshape': {
        const s = one();
        const t = (c.target_shape as number[] | undefined) ?? fail(l, 'no target_shape');
        const known = t.filter((x) => x !== -1 && x !== null);
        const o = t.map((x) => (x === -1 || x === null ? prod(s) / prod(known) : x));
        if (prod(o) !== prod(s)) fail(l, `cannot reshape ${JSON.stringify(s)} to ${JSON.stringify(t)}`);
        return o;
      }
      case 'Permute': {
        const s = one();
        const dims = (c.dims as number[] | undefined) ?? fail(l, 'no dims');
        return dims.map((d) => s[d - 1]);
      }
      case 'ZeroPadding2D':
      case 'Cropping2D': {
        const [H, W, C] = spatial(l, one());
        const p = l.cls === 'ZeroPadding2D' ? c.padding : c.cropping;
        let t: number, b: number, le: number, r: number;
        if (typeof p === 'number') [t, b, le, r] = [p, p, p, p];
        else if (Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'number')) [t, b, le, r] = [p[0], p[0], p[1], p[1]];
        else if (Array.isArray(p) && p.length === 2 && p.every((x) => Array.isArray(x))) [[t, b], [le, r]] = p as [[number, number], [number, number]];
        else return fail(l, `${l.cls === 'ZeroPadding2D' ? 'padding' : 'cropping'} ${JSON.stringify(p)} not understood`);
        const sign = l.cls === 'ZeroPadding2D' ? 1 : -1;
        return [H + sign * (t + b), W + sign * (le + r), C];
      }
      case 'Dropout': case 'SpatialDropout2D': case 'GaussianNoise': case 'GaussianDropout': case 'AlphaDropout': case 'ActivityRegularization':
        return one(); // inference: identity
      default:
        if (MODEL_CLASSES.has(l.cls)) return fail(l, 'nested models are not supported (flatten the model first)');
        return fail(l, `unsupported layer type (supported: ${KERAS_LAYER_TYPES.join(', ')})`);
    }
  };

  if (topo.class_name === 'Sequential') {
    let shape: Shape | null = (isObj(cfg) && Array.isArray(cfg.build_input_shape) ? (cfg.build_input_shape as number[]).slice(1) : null);
    layers.forEach((l, i) => {
      if (i === 0 || l.cls === 'InputLayer') shape = declaredShape(l.cfg) ?? shape;
      if (!shape) fail(l, 'the model declares no input shape (batch_input_shape on the first layer, or an InputLayer)');
      if (l.cls !== 'InputLayer') shape = apply(l, [shape!], {}, '');
    });
  } else {
    // functional: resolve nodes in list order, deferring any whose inputs are not known yet
    const shapes = new Map<string, Shape>(); // `${layer}#${node}` → output shape (one output tensor per node)
    const key = (r: Ref) => `${r.layer}#${r.node}`;
    const pending: { l: KLayer; node: number }[] = [];
    for (const l of layers) {
      if (l.cls === 'InputLayer' || !l.nodes.length) {
        if (l.cls !== 'InputLayer') fail(l, 'has no inbound nodes');
        shapes.set(`${l.name}#0`, declaredShape(l.cfg) ?? fail(l, 'no batch_input_shape / batch_shape'));
      } else l.nodes.forEach((_, node) => pending.push({ l, node }));
    }
    while (pending.length) {
      const before = pending.length;
      for (let i = 0; i < pending.length; i++) {
        const { l, node } = pending[i];
        const refs = l.nodes[node];
        const kws = l.kwargs[node];
        if (![...refs, ...Object.values(kws)].every((r) => shapes.has(key(r)))) continue;
        for (const r of [...refs, ...Object.values(kws)]) if (r.tensor !== 0) fail(l, `reads output ${r.tensor} of layer "${r.layer}" (multi-output layers are not supported)`);
        const kwShapes = Object.fromEntries(Object.entries(kws).map(([k, r]) => [k, shapes.get(key(r))!]));
        shapes.set(`${l.name}#${node}`, apply(l, refs.map((r) => shapes.get(key(r))!), kwShapes, l.nodes.length > 1 ? `#${node}` : ''));
        pending.splice(i, 1);
        i--;
      }
      if (pending.length === before) fail(pending[0].l, `its inputs (${pending[0].l.nodes[pending[0].node].map((r) => r.layer).join(', ')}) are never computed`);
    }
  }
  if (!out.length) throw new ImportError(`model "${modelName}" has no layer with a cost (only reshapes / inputs)`);
  return { name: modelName, layers: validateLayers(out, `${modelName}.layers`) };
}
