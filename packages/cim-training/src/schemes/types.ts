import type { Rng } from '@cosearch/core';
import type { tf } from '@cosearch/backend';
import type { LayerAccounting } from '../accounting';
import type { AnalogMatrix } from '../crossbar/analog-matrix';
import type { CrossbarConfig } from '../crossbar/config';
import type { DeviceModel, DeviceParams } from '../devices/types';

/** One weight layer as a training scheme sees it: a [rows × cols] matrix (fan-in × fan-out). */
export interface WeightLayerState {
  name: string;
  rows: number;
  cols: number;
  /** Weight units of a normalised conductance difference of 1 (analog schemes). */
  wScale: number;
  /** Weights held digitally (float / hwa schemes). */
  digital: Float32Array | null;
  /** Weights held on a simulated crossbar (naive / mixed-precision schemes). */
  analog: AnalogMatrix | null;
  /** Mixed-precision high-precision accumulator χ (weight units). */
  chi: Float32Array | null;
  accounting: LayerAccounting;
}

export interface SchemeContext {
  device: DeviceParams;
  model: DeviceModel;
  crossbar: CrossbarConfig;
}

/**
 * A training scheme: how weights are stored, read for a step, and updated. Call order per run:
 * `init` once per layer; then per optimizer step `read` (weights for this step's forward and
 * backward MVMs), optional `transformForward` inside the differentiated function, then `update`
 * with the batch-mean gradient dL/dW (weight units); `weights` gives the final noise-free
 * weights (e.g. to save or to program onto other chips).
 */
export interface TrainingScheme {
  readonly name: string;
  /** True: MVMs run through the crossbar model and weights live on devices. */
  readonly analog: boolean;
  /** Learned activation clip with this many bits after every hidden ReLU (hwa), else undefined. */
  readonly activationBits?: number;
  init(layer: WeightLayerState, w0: Float32Array, ctx: SchemeContext, chipRng: Rng): void;
  read(layer: WeightLayerState, rng: Rng): Float32Array;
  transformForward?(w: tf.Tensor2D, layer: WeightLayerState, rng: Rng): tf.Tensor2D;
  update(layer: WeightLayerState, grad: Float32Array, lr: number, step: number, ctx: SchemeContext, rng: Rng): void;
  weights(layer: WeightLayerState): Float32Array;
  /** Bits of the deployed weights (hwa), if the scheme trains for a fixed weight precision. */
  readonly weightBits?: number;
  /** The weights as deployed, noise free (hwa: quantised); defaults to `weights`. */
  deployed?(layer: WeightLayerState): Float32Array;
}
