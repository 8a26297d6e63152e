import type { Dataflow } from './types';
import { fold, fromReuse } from './spatial';

/**
 * Weight-stationary, NVDLA-like (KC-P): input channels C across rows, output channels K across
 * columns — with groups side by side on the columns (G·K), so depthwise layers fill the columns
 * instead of using one PE. A weight stays in its PE for all N·P·Q uses; each input is multicast along a row to the
 * used columns; partial sums are reduced down the rows (adder tree) and across R·S in the
 * accumulator. Per MAC: a weight-register read and an input latch (2 RF accesses), one
 * partial-sum hop to the neighbour.
 */
export const weightStationary: Dataflow = {
  name: 'weight-stationary-v1',
  map(s, a) {
    const f = fold(s, a, s.C, s.G * s.K);
    // An input is shared only by the output channels of its own group.
    const inputShare = Math.min(s.K, f.colsUsed);
    return fromReuse(s, f.computeCycles, {
      weight: s.N * s.P * s.Q,
      input: inputShare,
      output: f.rowsUsed * s.R * s.S,
      rfPerMac: 2,
      interPePerMac: 1,
    });
  },
};
