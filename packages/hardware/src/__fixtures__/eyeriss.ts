import { conv2d, type LayerSpec } from '@cosearch/core';
import ref from './timeloop-eyeriss.json';
import chip from './eyeriss-chip.json';

/** Eyeriss references shared by `timeloop.test.ts` and `tools/hw-fidelity.ts` (provenance in the JSON files). */
export { ref as timeloopReference, chip as eyerissChip };

/**
 * The spatial structure Timeloop's mapper found for the Eyeriss-like array (REFERENCES §4: 0.75
 * utilisation for C = 3, 1.0 for C = 128): filter rows × input channels (R·C) on the 12 rows,
 * output rows (Y′) on the 14 columns. As directives: 14 clusters of 12 PEs take one output row
 * each; inside, C over 4 sub-clusters of R = 3 PEs, each PE one filter row (Eyeriss pairing of Y
 * and R).
 */
export const TIMELOOP_RS = "SpatialMap(1,1) Y'; TemporalMap(16,16) K; TemporalMap(4,4) C; TemporalMap(1,1) X'; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S; " +
  'Cluster(12, P); SpatialMap(1,1) C; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S; Cluster(Sz(R), P); SpatialMap(1,1) Y; SpatialMap(1,1) R; TemporalMap(Sz(S),Sz(S)) S';

/** A Timeloop reference layer as a valid-padded 8-bit convolution. */
export function timeloopLayer(r: (typeof ref.layers)[number]): LayerSpec {
  const inSize = (r.P - 1) * r.stride + r.R;
  return conv2d({ name: r.name, inChannels: r.C, outChannels: r.M, inHeight: inSize, inWidth: inSize, kernel: r.R, stride: r.stride, padding: 'valid', bits: 8 });
}

/** AlexNet CONV1–5 (grouped conv2/4/5) at the chip's batch and bit width. */
export function alexnetConv(b = chip.batch, bits = chip.bits): LayerSpec[] {
  return [
    conv2d({ name: 'conv1', batch: b, inChannels: 3, outChannels: 96, inHeight: 227, inWidth: 227, kernel: 11, stride: 4, padding: 'valid', bits }),
    conv2d({ name: 'conv2', batch: b, inChannels: 96, outChannels: 256, inHeight: 31, inWidth: 31, kernel: 5, padding: 'valid', groups: 2, bits }),
    conv2d({ name: 'conv3', batch: b, inChannels: 256, outChannels: 384, inHeight: 15, inWidth: 15, kernel: 3, padding: 'valid', bits }),
    conv2d({ name: 'conv4', batch: b, inChannels: 384, outChannels: 384, inHeight: 15, inWidth: 15, kernel: 3, padding: 'valid', groups: 2, bits }),
    conv2d({ name: 'conv5', batch: b, inChannels: 384, outChannels: 256, inHeight: 15, inWidth: 15, kernel: 3, padding: 'valid', groups: 2, bits }),
  ];
}
