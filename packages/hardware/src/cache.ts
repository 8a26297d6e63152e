import type { LayerSpec } from '@cosearch/core';
import type { Engine, HardwareConfig } from './config';
import { derive, type Derived } from './derive';
import { canonicalShape, type Shape } from './shape';
import { averageHopsUniform, hopsBetween } from './noc';
import { areaBreakdown, domainAreasMm2 } from './area';
import { leakagePowerScale } from './dvfs';
import type { EnergyBreakdown, EngineCost } from './result';

/**
 * What evaluate() keeps between calls: per config object its derived constants, per engine
 * parameter signature the engine cost of each layer shape, per NoC signature the NoC-inclusive
 * composites, per layer object its canonical shape and key.
 */

/** A layer's cost including its NoC traffic, memoised by (shape, engine, crossing from another engine). */
export interface Composite {
  core: EngineCost;
  energy: EnergyBreakdown;
  energyJ: number;
  latencyS: number;
  nocBytes: number;
  nocS: number;
}

export interface ConfigCache {
  derived: Derived;
  area: Record<string, number>;
  areaMm2: number;
  leakageW: number;
  /**
   * Engine costs by shape key: networks repeat layer shapes (ResNet stages, ViT blocks). Shared by
   * every config whose engine parameters are equal (see `engineMemo`), so candidates that differ
   * only in, say, the NoC reuse the NPU and CIM costs.
   */
  memo: { npu: Map<string, EngineCost>; cim: Map<string, EngineCost>; vector: Map<string, EngineCost> };
  /**
   * Per memoised engine cost: the NoC-inclusive composite, by crossing key. Shared by every config
   * with the same NoC-side parameters (see `compositesFor`).
   */
  composites: CompositeMemo;
  geometry: Geometry;
}

/** NoC distances fixed by the placement: engine sites, hops to DRAM, hops NPU↔CIM, uniform average. */
export interface Geometry {
  site: Record<Engine, number>;
  dramHops: Record<Engine, number>;
  crossHops: number;
  avgHops: number;
}

function geometry(hw: HardwareConfig): Geometry {
  const n = hw.noc;
  const pl = n.placement;
  // The vector unit sits with the NPU, or with the CIM tiles on a chip without an NPU.
  const vec = hw.npu ? pl.npu : pl.cim;
  const h = (a: readonly [number, number], b: readonly [number, number]) => hopsBetween(n.topology, n.k, a, b);
  const id = (p: readonly [number, number]) => p[1] * n.k + p[0];
  return {
    site: { npu: id(pl.npu), cim: id(pl.cim), vector: id(vec) },
    dramHops: { npu: h(pl.npu, pl.dram), cim: h(pl.cim, pl.dram), vector: h(vec, pl.dram) },
    crossHops: h(pl.npu, pl.cim),
    avgHops: averageHopsUniform(n.topology, n.k),
  };
}

const caches = new WeakMap<HardwareConfig, ConfigCache>();

/** Engine-cost memos by engine-parameter signature, across configs; dropped wholesale past a size cap. */
const engineMemo = new Map<string, Map<string, EngineCost>>();
const MEMO_SIGNATURES_MAX = 128;

function memoFor(signature: string): Map<string, EngineCost> {
  let m = engineMemo.get(signature);
  if (m === undefined) {
    if (engineMemo.size >= MEMO_SIGNATURES_MAX) engineMemo.clear();
    m = new Map();
    engineMemo.set(signature, m);
  }
  return m;
}

/** Composites of layers whose input comes from the same engine site, and of crossing layers by origin. */
interface CompositeMemo {
  direct: WeakMap<EngineCost, Composite>;
  crossing: WeakMap<EngineCost, Map<string, Composite>>;
}
/** Composite memos by NoC-side signature (what `composite` reads besides the engine cost). */
const compositeMemo = new Map<string, CompositeMemo>();

function compositesFor(hw: HardwareConfig): CompositeMemo {
  const sig = JSON.stringify([hw.noc, hw.dvfs.noc, hw.dvfs.nominalVoltageV, hw.technology.nodeNm, hw.dram, hw.mapping.transferVia, !!hw.npu]);
  let m = compositeMemo.get(sig);
  if (m === undefined) {
    if (compositeMemo.size >= MEMO_SIGNATURES_MAX) compositeMemo.clear();
    m = { direct: new WeakMap(), crossing: new WeakMap() };
    compositeMemo.set(sig, m);
  }
  return m;
}

/** The inputs each engine model reads, as signatures (everything else cannot change its cost). */
function engineMemos(hw: HardwareConfig): ConfigCache['memo'] {
  const tech = `${hw.technology.nodeNm}|${hw.dram.bandwidthBytesPerS},${hw.dram.energyJPerBit}|${hw.dvfs.nominalVoltageV}`;
  const dom = (p: { voltageV: number; frequencyHz: number }) => `${p.voltageV},${p.frequencyHz}`;
  return {
    npu: memoFor(`npu|${tech}|${dom(hw.dvfs.npu)}|${JSON.stringify(hw.npu ?? null)}`),
    cim: memoFor(`cim|${tech}|${dom(hw.dvfs.cim)}|${JSON.stringify(hw.cim ?? null)}`),
    vector: memoFor(`vec|${tech}|${dom(hw.npu ? hw.dvfs.npu : hw.dvfs.cim)}|${hw.vector.lanes}|${hw.npu ? hw.npu.glbBytes + ',' + (hw.npu.glbEnergyJPerBit ?? '') : hw.cim!.bufferBytes}`),
  };
}

export function cacheFor(hw: HardwareConfig): ConfigCache {
  let c = caches.get(hw);
  if (!c) {
    const area = areaBreakdown(hw);
    let areaMm2 = 0;
    for (const v of Object.values(area)) areaMm2 += v;
    const dom = domainAreasMm2(area, hw.cim?.cellTech);
    const d = hw.dvfs;
    const leak = (a: number, v: number) => a * hw.technology.leakageWPerMm2 * leakagePowerScale(v, d.nominalVoltageV);
    const leakageW = leak(dom.npu, d.npu.voltageV) + leak(dom.cim, d.cim.voltageV) + leak(dom.noc, d.noc.voltageV);
    c = { derived: derive(hw), area, areaMm2, leakageW, memo: engineMemos(hw), composites: compositesFor(hw), geometry: geometry(hw) };
    caches.set(hw, c);
  }
  return c;
}

function shapeKey(s: Shape): string {
  return `${s.G},${s.N},${s.K},${s.C},${s.R},${s.S},${s.P},${s.Q},${s.strideH},${s.strideW},${s.H},${s.W},${s.inBits},${s.wBits},${s.outBits},${s.dynamicWeights ? 1 : 0}`;
}

/** Canonical shape and memo key of a layer object, cached: a search re-evaluates the same layer list on many configs. */
export interface LayerInfo {
  shape: Shape | null;
  key: string;
}
const layerInfos = new WeakMap<LayerSpec, LayerInfo>();

export function layerInfo(l: LayerSpec): LayerInfo {
  let info = layerInfos.get(l);
  if (info === undefined) {
    const shape = canonicalShape(l);
    info = { shape, key: shape === null ? vectorKey(l) : shapeKey(shape) };
    layerInfos.set(l, info);
  }
  return info;
}

/** Memo key of a vector-unit layer: its kind, sizes and bits (not its name). */
function vectorKey(l: LayerSpec): string {
  const b = `${l.inputBits ?? 8},${l.outputBits ?? 8}`;
  switch (l.kind) {
    case 'pool':
      return `v|pool|${l.batch},${l.channels},${l.inHeight},${l.inWidth},${l.kernelH},${l.kernelW},${l.outHeight},${l.outWidth}|${b}`;
    case 'activation':
      return `v|${l.fn}|${l.elements}|${b}`;
    case 'norm':
      return `v|${l.op}|${l.elements}|${b}`;
    case 'add':
      return `v|add|${l.elements}|${b}`;
    case 'softmax':
      return `v|softmax|${l.rows},${l.cols}|${b}`;
    default:
      return `v|${l.kind}|${l.name}`;
  }
}
