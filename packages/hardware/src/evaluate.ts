import { layerInputs, bitsOf, type LayerSpec } from '@cosearch/core';
import type { Engine, HardwareConfig } from './config';
import { derive, type Derived } from './derive';
import { canonicalShape, type Shape } from './shape';
import { npuLayerCost } from './npu';
import { cimLayerCost } from './cim';
import { vectorLayerCost } from './vector';
import { mapToCrossbars } from './crossbar';
import { averageHopsUniform, hopsBetween, nocTransfer } from './noc';
import { areaBreakdown, domainAreasMm2 } from './area';
import { leakagePowerScale } from './dvfs';
import { schemeEngine } from './mapping';
import { ENERGY_COMPONENTS, zeroEnergy, type EngineCost, type HardwareResult, type LayerResult } from './result';

interface ConfigCache {
  derived: Derived;
  area: Record<string, number>;
  areaMm2: number;
  leakageW: number;
  /** Engine costs by shape key: networks repeat layer shapes (ResNet stages, ViT blocks). */
  memo: Map<string, EngineCost>;
}

const caches = new WeakMap<HardwareConfig, ConfigCache>();

function cacheFor(hw: HardwareConfig): ConfigCache {
  let c = caches.get(hw);
  if (!c) {
    const area = areaBreakdown(hw);
    let areaMm2 = 0;
    for (const v of Object.values(area)) areaMm2 += v;
    const dom = domainAreasMm2(area);
    const d = hw.dvfs;
    const leak = (a: number, v: number) => a * hw.technology.leakageWPerMm2 * leakagePowerScale(v, d.nominalVoltageV);
    const leakageW = leak(dom.npu, d.npu.voltageV) + leak(dom.cim, d.cim.voltageV) + leak(dom.noc, d.noc.voltageV);
    c = { derived: derive(hw), area, areaMm2, leakageW, memo: new Map() };
    caches.set(hw, c);
  }
  return c;
}

function shapeKey(s: Shape, engine: Engine, extra: string): string {
  return `${engine}|${s.G},${s.N},${s.K},${s.C},${s.R},${s.S},${s.P},${s.Q},${s.strideH},${s.strideW},${s.H},${s.W},${s.inBits},${s.wBits},${s.outBits},${s.dynamicWeights ? 1 : 0}|${extra}`;
}

interface CimPlan {
  program: boolean;
  replication: number;
  crossbarsNeeded: number;
}

function engineCost(l: LayerSpec, s: Shape | null, engine: Engine, d: Derived, cim: CimPlan, memo: Map<string, EngineCost>): EngineCost {
  if (s === null) return vectorLayerCost(l, d.vector);
  const program = s.dynamicWeights || cim.program;
  const key = shapeKey(s, engine, engine === 'cim' ? `${program ? 1 : 0},${cim.replication}` : '');
  let c = memo.get(key);
  if (c === undefined) {
    if (engine === 'npu') c = npuLayerCost(s, d.npu!);
    else if (engine === 'cim') c = cimLayerCost(s, d.cim!, { program, replication: s.dynamicWeights ? 1 : cim.replication });
    else c = vectorLayerCost(l, d.vector, s.macs);
    memo.set(key, c);
  }
  return c;
}

/** Which engine runs each layer (resolving 'greedy-edp' by costing both engines). */
function assignEngines(layers: readonly LayerSpec[], shapes: (Shape | null)[], hw: HardwareConfig, c: ConfigCache): Engine[] {
  const optimistic: CimPlan = { program: false, replication: 1, crossbarsNeeded: 0 };
  return layers.map((l, i) => {
    const e = schemeEngine(l, hw);
    if (e !== null) return e;
    const s = shapes[i]!;
    const options: Engine[] = [hw.npu ? 'npu' : 'vector', 'cim'];
    let best: Engine = options[0];
    let bestEdp = Infinity;
    for (const o of options) {
      const cost = engineCost(l, s, o, c.derived, optimistic, c.memo);
      const edp = cost.energyJ * cost.latencyS;
      if (edp < bestEdp) { bestEdp = edp; best = o; }
    }
    return best;
  });
}

/**
 * Weights stay in the crossbars when every CIM-assigned static layer fits together with the
 * largest dynamic (matmul) operand; spare tiles then replicate every layer ⌊tiles/needed⌋ times.
 * Otherwise each CIM layer is programmed every inference.
 */
function planCim(shapes: (Shape | null)[], engines: Engine[], hw: HardwareConfig): CimPlan {
  if (!hw.cim) return { program: false, replication: 1, crossbarsNeeded: 0 };
  let statics = 0;
  let dynamicMax = 0;
  shapes.forEach((s, i) => {
    if (s === null || engines[i] !== 'cim') return;
    const n = mapToCrossbars(s, hw.cim!).crossbars;
    if (s.dynamicWeights) dynamicMax = Math.max(dynamicMax, n);
    else statics += n;
  });
  const needed = statics + dynamicMax;
  if (needed === 0) return { program: false, replication: 1, crossbarsNeeded: 0 };
  const fits = needed <= hw.cim.tiles;
  return { program: !fits, replication: fits && statics > 0 ? Math.max(1, Math.floor((hw.cim.tiles - dynamicMax) / statics)) : 1, crossbarsNeeded: needed };
}

/**
 * Maps a network onto a hardware config: per-layer engine costs (memoised by shape), NoC
 * traffic (DRAM ↔ engine, CIM scatter/gather, activations crossing engines), leakage over the
 * runtime, area. Layers run in sequence; with `mapping.pipeline` successive inferences overlap
 * and `intervalS` is the busiest engine's time (H4H-NAS pipelining bounded by the slowest stage).
 */
export function evaluate(layers: readonly LayerSpec[], hw: HardwareConfig): HardwareResult {
  const c = cacheFor(hw);
  const d = c.derived;
  const shapes = layers.map(canonicalShape);
  const engines = assignEngines(layers, shapes, hw, c);
  const plan = planCim(shapes, engines, hw);
  const pl = hw.noc.placement;
  const node = (e: Engine) => (e === 'cim' ? pl.cim : e === 'npu' ? pl.npu : hw.npu ? pl.npu : pl.cim);
  const hops = (a: Engine | 'dram', b: Engine | 'dram') =>
    hopsBetween(hw.noc.topology, hw.noc.k, a === 'dram' ? pl.dram : node(a), b === 'dram' ? pl.dram : node(b));
  const avgHops = averageHopsUniform(hw.noc.topology, hw.noc.k);
  const busy: Record<Engine, number> = { npu: 0, cim: 0, vector: 0 };
  const total = zeroEnergy();
  const perLayer: LayerResult[] = new Array(layers.length);
  let latencyS = 0;
  let macs = 0;
  let prev: Engine | null = null;
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    const s = shapes[i];
    const e = engines[i];
    const core = engineCost(l, s, e, d, plan, c.memo);
    const energy = { ...core.energy };
    // NoC: DRAM traffic to the engine and CIM tile scatter/gather overlap with compute.
    const dramHops = hops(e, 'dram');
    const base = core.latencyS > 0 ? core.latencyS : 1e-12;
    const streamBytes = core.dramBytes + core.localNocBytes;
    const load = (streamBytes * 8) / (hw.noc.linkWidthBits * d.noc.frequencyHz) / base;
    const t1 = nocTransfer(core.dramBytes, dramHops, d.noc, load);
    const t2 = nocTransfer(core.localNocBytes, avgHops, d.noc, load);
    let nocBytes = streamBytes;
    let nocS = t1.latencyS + t2.latencyS;
    energy.noc = t1.energyJ + t2.energyJ;
    let layerS = Math.max(core.latencyS, nocS);
    // Activations produced on another engine cross over before the layer starts.
    if (prev !== null && node(prev) !== node(e)) {
      const bytes = (layerInputs(l) * bitsOf(l).inputBits) / 8;
      if (hw.mapping.transferVia === 'noc') {
        const t = nocTransfer(bytes, hops(prev, e), d.noc, 0);
        energy.noc += t.energyJ;
        layerS += t.latencyS;
        nocS += t.latencyS;
      } else {
        const up = nocTransfer(bytes, hops(prev, 'dram'), d.noc, 0);
        const down = nocTransfer(bytes, hops('dram', e), d.noc, 0);
        energy.noc += up.energyJ + down.energyJ;
        energy.dram += 2 * bytes * 8 * hw.dram.energyJPerBit;
        const t = up.latencyS + down.latencyS + (2 * bytes) / hw.dram.bandwidthBytesPerS;
        layerS += t;
        nocS += up.latencyS + down.latencyS;
      }
      nocBytes += bytes;
    }
    prev = e;
    let energyJ = 0;
    for (const k of ENERGY_COMPONENTS) {
      total[k] += energy[k];
      energyJ += energy[k];
    }
    busy[e] += layerS;
    latencyS += layerS;
    const layerMacs = s ? s.macs : 0;
    macs += layerMacs;
    perLayer[i] = {
      name: l.name, kind: l.kind, block: l.block, engine: e, macs: layerMacs,
      cycles: core.cycles, latencyS: layerS, energyJ,
      activeUnits: core.activeUnits, utilisation: core.utilisation, crossbars: core.crossbars, adcConversions: core.adcConversions,
      access: core.access, energy, nocBytes, nocLatencyS: nocS, bound: nocS > core.latencyS ? 'noc' : core.bound,
    };
  }
  const intervalS = hw.mapping.pipeline ? Math.max(busy.npu, busy.cim, busy.vector) : latencyS;
  // Leakage: the whole chip leaks for the time each inference occupies it.
  total.leakage = c.leakageW * intervalS;
  let energyJ = 0;
  const breakdown: Record<string, { energyJ: number; latencyS?: number }> = {};
  for (const k of ENERGY_COMPONENTS) {
    energyJ += total[k];
    breakdown[k] = { energyJ: total[k] };
  }
  for (const e of ['npu', 'cim', 'vector'] as const) breakdown[`engine:${e}`] = { energyJ: sumEngine(perLayer, e), latencyS: busy[e] };
  return {
    latencyS, intervalS, energyJ, areaMm2: c.areaMm2, powerW: energyJ / intervalS, macs, perLayer, breakdown,
    area: { ...c.area }, engineBusyS: busy,
    cim: { crossbarsNeeded: plan.crossbarsNeeded, weightsResident: !plan.program && plan.crossbarsNeeded > 0, replication: plan.replication },
  };
}

function sumEngine(rows: LayerResult[], e: Engine): number {
  let s = 0;
  for (const r of rows) if (r.engine === e) s += r.energyJ;
  return s;
}
