import type { ClusterDirective, Dim, Directive, MapDirective, Mapping, MappingLayer } from '../mappings/types';
import { evalSizeExpr, layerDimSize } from '../mappings/expr';

/**
 * The mapper's space for one layer: every applicable template, and per template its variants —
 * the spatial dimension pairs (two channel-like dims exchanged everywhere: KC-P ↔ CK-P), the
 * order of the top-level channel-like temporal loops, the tile sizes of the channel-like loops
 * and of the PEs' own filter loops, and cluster sizes tied to those tiles. Window loops (Y, X,
 * Y′, X′ and the outer R, S) keep the template's tiles: their sizes are tied to the filter
 * (Sz(R), 8+Sz(S)−1). Every candidate is a plain directive list with numeric sizes, in a fixed
 * order (deterministic).
 */

/** Loops without a sliding window: tiles of any size are legal, offset = size. */
const CHANNEL_DIMS: ReadonlySet<Dim> = new Set<Dim>(['N', 'K', 'C', 'M']);

export interface Candidate {
  /** Position in the canonical enumeration (ties between equal scores go to the lower index). */
  index: number;
  template: string;
  mapping: Mapping;
  /** Upper bound on the PEs working at once (product over levels of min(units, spatial iterations)). */
  activePesBound: number;
}

/**
 * Tile sizes tried for a channel-like loop of extent n: one element, the template's own tile and
 * the whole extent (the corners of the tile range: the mapper's time budget allows few analyses).
 */
export function tileSizes(n: number, original: number): number[] {
  return [...new Set([1, Math.min(original, n), n])].sort((a, b) => a - b);
}

/** Per-unit tiles tried for a spatial channel-like map of tile t > 1 (e.g. Eyeriss sets' 16 filters): 1, 4, 16, … below t, and t. */
export function spatialTileSizes(t: number): number[] {
  const out: number[] = [];
  for (let x = 1; x < t; x *= 4) out.push(x);
  out.push(t);
  return out;
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [xs.slice()];
  const out: T[][] = [];
  xs.forEach((x, i) => {
    for (const rest of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

/** The template with every size and offset evaluated for the layer. */
function numeric(m: Mapping, layer: MappingLayer): Directive[] {
  return m.directives.map((d): Directive => d.kind === 'cluster'
    ? { kind: 'cluster', size: evalSizeExpr(d.size, layer) }
    : { kind: d.kind, dim: d.dim, size: evalSizeExpr(d.size, layer), offset: evalSizeExpr(d.offset, layer, 'offset') });
}

/** Index ranges of the cluster levels: directives between two Cluster directives. */
function levels(ds: readonly Directive[]): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  ds.forEach((d, i) => {
    if (d.kind === 'cluster') {
      out.push([start, i]);
      start = i + 1;
    }
  });
  out.push([start, ds.length]);
  return out;
}

/**
 * Upper bound on active PEs: at each level, units = PEs / cluster size below (the innermost level's
 * units are the cluster's PEs), and the level's spatial loops can keep at most
 * Π ⌈(extent − size)/offset⌉ + 1 of them busy, extent being the tile the level above handed down.
 */
export function activePesBound(ds: readonly Directive[], layer: MappingLayer, numPes: number): number {
  const extent = new Map<Dim, number>();
  for (const d of ['N', 'K', 'C', 'R', 'S', 'Y', 'X', 'Yo', 'Xo', 'M'] as Dim[]) {
    const v = layerDimSize(layer, d);
    if (v !== undefined) extent.set(d, v);
  }
  let units = numPes;
  let bound = 1;
  const lv = levels(ds);
  for (let li = 0; li < lv.length; li++) {
    const [a, b] = lv[li];
    const clusterSize = li + 1 < lv.length ? (ds[b] as ClusterDirective).size as number : 1;
    const here = li + 1 < lv.length ? Math.max(1, Math.floor(units / clusterSize)) : units;
    let spatial = 1;
    let hasSpatial = false;
    for (let i = a; i < b; i++) {
      const d = ds[i] as MapDirective;
      const e = extent.get(d.dim) ?? 1;
      const size = d.size as number;
      const off = Math.max(1, d.offset as number);
      if (d.kind === 'spatial') {
        hasSpatial = true;
        spatial *= size >= e ? 1 : Math.ceil((e - size) / off) + 1;
      }
      extent.set(d.dim, Math.min(size, e));
    }
    bound *= hasSpatial ? Math.min(here, spatial) : 1;
    units = li + 1 < lv.length ? clusterSize : units;
  }
  return Math.min(bound, numPes);
}

function key(ds: readonly Directive[]): string {
  return ds.map((d) => (d.kind === 'cluster' ? `C${d.size}` : `${d.kind[0]}${d.dim}${d.size},${d.offset}`)).join(';');
}

/** The mapping with dims a and b exchanged everywhere (KC-P → CK-P: the other spatial pair). */
function swapDims(ds: readonly Directive[], a: Dim, b: Dim): Directive[] {
  return ds.map((d) => (d.kind === 'cluster' || (d.dim !== a && d.dim !== b) ? d : { ...d, dim: d.dim === a ? b : a }));
}

/**
 * Variants of one template: the spatial dimension pairs (every two channel-like dims the template
 * maps, exchanged everywhere), orders of the top level's channel-like temporal loops, and tile
 * sizes of every channel-like temporal loop whose size = offset. A cluster whose PEs spatially
 * map a dim the level above tiles gets that tile as its size (a larger cluster would idle, a
 * smaller one is another tile size); other clusters keep the template's size.
 */
function* variants(template: Mapping, layer: MappingLayer, numPes: number, tilesOnly: boolean): Generator<Directive[]> {
  const base = numeric(template, layer);
  const sz = (d: Dim) => layer.dims[d] ?? 1;
  const present = [...new Set(base.flatMap((d) => (d.kind !== 'cluster' && CHANNEL_DIMS.has(d.dim) && sz(d.dim) > 1 ? [d.dim] : [])))];
  const pairs: Directive[][] = [base];
  if (!tilesOnly) for (let i = 0; i < present.length; i++) for (let j = i + 1; j < present.length; j++) pairs.push(swapDims(base, present[i], present[j]));
  for (const sw of pairs) {
    const lv = levels(sw);
    const [a0, b0] = lv[0];
    const slots: number[] = [];
    for (let i = a0; i < b0; i++) {
      const d = sw[i];
      if (d.kind === 'temporal' && CHANNEL_DIMS.has(d.dim)) slots.push(i);
    }
    const orders = tilesOnly ? [slots.map((i) => sw[i])] : permutations(slots.map((i) => sw[i]));
    // The PEs' own filter loops (innermost level of a clustered mapping) can run a row/column at a time.
    const inner = lv.length > 1 ? lv[lv.length - 1][0] : sw.length;
    for (const order of orders) {
      const ordered = sw.slice();
      slots.forEach((slot, k) => { ordered[slot] = order[k]; });
      const tunables: { at: number; options: number[] }[] = [];
      ordered.forEach((d, i) => {
        if (d.kind === 'cluster' || d.size !== d.offset) return;
        if (d.kind === 'spatial') {
          if (CHANNEL_DIMS.has(d.dim) && (d.size as number) > 1) tunables.push({ at: i, options: spatialTileSizes(Math.min(d.size as number, sz(d.dim))) });
          return;
        }
        if (CHANNEL_DIMS.has(d.dim)) tunables.push({ at: i, options: tileSizes(sz(d.dim), d.size as number) });
        else if ((d.dim === 'R' || d.dim === 'S') && i >= inner && sz(d.dim) > 1) tunables.push({ at: i, options: [1, Math.min(d.size as number, sz(d.dim))] });
      });
      const pick = new Array<number>(tunables.length).fill(0);
      for (;;) {
        const v = ordered.slice();
        tunables.forEach((t, k) => {
          const n = t.options[pick[k]];
          v[t.at] = { ...(v[t.at] as MapDirective), size: n, offset: n };
        });
        coupleClusters(v, lv, numPes);
        yield v;
        let k = tunables.length - 1;
        while (k >= 0 && ++pick[k] === tunables[k].options.length) pick[k--] = 0;
        if (k < 0) break;
      }
    }
  }
}

/** Sets each cluster's size to the tile of the dim its PEs map spatially, when the level above tiles it (≤ the enclosing units). */
function coupleClusters(v: Directive[], lv: [number, number][], numPes: number): void {
  let enclosing = numPes;
  for (let li = 0; li + 1 < lv.length; li++) {
    const ci = lv[li][1];
    const [a, b] = lv[li + 1];
    let size = Math.min(v[ci].size as number, enclosing);
    for (let i = a; i < b; i++) {
      const d = v[i];
      if (d.kind !== 'spatial' || !CHANNEL_DIMS.has(d.dim)) continue;
      for (let j = lv[li][0]; j < ci; j++) {
        const u = v[j];
        if (u.kind === 'temporal' && u.dim === d.dim) size = Math.min(u.size as number, enclosing);
      }
    }
    v[ci] = { kind: 'cluster', size };
    enclosing = size;
  }
}

/**
 * Every candidate mapping of the layer over the given templates, deduplicated, in canonical order.
 * `tilesOnly`: only tile sizes vary (the template's spatial pair and loop order are kept) — the
 * family a named template falls back to when its own tiles do not fit the buffers.
 */
export function mappingSpace(layer: MappingLayer, templates: readonly Mapping[], numPes: number, options: { tilesOnly?: boolean } = {}): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const t of templates) {
    for (const ds of variants(t, layer, numPes, options.tilesOnly ?? false)) {
      const k = key(ds);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({
        index: out.length, template: t.name,
        mapping: { name: t.name, appliesTo: t.appliesTo, directives: ds, source: t.source },
        activePesBound: activePesBound(ds, layer, numPes),
      });
    }
  }
  return out;
}
