export type * from './types';
export { analyseMapping, bufferRequirements } from './analyse';
export { validateMapping } from './validate';
export { evalSizeExpr, layerDimSize } from './expr';
export { parseMaestroMapping, parseDirective, parseDirectives, formatMapping, formatDirective, type ParsedLayer } from './parse';
export { mappingTemplates, extraMappingTemplates, getMappingTemplate, type MappingTemplate, type ArrayShape } from './templates';
export { mappingLayerFromShape, mappingLayerFromSpec } from './layer';
export { compareWithMaestro, kendallTauB, exactMacs, type MaestroComparison, type CompareRow, type SweepPoint, type SweepFamily } from './maestro-compare';
