import { layerInputs, type LayerSpec } from '@cosearch/core';
import type { Engine, HardwareConfig } from './config';
import type { Derived } from './derive';
import type { Shape } from './shape';
import { npuLayerCost } from './npu';
import { cimLayerCost } from './cim';
import { vectorLayerCost } from './vector';
import { mapToCrossbars } from './crossbar';
import { nocTransfer } from './noc';
import { schemeEngine } from './mapping';
import { cacheFor, layerInfo, type Composite, type ConfigCache, type LayerInfo } from './cache';
import { ENERGY_COMPONENTS, type EngineCost, type HardwareResult, type LayerResult } from './result';
import { ANALYTICAL_ENGINE_MODEL, DEFAULT_ENGINE_COST_PRIORITY, engineCosts, type EngineModel } from './engine-costs';

interface CimPlan {
  program: boolean;
  replication: number;
  crossbarsNeeded: number;
}

function engineCost(l: LayerSpec, info: LayerInfo, engine: Engine, d: Derived, cim: CimPlan, memos: ConfigCache['memo']): EngineCost {
  const s = info.shape;
  const program = s !== null && (s.dynamicWeights || cim.program);
  const key = memoPrefix + (engine === 'cim' ? `${info.key}|${program ? 1 : 0},${cim.replication}` : engine === 'vector' && s !== null ? `mm|${info.key}` : info.key);
  const memo = memos[s === null ? 'vector' : engine];
  let c = memo.get(key);
  if (c === undefined) {
    const replication = s !== null && s.dynamicWeights ? 1 : cim.replication;
    c = engineCosts.cost({ layer: l, shape: s, engine: s === null ? 'vector' : engine, derived: d, program, replication, model: activeModel });
    memo.set(key, c);
  }
  return c;
}

/*
 * The built-in engine models, for every hardware model and layer kind at the default priority
 * (engine-costs.ts): a model registered with a higher priority answers first and falls back here.
 */
engineCosts.register({
  name: 'npu-analytical', model: '*', engine: 'npu', kinds: '*', priority: DEFAULT_ENGINE_COST_PRIORITY,
  cost: (x) => npuLayerCost(x.shape!, x.derived.npu!, x.layer.name),
});
engineCosts.register({
  name: 'cim-analytical', model: '*', engine: 'cim', kinds: '*', priority: DEFAULT_ENGINE_COST_PRIORITY,
  cost: (x) => cimLayerCost(x.shape!, x.derived.cim!, { program: x.program, replication: x.replication }),
});
engineCosts.register({
  name: 'vector-analytical', model: '*', engine: 'vector', kinds: '*', priority: DEFAULT_ENGINE_COST_PRIORITY,
  cost: (x) => (x.shape === null ? vectorLayerCost(x.layer, x.derived.vector) : vectorLayerCost(x.layer, x.derived.vector, x.shape.macs)),
});

/** The model `evaluate` runs under (set by `evaluateModel` for one synchronous call). */
let activeModel: EngineModel = ANALYTICAL_ENGINE_MODEL;
/** Memo-key prefix: the model's token and the registry generation (a registration change must not reuse stale costs). */
let memoPrefix = '';

/**
 * Which engine runs each layer. 'greedy-edp' costs each MAC layer on both engines, with the CIM
 * residency/replication the 'cim-static' assignment would get, and keeps the lower
 * energy × latency (transfers between engines are not part of the per-layer choice).
 */
function assignEngines(layers: readonly LayerSpec[], infos: LayerInfo[], hw: HardwareConfig, c: ConfigCache): Engine[] {
  const shapes = infos.map((x) => x.shape);
  if (hw.mapping.scheme !== 'greedy-edp') return layers.map((l) => schemeEngine(l, hw)!);
  const npuSide: Engine = hw.npu ? 'npu' : 'vector';
  const staticOnCim = shapes.map((s): Engine => (s === null ? 'vector' : s.dynamicWeights ? npuSide : 'cim'));
  const plan = planCim(shapes, staticOnCim, hw);
  return shapes.map((s, i) => {
    if (s === null) return 'vector';
    const a = engineCost(layers[i], infos[i], npuSide, c.derived, plan, c.memo);
    const b = engineCost(layers[i], infos[i], 'cim', c.derived, plan, c.memo);
    return b.energyJ * b.latencyS < a.energyJ * a.latencyS ? 'cim' : npuSide;
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

function composite(l: LayerSpec, core: EngineCost, e: Engine, prev: Engine | null, hw: HardwareConfig, c: ConfigCache): Composite {
  const g = c.geometry;
  const noc = c.derived.noc;
  const energy = { ...core.energy };
  // DRAM traffic to the engine and CIM tile scatter/gather stream over the NoC, overlapped with compute.
  const base = core.latencyS > 0 ? core.latencyS : 1e-12;
  const streamBytes = core.dramBytes + core.localNocBytes;
  const load = (streamBytes * 8) / (hw.noc.linkWidthBits * noc.frequencyHz) / base;
  const t1 = nocTransfer(core.dramBytes, g.dramHops[e], noc, load);
  const t2 = nocTransfer(core.localNocBytes, g.avgHops, noc, load);
  let nocBytes = streamBytes;
  let nocS = t1.latencyS + t2.latencyS;
  energy.noc = t1.energyJ + t2.energyJ;
  let latencyS = Math.max(core.latencyS, nocS);
  // Activations produced on another engine cross over before the layer starts.
  if (prev !== null && g.site[prev] !== g.site[e]) {
    const bytes = (layerInputs(l) * (l.inputBits ?? 8)) / 8;
    if (hw.mapping.transferVia === 'noc') {
      const t = nocTransfer(bytes, g.crossHops, noc, 0);
      energy.noc += t.energyJ;
      latencyS += t.latencyS;
      nocS += t.latencyS;
    } else {
      const up = nocTransfer(bytes, g.dramHops[prev], noc, 0);
      const down = nocTransfer(bytes, g.dramHops[e], noc, 0);
      energy.noc += up.energyJ + down.energyJ;
      energy.dram += 2 * bytes * 8 * hw.dram.energyJPerBit;
      latencyS += up.latencyS + down.latencyS + (2 * bytes) / hw.dram.bandwidthBytesPerS;
      nocS += up.latencyS + down.latencyS;
    }
    nocBytes += bytes;
  }
  let energyJ = 0;
  for (const k of ENERGY_COMPONENTS) energyJ += energy[k];
  return { core, energy, energyJ, latencyS, nocBytes, nocS };
}

/**
 * Maps a network onto a hardware config: per-layer engine costs (memoised by shape), NoC
 * traffic (DRAM ↔ engine, CIM scatter/gather, activations crossing engines), leakage over the
 * runtime, area. Layers run in sequence; with `mapping.pipeline` successive inferences overlap
 * and `intervalS` is the busiest engine's time (H4H-NAS pipelining bounded by the slowest stage).
 * Rows of `perLayer` share memoised sub-objects (`access`, `energy`): treat them as read-only.
 * A config object is read once and cached (WeakMap): do not mutate it after evaluating it — copy
 * it instead (`applyHardwareCandidate` returns a fresh copy).
 */
export function evaluate(layers: readonly LayerSpec[], hw: HardwareConfig): HardwareResult {
  return evaluateModel(layers, hw, ANALYTICAL_ENGINE_MODEL);
}

/**
 * `evaluate` with the engine costs of another registered model (engine-costs.ts): the NoC, DRAM,
 * leakage and area composition is the same for every model.
 */
export function evaluateModel(layers: readonly LayerSpec[], hw: HardwareConfig, model: EngineModel): HardwareResult {
  const prev = activeModel;
  const prevPrefix = memoPrefix;
  activeModel = model;
  memoPrefix = `${model.token}${engineCosts.generation}|`;
  try {
    return evaluateLayers(layers, hw);
  } finally {
    activeModel = prev;
    memoPrefix = prevPrefix;
  }
}

function evaluateLayers(layers: readonly LayerSpec[], hw: HardwareConfig): HardwareResult {
  const c = cacheFor(hw);
  const d = c.derived;
  const infos = layers.map(layerInfo);
  const shapes = infos.map((x) => x.shape);
  const engines = assignEngines(layers, infos, hw, c);
  const plan = planCim(shapes, engines, hw);
  const busy: Record<Engine, number> = { npu: 0, cim: 0, vector: 0 };
  const totals = new Float64Array(ENERGY_COMPONENTS.length);
  const perLayer: LayerResult[] = new Array(layers.length);
  let latencyS = 0;
  let macs = 0;
  let prev: Engine | null = null;
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    const s = shapes[i];
    const e = engines[i];
    const core = engineCost(l, infos[i], e, d, plan, c.memo);
    const crossing = prev !== null && c.geometry.site[prev] !== c.geometry.site[e];
    let comp: Composite | undefined;
    if (!crossing) {
      comp = c.composites.direct.get(core);
      if (comp === undefined) {
        comp = composite(l, core, e, prev, hw, c);
        c.composites.direct.set(core, comp);
      }
    } else {
      let byCore = c.composites.crossing.get(core);
      if (byCore === undefined) {
        byCore = new Map();
        c.composites.crossing.set(core, byCore);
      }
      const key = `${prev}>${core.engine}`;
      comp = byCore.get(key);
      if (comp === undefined) {
        comp = composite(l, core, e, prev, hw, c);
        byCore.set(key, comp);
      }
    }
    prev = e;
    const en = comp.energy;
    for (let k = 0; k < ENERGY_COMPONENTS.length; k++) totals[k] += en[ENERGY_COMPONENTS[k]];
    busy[e] += comp.latencyS;
    latencyS += comp.latencyS;
    const layerMacs = s ? s.macs : 0;
    macs += layerMacs;
    perLayer[i] = {
      name: l.name, kind: l.kind, block: l.block, engine: e, macs: layerMacs,
      cycles: core.cycles, latencyS: comp.latencyS, engineLatencyS: core.latencyS, energyJ: comp.energyJ,
      activeUnits: core.activeUnits, utilisation: core.utilisation, crossbars: core.crossbars, adcConversions: core.adcConversions,
      access: core.access, energy: comp.energy, nocBytes: comp.nocBytes, nocLatencyS: comp.nocS,
      bound: comp.nocS > core.latencyS ? 'noc' : core.bound,
    };
    if (core.source) Object.assign(perLayer[i], { source: core.source, sourceNote: core.sourceNote });
    if (core.mapping) perLayer[i].mapping = core.mapping;
  }
  const intervalS = hw.mapping.pipeline ? Math.max(busy.npu, busy.cim, busy.vector) : latencyS;
  // Leakage: the whole chip leaks for the time each inference occupies it.
  totals[ENERGY_COMPONENTS.indexOf('leakage')] += c.leakageW * intervalS;
  let energyJ = 0;
  const breakdown: Record<string, { energyJ: number; latencyS?: number }> = {};
  ENERGY_COMPONENTS.forEach((k, i) => {
    energyJ += totals[i];
    breakdown[k] = { energyJ: totals[i] };
  });
  for (const e of ['npu', 'cim', 'vector'] as const) breakdown[`engine:${e}`] = { energyJ: sumEngine(perLayer, e), latencyS: busy[e] };
  return {
    latencyS, intervalS, energyJ, areaMm2: c.areaMm2, powerW: intervalS > 0 ? energyJ / intervalS : 0, macs, perLayer, breakdown,
    area: { ...c.area }, engineBusyS: busy,
    cim: { crossbarsNeeded: plan.crossbarsNeeded, weightsResident: !plan.program && plan.crossbarsNeeded > 0, replication: plan.replication },
  };
}

function sumEngine(rows: LayerResult[], e: Engine): number {
  let s = 0;
  for (const r of rows) if (r.engine === e) s += r.energyJ;
  return s;
}
