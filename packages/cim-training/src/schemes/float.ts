import type { TrainingScheme } from './types';

/** Floating-point baseline: plain SGD on digital weights, ideal matrix products. */
export function floatScheme(): TrainingScheme {
  return {
    name: 'float-v1',
    analog: false,
    init(layer, w0) {
      layer.digital = Float32Array.from(w0);
    },
    read: (layer) => layer.digital!,
    update(layer, grad, lr) {
      const w = layer.digital!;
      for (let i = 0; i < w.length; i++) w[i] -= lr * grad[i];
    },
    weights: (layer) => Float32Array.from(layer.digital!),
  };
}
