import type { Dataflow } from './types';
import { fold, fromReuse, haloReuse } from './spatial';

/**
 * Output-stationary, ShiDianNao-like (YX-P): output rows P across array rows, output columns Q
 * across columns. Each PE keeps one output and accumulates all C·R·S products in place; a weight
 * is broadcast to every used PE; inputs are forwarded between neighbours, so a tile of outputs
 * fetches only its input window (halo reuse). Per MAC: input, weight and partial-sum register
 * accesses (3), one input hop to the neighbour.
 */
export const outputStationary: Dataflow = {
  name: 'output-stationary-v1',
  map(s, a) {
    const f = fold(s, a, s.P, s.Q);
    return fromReuse(s, f.computeCycles, {
      weight: f.rowsUsed * f.colsUsed,
      input: haloReuse(s, f.rowsUsed, f.colsUsed),
      output: s.C * s.R * s.S,
      rfPerMac: 3,
      interPePerMac: 1,
    });
  },
};
