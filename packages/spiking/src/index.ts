export { ENCODINGS, RESET_MODES, SNN_DEFAULTS, validateSnnConfig, validateLifParams, type Encoding, type ResetMode, type LifParams, type SnnConfig } from './config';
export { isiEncode, rateEncode, ttfsEncode, encode, spikeCounts, type SpikeTrain } from './encoders';
export { lifState, lifStep, resetLif, type LifState } from './lif';
export {
  SnnSimulator, evaluateSnn, checkNetwork, crossbarShape, layerInputs, layerOutputs, networkLayerSpecs,
  type SpikingNetwork, type SpikingLayer, type DenseLayer, type ConvLayer, type ImageResult, type SnnEvaluation,
} from './network';
export { programNetwork, rowConductancesS, withConductances, type ProgramOptions } from './crossbar';
export { DEFAULT_ARCH, validateArch, layerShapes, initWeights, toSpikingNetwork, type SnnArch, type LayerDef, type LayerShape } from './arch';
export { trainAnn, annAccuracy, annForward, convertToSnn, type TrainedAnn, type AnnTrainOptions, type ConversionOptions, type ConvertedSnn, type LabelledImages } from './convert';
export { spikeFunction, surrogateDerivative, snnForward, trainSurrogate, encodeBatch, type SurrogateTrainOptions, type SurrogateTrainResult } from './surrogate';
