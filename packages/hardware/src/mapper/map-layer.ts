import { ConfigError, CosearchError } from '@cosearch/core';
import type { Shape } from '../shape';
import type { NpuParams } from '../npu';
import type { Mapping, MappingCost, MappingHardware, MappingLayer } from '../mappings/types';
import { analyseMapping } from '../mappings/analyse';
import { validateMapping } from '../mappings/validate';
import { formatDirectives, engineLayer, isDirectiveText, templateFor, templatesFor } from './templates';
import { searchMapping, type EnergyTable, type MapperResult } from './search';

export type { EnergyTable } from './search';

/** The mapping an NPU layer runs with and its analysis. */
export interface LayerMappingChoice {
  name: string;
  directives: string;
  cost: MappingCost;
  /** 'mapper' for "auto", and for a template whose tiles were shrunk to fit the buffers. */
  chosenBy: 'config' | 'mapper';
}

/**
 * Mapper results by (layer, engine parameters, objective, energy table): networks repeat shapes,
 * and co-search candidates that differ only off the NPU (CIM, NoC, scheme) reuse them. Dropped
 * wholesale past a size cap.
 */
const mapperMemo = new Map<string, MapperResult>();
const MAPPER_MEMO_MAX = 4096;

function layerKey(l: MappingLayer): string {
  return `${l.kind}|${Object.entries(l.dims).sort().map(([k, v]) => `${k}${v}`).join(',')}|${l.strideY},${l.strideX}|${l.groups ?? 1}`;
}

function hwKey(h: MappingHardware): string {
  return `${h.numPes},${h.nocBandwidthElemsPerCycle},${h.nocHopLatencyCycles},${h.multicast},${h.spatialReduction},${h.offchipBandwidthElemsPerCycle},${h.l1SizeElems},${h.l2SizeElems},${h.doubleBuffering},${h.simdLanes},${h.offchipModel ?? ''}`;
}

/** Memoised `searchMapping` for one layer (cold: the search; warm: a map lookup). */
export function bestMapping(layer: MappingLayer, templates: readonly Mapping[], hw: MappingHardware, objective: NpuParams['mapperObjective'], e: EnergyTable, tilesOnly = false, templatesKey?: string): MapperResult {
  // Registry templates are fixed by (name, kind, array): the caller may name them instead of listing their directives.
  const tk = templatesKey ?? templates.map((t) => `${t.name}:${JSON.stringify(t.directives)}`).join(',');
  const k = `${layerKey(layer)}|${tk}|${hwKey(hw)}|${objective}|${e.macJ},${e.interPeJ},${Object.values(e.l1)},${Object.values(e.l2)},${Object.values(e.dram)}|${tilesOnly}`;
  let r = mapperMemo.get(k);
  if (r === undefined) {
    if (mapperMemo.size >= MAPPER_MEMO_MAX) mapperMemo.clear();
    r = searchMapping(layer, templates, hw, { objective, energy: e, tilesOnly });
    mapperMemo.set(k, r);
  }
  return r;
}

/**
 * Picks and analyses the mapping of one MAC layer: the template `npu.mapping` names (instantiated
 * for the array and the layer's kind, then checked: a tile above its buffer, a spatial size above
 * the array or a dimension the layer lacks is a ConfigError naming `npu.mapping`), or for "auto"
 * the mapper's best over every applicable template.
 */
export function mapLayer(s: Shape, p: NpuParams, hw: MappingHardware, e: EnergyTable, name = 'layer'): LayerMappingChoice {
  const layer = engineLayer(s, name);
  if (p.mapping === 'auto') {
    const r = bestMapping(layer, templatesFor(layer.kind, p.rows, p.cols), hw, p.mapperObjective, e, false, `auto|${layer.kind}|${p.rows}x${p.cols}`);
    return { name: r.mapping.name, directives: formatDirectives(r.mapping), cost: r.cost, chosenBy: 'mapper' };
  }
  const { mapping: m, layer: ml } = templateFor(p.mapping, layer, p.rows, p.cols);
  try {
    validateMapping(ml, m, hw);
  } catch (err) {
    if (!(err instanceof CosearchError)) throw err;
    // A template's tiles are defaults: shrink them to the buffers (same spatial pair and loop
    // order). A mapping the user wrote out is taken as written.
    let note = '';
    if (!isDirectiveText(p.mapping)) {
      const r = familyMapping(ml, m, hw, p.mapperObjective, e);
      if (r !== null) return { name: m.name, directives: formatDirectives(r.mapping), cost: r.cost, chosenBy: 'mapper' };
      note = '; none of the template\'s smaller tile sizes fits the RF and GLB either';
    }
    throw new ConfigError('npu.mapping', p.mapping, `a mapping that fits layer ${JSON.stringify(layer.name)} on this NPU (${err.message}${note})`);
  }
  return { name: m.name, directives: formatDirectives(m), cost: analyseMapping(ml, m, hw), chosenBy: 'config' };
}

/** Best tile sizes of one template that fit the buffers, or null if none does (memoised like `bestMapping`). */
function familyMapping(layer: MappingLayer, m: Mapping, hw: MappingHardware, objective: NpuParams['mapperObjective'], e: EnergyTable): MapperResult | null {
  try {
    return bestMapping(layer, [m], hw, objective, e, true);
  } catch (err) {
    if (err instanceof CosearchError) return null;
    throw err;
  }
}
