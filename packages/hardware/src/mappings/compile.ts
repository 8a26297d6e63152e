import { ConfigError } from '@cosearch/core';
import { evalSizeExpr, layerDimSize } from './expr';
import type { Dim, Mapping, MappingLayer, MapDirective } from './types';

/**
 * Compiles a mapping for one layer into the engine's canonical form: per cluster level, the
 * directives over output-centric dimensions with evaluated integer tile sizes.
 *
 * Canonical dimensions: conv and depthwise N, K, C, R, S, Yo, Xo (depthwise has K = 1); GEMM
 * M, N, K. MAESTRO's input-centric maps on Y/X are converted to output rows/columns: a Y tile of
 * `size` input rows with the level's filter rows R_t covers ⌊(size − R_t)/stride⌋ + 1 output rows,
 * and an offset of `offset` input rows moves ⌈offset/stride⌉ output rows. With stride 1 this is
 * exactly MAESTRO's sliding window; with stride > 1 it keeps MAC counts exact (MAESTRO's
 * artefacts 1 and 2 are not reproduced). A Y map at a level that also splits R (Eyeriss's
 * row-stationary `SpatialMap(1,1) Y; SpatialMap(1,1) R`) is implied by the R map: a unit gets
 * filter row r and the input row that pairs with it, so the Y directive adds no loop.
 */

export const CONV_DIMS = ['N', 'K', 'C', 'R', 'S', 'Yo', 'Xo'] as const;
export const GEMM_DIMS = ['M', 'N', 'K'] as const;

export interface CDirective {
  dim: number; // index into the kind's canonical dims
  spatial: boolean;
  size: number;
}

export interface CLevel {
  /** Units (sub-clusters or PEs) at this level. */
  units: number;
  directives: CDirective[];
}

export interface Compiled {
  kind: MappingLayer['kind'];
  dims: readonly string[];
  /** Layer extents per canonical dim. */
  extents: number[];
  levels: CLevel[];
  strideY: number;
  strideX: number;
}

function dimList(kind: MappingLayer['kind']): readonly string[] {
  return kind === 'gemm' ? GEMM_DIMS : CONV_DIMS;
}

/** The canonical extents of a layer (Yo/Xo from the padded input and stride). */
export function canonicalExtents(layer: MappingLayer): number[] {
  const dims = dimList(layer.kind);
  return dims.map((d) => {
    if (layer.kind === 'depthwise' && d === 'K') return 1;
    if (layer.kind !== 'gemm' && d === 'N') return layer.dims.N ?? 1;
    const v = layerDimSize(layer, d as Dim);
    if (v === undefined || !Number.isInteger(v) || v < 1) {
      throw new ConfigError(`layer ${layer.name}.dims.${d}`, v, 'a positive integer');
    }
    return v;
  });
}

function fmt(d: MapDirective): string {
  return `${d.kind === 'spatial' ? 'SpatialMap' : 'TemporalMap'}(${d.size},${d.offset}) ${d.dim}`;
}

/** Splits directives into levels and checks the cluster sizes against the PE count. */
function splitLevels(mapping: Mapping, layer: MappingLayer, numPes: number): { units: number; dirs: MapDirective[] }[] {
  const groups: MapDirective[][] = [[]];
  const sizes: number[] = [];
  mapping.directives.forEach((d, i) => {
    if (d.kind === 'cluster') {
      const n = evalSizeExpr(d.size, layer, `mapping ${mapping.name} directive ${i + 1} Cluster`);
      if (!Number.isInteger(n) || n < 1) throw new ConfigError(`mapping ${mapping.name} directive ${i + 1} Cluster(${d.size})`, n, 'a cluster size ≥ 1');
      const outer = sizes.length ? sizes[sizes.length - 1] : numPes;
      if (n > outer) {
        throw new ConfigError(`mapping ${mapping.name} directive ${i + 1} Cluster(${d.size})`, n,
          sizes.length ? `at most the enclosing cluster's ${outer} PEs` : `at most the ${numPes} PEs of the array`);
      }
      sizes.push(n);
      groups.push([]);
    } else {
      groups[groups.length - 1].push(d);
    }
  });
  const bounds = [numPes, ...sizes];
  return groups.map((dirs, l) => ({
    units: l + 1 < bounds.length ? Math.floor(bounds[l] / bounds[l + 1]) : bounds[l],
    dirs,
  }));
}

export function compileMapping(layer: MappingLayer, mapping: Mapping, numPes: number): Compiled {
  if (!mapping.appliesTo.includes(layer.kind)) {
    throw new ConfigError(`mapping ${mapping.name}`, layer.kind, `a layer of kind ${mapping.appliesTo.join(' or ')} (layer ${layer.name})`);
  }
  const dims = dimList(layer.kind);
  const extents = canonicalExtents(layer);
  const idx = (d: string): number => dims.indexOf(d);
  const rI = idx('R');
  const sI = idx('S');
  // Full-tile extents handed down the levels (first case), for the Y/X → Yo/Xo conversion.
  const ext = extents.slice();
  const levels: CLevel[] = [];
  for (const { units, dirs } of splitLevels(mapping, layer, numPes)) {
    const seen = new Set<string>();
    const out: CDirective[] = [];
    const here = (d: Dim): MapDirective | undefined => dirs.find((x) => x.dim === d);
    for (const d of dirs) {
      const field = `mapping ${mapping.name} ${fmt(d)}`;
      const size = evalSizeExpr(d.size, layer, `${field} size`);
      const offset = evalSizeExpr(d.offset, layer, `${field} offset`);
      if (size < 1) throw new ConfigError(`${field} size`, size, 'a tile size ≥ 1');
      if (offset < 1) throw new ConfigError(`${field} offset`, offset, 'an offset ≥ 1');
      let cd: string = d.dim;
      if (layer.kind === 'gemm') {
        if (!['M', 'N', 'K'].includes(d.dim)) throw new ConfigError(field, d.dim, `a dimension of GEMM layer ${layer.name} (M, N, K)`);
      } else if (d.dim === 'M') {
        throw new ConfigError(field, d.dim, `a dimension of ${layer.kind} layer ${layer.name} (N, K, C, R, S, Y, X, Yo, Xo)`);
      }
      if (layer.kind === 'depthwise' && d.dim === 'K') continue; // K = 1: nothing to split
      if (layer.kind !== 'gemm' && (d.dim === 'Y' || d.dim === 'X')) {
        const isY = d.dim === 'Y';
        const fI = isY ? rI : sI;
        const fDir = here(isY ? 'R' : 'S');
        const fTile = fDir ? Math.min(evalSizeExpr(fDir.size, layer), ext[fI]) : ext[fI];
        const stride = isY ? layer.strideY : layer.strideX;
        const oI = idx(isY ? 'Yo' : 'Xo');
        if (fDir && fTile < ext[fI]) continue; // implied by the R/S map (row-stationary pairing)
        const inExt = (ext[oI] - 1) * stride + ext[fI];
        cd = isY ? 'Yo' : 'Xo';
        let sizeO: number;
        if (size >= inExt) sizeO = ext[oI];
        else {
          sizeO = Math.floor((size - fTile) / stride) + 1;
          if (sizeO < 1) throw new ConfigError(`${field} size`, size, `at least the ${fTile} filter ${isY ? 'rows' : 'columns'} of the tile`);
          const offO = Math.ceil(offset / stride);
          if (offO !== sizeO && sizeO < ext[oI]) {
            throw new ConfigError(`${field} offset`, offset,
              `an offset that moves the tile by its ${sizeO} output ${isY ? 'rows' : 'columns'} (${sizeO * stride} input; overlapping or gapped output tiles are not allowed)`);
          }
        }
        if (seen.has(cd)) throw new ConfigError(field, d.dim, `one map per dimension per cluster level (${cd} is already mapped)`);
        seen.add(cd);
        out.push({ dim: oI, spatial: d.kind === 'spatial', size: Math.min(sizeO, ext[oI]) });
        continue;
      }
      if (seen.has(cd)) throw new ConfigError(field, d.dim, `one map per dimension per cluster level (${cd} is already mapped)`);
      seen.add(cd);
      const i = idx(cd);
      if (offset !== size && size < ext[i]) {
        throw new ConfigError(`${field} offset`, offset, `the tile size ${size} (tiles of ${cd} must neither overlap nor leave gaps)`);
      }
      out.push({ dim: i, spatial: d.kind === 'spatial', size: Math.min(size, ext[i]) });
    }
    levels.push({ units, directives: out });
    for (const d of out) ext[d.dim] = Math.min(d.size, ext[d.dim]);
  }
  // Spatial maps at one level are coupled (unit i gets tile i of each): their tile counts must agree.
  return { kind: layer.kind, dims, extents, levels, strideY: layer.strideY, strideX: layer.strideX };
}
