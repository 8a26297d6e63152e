export * from './config';
export * from './arch';
export { subnetLayers, subnetParams, subnetMacs, transitionKernel, type SubnetLayersOptions } from './layers';
export { paramSpecs, type ParamSpec, type ParamRole } from './params';
export { forward, poolBnStats, type ParamSource, type Region, type BnMode, type BnStat, type ForwardOptions } from './forward';
export { fileSystemHandler, saveArrays, loadArrays, type NamedArray } from './io';
export { AdamW } from './optimizer';
export { Supernet, CHECKPOINT_FORMAT, checkImages, imageBatch, type CalibrationOptions, type TrainState } from './supernet';
export { evaluateSubnet, accuracyOn, transformedSource, type EvaluateOptions, type SubnetEvaluation, type WeightTransform } from './evaluate';
