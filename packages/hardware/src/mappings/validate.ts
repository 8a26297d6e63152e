import { ConfigError, checkNumber } from '@cosearch/core';
import { bufferRequirements } from './analyse';
import { compileMapping } from './compile';
import type { MapDirective, Mapping, MappingHardware, MappingLayer } from './types';

/**
 * Checks a mapping for a layer on an accelerator and throws a one-line `ConfigError` naming the
 * field and value: directive syntax and sizes, a dimension the layer does not have, a cluster
 * larger than the PEs (or its enclosing cluster), a spatial tile larger than its dimension,
 * coupled spatial maps with different tile counts, and tiles that do not fit the PE register file
 * (L1) or the global buffer (L2), both double-buffered. Returns the compiled buffer requirements.
 */
export function validateMapping(layer: MappingLayer, mapping: Mapping, hw: MappingHardware): { l1Elems: number; l2Elems: number } {
  checkNumber(hw.numPes, 'hardware.numPes', { integer: true, min: 1 });
  checkNumber(hw.simdLanes, 'hardware.simdLanes', { integer: true, min: 1 });
  checkNumber(hw.nocHopLatencyCycles, 'hardware.nocHopLatencyCycles', { min: 0 });
  // Bandwidths and capacities may be Infinity (unconstrained), never zero or negative.
  const positive = (v: number, field: string): void => {
    if (typeof v !== 'number' || Number.isNaN(v) || v <= 0) throw new ConfigError(field, v, 'a number > 0 (Infinity = unconstrained)');
  };
  positive(hw.nocBandwidthElemsPerCycle, 'hardware.nocBandwidthElemsPerCycle');
  positive(hw.offchipBandwidthElemsPerCycle, 'hardware.offchipBandwidthElemsPerCycle');
  positive(hw.l1SizeElems, 'hardware.l1SizeElems');
  positive(hw.l2SizeElems, 'hardware.l2SizeElems');
  const c = compileMapping(layer, mapping, hw.numPes);
  // Spatial tiles: within the dimension at that level; coupled maps must pair tile for tile.
  const ext = c.extents.slice();
  for (const level of c.levels) {
    let tiles = -1;
    for (const d of level.directives) {
      if (!d.spatial) continue;
      const dim = c.dims[d.dim];
      const orig = mapping.directives.find((x): x is MapDirective => x.kind === 'spatial' && (x.dim === dim || (x.dim === 'Y' && dim === 'Yo') || (x.dim === 'X' && dim === 'Xo')));
      const n = Math.ceil(ext[d.dim] / d.size);
      if (tiles >= 0 && n !== tiles) {
        throw new ConfigError(`mapping ${mapping.name} SpatialMap ${orig?.dim ?? dim}`, n,
          `${tiles} spatial tiles, as the other spatial map of the same cluster level (coupled maps pair tile for tile)`);
      }
      tiles = n;
    }
    for (const d of level.directives) ext[d.dim] = Math.min(ext[d.dim], d.size);
  }
  for (const d of mapping.directives) {
    if (d.kind !== 'spatial') continue;
    const size = typeof d.size === 'number' ? d.size : NaN;
    const full = layer.dims[d.dim];
    if (Number.isFinite(size) && full !== undefined && size > full) {
      throw new ConfigError(`mapping ${mapping.name} SpatialMap(${d.size},${d.offset}) ${d.dim} size`, size, `at most ${d.dim} = ${full} of layer ${layer.name}`);
    }
  }
  const req = bufferRequirements(layer, mapping, hw);
  if (req.l1Elems > hw.l1SizeElems) {
    throw new ConfigError(`mapping ${mapping.name} PE tile (layer ${layer.name})`, req.l1Elems,
      `at most the register file's ${hw.l1SizeElems} elements (double-buffered input + filter + output tile)`);
  }
  if (req.l2Elems > hw.l2SizeElems) {
    throw new ConfigError(`mapping ${mapping.name} global-buffer tile (layer ${layer.name})`, req.l2Elems,
      `at most the global buffer's ${hw.l2SizeElems} elements (double-buffered input + filter + output tile)`);
  }
  return req;
}
