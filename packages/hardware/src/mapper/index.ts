import { ConfigError, type LayerSpec } from '@cosearch/core';
import type { HardwareConfig, MapperObjective } from '../config';
import { cacheFor } from '../cache';
import { canonicalShape } from '../shape';
import { energyTable, mappingHardware } from '../npu';
import { engineLayer, templatesFor } from './templates';
import { bestMapping } from './map-layer';
import { searchMapping, type MapperResult } from './search';

export { searchMapping, exhaustiveMapping, costEnergyJ, score as mapperScore, fits as mappingFits, MapperError } from './search';
export type { MapperOptions, MapperResult, EnergyTable } from './search';
export { mappingSpace, activePesBound, tileSizes, type Candidate as MappingCandidate } from './space';

/**
 * The mapper on one MAC layer of a network for a hardware config: what `npu.mapping: "auto"`
 * runs for that layer (same engine parameters, energy table and templates). `memo: false`
 * searches from scratch (cold), otherwise the result is memoised by (layer shape, engine
 * parameters, objective).
 */
export function findMapping(layer: LayerSpec, hw: HardwareConfig, options: { objective?: MapperObjective; memo?: boolean } = {}): MapperResult {
  const s = canonicalShape(layer);
  if (s === null) throw new ConfigError(`layer ${layer.name}.kind`, layer.kind, 'a MAC layer (conv, depthwise, dense, matmul) to map onto the NPU');
  const p = cacheFor(hw).derived.npu;
  if (p === undefined) throw new ConfigError('npu', undefined, 'an npu section (the mapper maps layers onto the NPU)');
  const ml = engineLayer(s, layer.name);
  const mhw = mappingHardware(s, p);
  const objective = options.objective ?? p.mapperObjective;
  const templates = templatesFor(ml.kind, p.rows, p.cols);
  return options.memo === false
    ? searchMapping(ml, templates, mhw, { objective, energy: energyTable(s, p) })
    : bestMapping(ml, templates, mhw, objective, energyTable(s, p), false, `auto|${ml.kind}|${p.rows}x${p.cols}`);
}
