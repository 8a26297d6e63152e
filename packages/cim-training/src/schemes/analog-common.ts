import type { Rng } from '@cosearch/core';
import { AnalogMatrix } from '../crossbar/analog-matrix';
import type { SchemeContext, WeightLayerState } from './types';

/** Shared by the in-situ schemes: the layer's weights are programmed onto a seeded chip. */
export function initAnalog(layer: WeightLayerState, w0: Float32Array, ctx: SchemeContext, chipRng: Rng): AnalogMatrix {
  const m = new AnalogMatrix(layer.rows, layer.cols, layer.wScale, ctx.model, ctx.device, ctx.crossbar.differential, chipRng);
  m.programTo(w0, chipRng.fork('initial-programming'));
  layer.analog = m;
  return m;
}
