import type { Dataflow } from './types';
import { fromReuse } from './spatial';

/**
 * TPU-like weight-stationary systolic array (Jouppi et al. ISCA 2017; timing from SCALE-Sim,
 * Samajdar et al. 2018). The reduction C·R·S (im2col rows) maps on the array rows, output
 * channels K on the columns, and the N·P·Q output pixels stream through. One fold of an R×C
 * array streaming T vectors takes 2R + C + T − 2 cycles (fill, stream, drain); groups sit side by
 * side on the columns (block-diagonal weights), folds = ⌈C·R·S/rows⌉·⌈G·K/cols⌉. Inputs flow right and partial sums down: per MAC one weight-register
 * read and two PE-to-PE hops.
 */
export const systolic: Dataflow = {
  name: 'systolic-ws-v1',
  map(s, a) {
    const dRow = s.C * s.R * s.S;
    const fr = Math.ceil(dRow / a.rows);
    const fc = Math.ceil((s.G * s.K) / a.cols);
    const T = s.N * s.P * s.Q;
    const cycles = fr * fc * (2 * a.rows + a.cols + T - 2);
    return fromReuse(s, cycles, {
      weight: T,
      input: Math.min(s.K, (s.G * s.K) / fc),
      output: dRow / fr,
      rfPerMac: 1,
      interPePerMac: 2,
    });
  },
};
