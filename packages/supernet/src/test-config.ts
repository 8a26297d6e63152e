import type { SupernetConfig } from './config';

/** A tiny supernet (8×8×1 inputs, one hybrid stage) for fast tests; not exported from the package. */
export function tinyConfig(): SupernetConfig {
  return {
    inputHeight: 8, inputWidth: 8, inputChannels: 1, numClasses: 3,
    stemChannels: 4, stemKernel: 3, stemStride: 2, headDim: 4,
    stages: [{ widths: [4, 8], depths: [1, 2], stride: 1, blockTypes: ['mbconv', 'vit'], kernels: [3, 5], expansions: [2], heads: [1, 2], mlpRatios: [1, 2] }],
  };
}
