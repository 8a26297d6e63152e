import type { Dataflow } from './types';
import { fold, fromReuse } from './spatial';

/**
 * Input-stationary (SCNN-like ordering, dense): input channels C across rows, output columns Q
 * across columns. An input stays in its PE while every weight that touches it streams past
 * (K·R·S/(stride_h·stride_w) uses); weights are multicast along the columns; partial sums are
 * reduced down the rows. Per MAC: input register, weight latch and partial-sum update (3 RF
 * accesses), one partial-sum hop.
 */
export const inputStationary: Dataflow = {
  name: 'input-stationary-v1',
  map(s, a) {
    const f = fold(s, a, s.C, s.Q);
    return fromReuse(s, f.computeCycles, {
      weight: f.colsUsed,
      input: (s.K * s.R * s.S) / (s.strideH * s.strideW),
      output: f.rowsUsed,
      rfPerMac: 3,
      interPePerMac: 1,
    });
  },
};
