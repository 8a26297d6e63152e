import { bitsOf, layerInputs, layerOutputs, type LayerSpec } from '@cosearch/core';
import { addEnergyJ, macEnergyJ } from './tech';
import { zeroEnergy, type EngineCost } from './result';

/** Everything the vector-unit model needs (derived once per config). */
export interface VectorParams {
  lanes: number;
  frequencyHz: number;
  nodeNm: number;
  vScale: number;
  /** Activation buffer the unit reads/writes (GLB, or the CIM buffer on a CIM-only chip). */
  bufferBytes: number;
  bufferJPerBit: number;
  dramBytesPerS: number;
  dramJPerBit: number;
}

/**
 * Element operations per output value (an op = one lane-cycle, costed as one MAC of the operand
 * width). Counts of a straightforward implementation: exp/erf/tanh by a 4-op polynomial +
 * lookup, division by reciprocal-multiply. Softmax: max, subtract, exp, sum, scale; layernorm:
 * mean, variance (2), normalise, scale-shift; batchnorm folded to scale-shift.
 */
const OPS_PER_ELEMENT: Record<string, number> = {
  relu: 1, relu6: 2, hswish: 4, sigmoid: 5, swish: 6, gelu: 8,
  batchnorm: 2, layernorm: 5, softmax: 5, add: 1,
};

/** Vector operations of a non-MAC layer (pooling: one compare/add per window element). */
export function vectorOps(l: LayerSpec): number {
  switch (l.kind) {
    case 'pool':
      return l.batch * l.channels * l.outHeight * l.outWidth * l.kernelH * l.kernelW;
    case 'activation':
      return l.elements * OPS_PER_ELEMENT[l.fn];
    case 'norm':
      return l.elements * OPS_PER_ELEMENT[l.op];
    case 'add':
      return l.elements;
    case 'softmax':
      return l.rows * l.cols * OPS_PER_ELEMENT.softmax;
    default:
      return 0;
  }
}

/**
 * Vector-unit cost: cycles = ops / lanes; energy = ops × E_op(bits) + buffer reads of inputs and
 * writes of outputs + DRAM when they do not fit in the buffer. `macs` > 0 runs an activation ×
 * activation matmul on the lanes (a chip without an NPU).
 */
export function vectorLayerCost(l: LayerSpec, p: VectorParams, macs = 0): EngineCost {
  const b = bitsOf(l);
  const ops = macs > 0 ? macs : vectorOps(l);
  const computeS = Math.ceil(ops / p.lanes) / p.frequencyHz;
  const inBits = layerInputs(l) * b.inputBits;
  const outBits = layerOutputs(l) * b.outputBits;
  const spill = (inBits + outBits) / 8 > p.bufferBytes;
  const dramBytes = spill ? (inBits + outBits) / 8 : 0;
  const dramS = dramBytes / p.dramBytesPerS;
  const energy = zeroEnergy();
  const opJ = macs > 0 ? macEnergyJ(b.inputBits, b.weightBits, p.nodeNm) : addEnergyJ(2 * b.inputBits, p.nodeNm) + macEnergyJ(b.inputBits, b.inputBits, p.nodeNm) / 2;
  energy.vector = (ops * opJ + (inBits + outBits) * p.bufferJPerBit) * p.vScale;
  energy.dram = dramBytes * 8 * p.dramJPerBit;
  const latencyS = Math.max(computeS, dramS);
  return {
    engine: 'vector',
    cycles: latencyS * p.frequencyHz,
    latencyS,
    energy,
    energyJ: energy.vector + energy.dram,
    activeUnits: p.lanes,
    utilisation: ops > 0 ? ops / (Math.ceil(ops / p.lanes) * p.lanes) : 0,
    crossbars: 0,
    adcConversions: 0,
    access: {
      dramWeightReads: 0,
      dramInputReads: spill ? layerInputs(l) : 0,
      dramOutputWrites: spill ? layerOutputs(l) : 0,
      glbWeightReads: 0,
      glbInputReads: layerInputs(l),
      glbOutputReads: 0,
      glbOutputWrites: layerOutputs(l),
      rf: 0,
      interPe: 0,
    },
    dramBytes,
    localNocBytes: 0,
    bound: dramS > computeS ? 'dram' : 'vector',
  };
}
