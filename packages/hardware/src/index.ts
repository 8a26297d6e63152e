export * from './config';
export * from './result';
export { validateHardwareConfig } from './validate';
export { evaluate, evaluateModel } from './evaluate';
export { hardwarePresets, getHardwarePreset, loadHardwareConfig } from './presets';
export { dataflowRegistry, getDataflow } from './dataflows/registry';
export type { Dataflow, DataflowResult, ArrayParams } from './dataflows/types';
export { canonicalShape, foldUtil, type Shape } from './shape';
export { mapToCrossbars, losslessAdcBits, type XbarMapping, type XbarGeometry } from './crossbar';
export { maxFrequencyHz, dynamicEnergyScale, leakagePowerScale } from './dvfs';
export { averageHopsUniform, hopsBetween, nocTransfer, saturationInjection, creditEfficiency } from './noc';
export { areaBreakdown, totalAreaMm2 } from './area';
export { schemeEngine } from './mapping';
export * as tech from './tech';
export { hardwareSpace, applyHardwareCandidate, MIN_GLB_BYTES_PER_PE, type HardwareSpaceOptions } from './space';
export { validateHardwareSpace, HARDWARE_SPACE_KEYS, MAX_CHOICES as MAX_SPACE_CHOICES } from './config-space';
export { validateNetwork, type NetworkFile } from './network';
export { compareSchemes, bestBlockAssignment, type SchemeRow } from './compare';
export { cimTileParams, type CimTileParams } from './tile-params';
export * from './mappings';
export {
  engineCosts, EngineCostRegistry, ANALYTICAL_ENGINE_MODEL, DEFAULT_ENGINE_COST_PRIORITY, type EngineCostEntry, type EngineCostInput, type EngineModel,
} from './engine-costs';
export { analyticalModel, ANALYTICAL_KNOBS } from './model';
export { lutModel, lutConfig, loadLutTable, validateLutConfig, evaluateLut, LUT_KNOBS, type LutConfig, type LutResult } from './lut/model';
export { parseLutCsv, lutShape, lutBits, shapeMacs, LUT_SHAPE_FIELDS, type LutTable, type LutRow, type LutKind } from './lut/table';
export { LutIndex, LUT_RULES, type LutRule, type LutEstimate } from './lut/lookup';
export {
  findMapping, searchMapping, exhaustiveMapping, mappingSpace, activePesBound, tileSizes, costEnergyJ, mapperScore, mappingFits, MapperError,
  type MapperOptions, type MapperResult, type EnergyTable, type MappingCandidate,
} from './mapper/index';
export { mappingHardware, energyTable, mappingEnergy, wordBits, type NpuParams } from './npu';
export { importKerasModel, isKerasModel, networkFromJson, KERAS_LAYER_TYPES, type KerasImportOptions } from './import/keras';
export * from './spiking/index';
