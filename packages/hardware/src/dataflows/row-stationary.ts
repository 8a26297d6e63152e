import type { Dataflow } from './types';
import { fold, fromReuse } from './spatial';

/**
 * Row-stationary, Eyeriss-like (Chen et al. ISCA 2016): filter rows × input channels (R·C)
 * across the array rows, output rows P across the columns. A PE runs a 1-D convolution of one
 * filter row (S weights, kept in its RF) over one input row; weights are reused along the Q outputs
 * of the row and multicast horizontally, inputs are reused diagonally and through the sliding
 * window, partial sums accumulate over S in the PE and vertically over R·C.
 * Per MAC: input, weight, partial-sum read and write in the RF (4); a partial sum hops to the
 * next PE once per filter row, i.e. 1/S hops per MAC.
 */
export const rowStationary: Dataflow = {
  name: 'row-stationary-v1',
  map(s, a) {
    const f = fold(s, a, s.R * s.C, s.P);
    const inWidth = (s.Q - 1) * s.strideW + s.S;
    const inRows = (f.colsUsed - 1) * s.strideH + s.R;
    return fromReuse(s, f.computeCycles, {
      weight: f.colsUsed * s.Q,
      input: (s.R * f.colsUsed * s.S * s.Q) / (inRows * inWidth),
      output: f.rowsUsed * s.S,
      rfPerMac: 4,
      interPePerMac: 1 / s.S,
    });
  },
};
