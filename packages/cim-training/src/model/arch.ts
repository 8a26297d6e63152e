import { Registry } from '@cosearch/core';
import { convGeometry, type ConvGeometry } from './im2col';

/** A weight layer: a [rows × cols] matrix (fan-in × fan-out); convs carry their geometry. */
export interface WeightLayerSpec {
  name: string;
  kind: 'conv' | 'dense';
  rows: number;
  cols: number;
  conv?: ConvGeometry;
}

export type Op = { op: 'linear'; layer: number } | { op: 'relu' } | { op: 'maxpool' } | { op: 'flatten' };

/** A small feed-forward network: weight layers and the op sequence that uses them. */
export interface ArchSpec {
  name: string;
  inputShape: [number, number, number];
  numClasses: number;
  layers: WeightLayerSpec[];
  ops: Op[];
}

/** LeNet-5 (LeCun et al. 1998) with ReLU and max-pooling: conv 6@5×5 same, pool, conv 16@5×5, pool, 120, 84, classes. */
export function lenet5(inputShape: [number, number, number], numClasses: number): ArchSpec {
  const [h, w, c] = inputShape;
  const g1 = convGeometry(h, w, c, 5, 'same');
  const h2 = g1.outH >> 1;
  const w2 = g1.outW >> 1;
  const g2 = convGeometry(h2, w2, 6, 5, 'valid');
  const flat = (g2.outH >> 1) * (g2.outW >> 1) * 16;
  return {
    name: 'lenet5',
    inputShape,
    numClasses,
    layers: [
      { name: 'conv1', kind: 'conv', rows: 25 * c, cols: 6, conv: g1 },
      { name: 'conv2', kind: 'conv', rows: 150, cols: 16, conv: g2 },
      { name: 'fc1', kind: 'dense', rows: flat, cols: 120 },
      { name: 'fc2', kind: 'dense', rows: 120, cols: 84 },
      { name: 'fc3', kind: 'dense', rows: 84, cols: numClasses },
    ],
    ops: [
      { op: 'linear', layer: 0 }, { op: 'relu' }, { op: 'maxpool' },
      { op: 'linear', layer: 1 }, { op: 'relu' }, { op: 'maxpool' }, { op: 'flatten' },
      { op: 'linear', layer: 2 }, { op: 'relu' }, { op: 'linear', layer: 3 }, { op: 'relu' }, { op: 'linear', layer: 4 },
    ],
  };
}

/** One-hidden-layer perceptron (the NeuroSim 400-100-10 MLP shape on the full image). */
export function mlp(inputShape: [number, number, number], numClasses: number, hidden = 100): ArchSpec {
  const inF = inputShape[0] * inputShape[1] * inputShape[2];
  return {
    name: 'mlp',
    inputShape,
    numClasses,
    layers: [
      { name: 'fc1', kind: 'dense', rows: inF, cols: hidden },
      { name: 'fc2', kind: 'dense', rows: hidden, cols: numClasses },
    ],
    ops: [{ op: 'flatten' }, { op: 'linear', layer: 0 }, { op: 'relu' }, { op: 'linear', layer: 1 }],
  };
}

export type ArchFactory = (inputShape: [number, number, number], numClasses: number) => ArchSpec;
/** Networks by name (`--model`). */
export const modelRegistry = new Registry<ArchFactory, Record<string, never>>('model');
modelRegistry.register({ name: 'lenet5', description: 'LeNet-5 (ReLU, max-pool): conv6-conv16-120-84-classes', create: () => lenet5 });
modelRegistry.register({ name: 'mlp', description: 'one hidden layer of 100 (NeuroSim MLP shape)', create: () => mlp });

export function buildArch(name: string, inputShape: [number, number, number], numClasses: number): ArchSpec {
  return modelRegistry.create(name, {})(inputShape, numClasses);
}
