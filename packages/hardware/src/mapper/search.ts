import { ConfigError, CosearchError } from '@cosearch/core';
import type { MapperObjective } from '../config';
import type { Mapping, MappingCost, MappingHardware, MappingLayer } from '../mappings/types';
import { analyseMapping } from '../mappings/analyse';
import { mappingSpace, type Candidate } from './space';

/** Energy per element of each tensor at each level and per MAC, J (see npu.ts `energyTable`). */
export interface EnergyTable {
  macJ: number;
  l1: { input: number; filter: number; output: number };
  l2: { input: number; filter: number; output: number };
  dram: { input: number; filter: number; output: number };
  interPeJ: number;
}

export interface MapperOptions {
  objective: MapperObjective;
  energy: EnergyTable;
  /** Vary only the templates' tile sizes (see `mappingSpace`). */
  tilesOnly?: boolean;
}

export interface MapperResult {
  mapping: Mapping;
  cost: MappingCost;
  /** Objective value of the best mapping: cycles, J, or J·cycles. */
  score: number;
  /** Candidates in the space, analysed, skipped by the bound, infeasible (tiles above a buffer). */
  spaceSize: number;
  analysed: number;
  pruned: number;
  infeasible: number;
}

/** Dynamic energy of an analysed mapping, J (MACs, every level's reads and writes, inter-PE). */
export function costEnergyJ(c: MappingCost, e: EnergyTable): number {
  const lv = (a: MappingCost['l1'], j: EnergyTable['l1']) =>
    (a.input.read + a.input.write) * j.input + (a.filter.read + a.filter.write) * j.filter + (a.output.read + a.output.write) * j.output;
  return c.macs * e.macJ + lv(c.l1, e.l1) + lv(c.l2, e.l2) + lv(c.dram, e.dram) + c.interPe * e.interPeJ;
}

export function score(c: MappingCost, o: MapperOptions): number {
  if (o.objective === 'latency') return c.runtimeCycles;
  const j = costEnergyJ(c, o.energy);
  return o.objective === 'energy' ? j : j * c.runtimeCycles;
}

/** Tiles fit: the engine's double-buffered requirements within the RF (L1) and GLB (L2). */
export function fits(c: MappingCost, hw: MappingHardware): boolean {
  return c.l1RequirementElems <= hw.l1SizeElems && c.l2RequirementElems <= hw.l2SizeElems;
}

/**
 * Lower bound on the score of a candidate before analysing it: runtime ≥ MACs / (active-PE bound
 * · SIMD lanes); energy ≥ MACs · (E_MAC + RF reads of input, filter and partial sum + RF write of
 * the partial sum) — every MAC does these whatever the mapping (MAESTRO's access identities, which
 * the engine keeps).
 */
function lowerBound(cand: Candidate, macs: number, hw: MappingHardware, o: MapperOptions): number {
  const cycles = macs / (Math.max(1, cand.activePesBound) * hw.simdLanes);
  if (o.objective === 'latency') return cycles;
  const e = o.energy;
  const j = macs * (e.macJ + e.l1.input + e.l1.filter + 2 * e.l1.output);
  return o.objective === 'energy' ? j : j * cycles;
}

function better(s: number, idx: number, bestScore: number, bestIdx: number): boolean {
  return s < bestScore || (s === bestScore && idx < bestIdx);
}

/**
 * The mapper (issue 13): best mapping of one layer over `mappingSpace` for the objective, tiles
 * that do not fit their buffer excluded. Exact over the space: candidates are visited in
 * decreasing order of their active-PE bound, and a candidate whose lower bound (`lowerBound`)
 * cannot beat the best so far is skipped without analysis; ties go to
 * the lower canonical index, so the answer equals `exhaustiveMapping`'s. Deterministic.
 */
export function searchMapping(layer: MappingLayer, templates: readonly Mapping[], hw: MappingHardware, o: MapperOptions): MapperResult {
  const space = mappingSpace(layer, templates, hw.numPes, { tilesOnly: o.tilesOnly });
  const macs = macsOf(layer);
  const order = space.slice().sort((a, b) => b.activePesBound - a.activePesBound || a.index - b.index);
  let best: { cand: Candidate; cost: MappingCost; score: number } | null = null;
  let analysed = 0, pruned = 0, infeasible = 0;
  for (const cand of order) {
    if (best !== null && lowerBound(cand, macs, hw, o) > best.score) {
      pruned++;
      continue;
    }
    analysed++;
    const c = tryAnalyse(layer, cand.mapping, hw);
    if (c === null || !fits(c, hw)) {
      infeasible++;
      continue;
    }
    const s = score(c, o);
    if (best === null || better(s, cand.index, best.score, best.cand.index)) best = { cand, cost: c, score: s };
  }
  return finish(layer, best, space.length, analysed, pruned, infeasible);
}

/** Every candidate analysed, no bound (the reference the mapper is tested against). */
export function exhaustiveMapping(layer: MappingLayer, templates: readonly Mapping[], hw: MappingHardware, o: MapperOptions): MapperResult {
  const space = mappingSpace(layer, templates, hw.numPes, { tilesOnly: o.tilesOnly });
  let best: { cand: Candidate; cost: MappingCost; score: number } | null = null;
  let infeasible = 0;
  for (const cand of space) {
    const c = tryAnalyse(layer, cand.mapping, hw);
    if (c === null || !fits(c, hw)) {
      infeasible++;
      continue;
    }
    const s = score(c, o);
    if (best === null || better(s, cand.index, best.score, best.cand.index)) best = { cand, cost: c, score: s };
  }
  return finish(layer, best, space.length, space.length, 0, infeasible);
}

/** The engine's cost, or null for a candidate the engine rejects (e.g. coupled spatial maps that do not pair). */
function tryAnalyse(layer: MappingLayer, m: Mapping, hw: MappingHardware): MappingCost | null {
  try {
    const c = analyseMapping(layer, m, hw);
    // A variant whose loops no longer cover the layer exactly is not a mapping of it.
    return c.macs === macsOf(layer) ? c : null;
  } catch (e) {
    if (e instanceof CosearchError) return null;
    throw e;
  }
}

function finish(layer: MappingLayer, best: { cand: Candidate; cost: MappingCost; score: number } | null,
  spaceSize: number, analysed: number, pruned: number, infeasible: number): MapperResult {
  if (best === null) {
    throw new MapperError(layer.name, spaceSize);
  }
  return { mapping: best.cand.mapping, cost: best.cost, score: best.score, spaceSize, analysed, pruned, infeasible };
}

/** MACs of a layer in the engine's terms (the bound only needs them, not the mapping). */
function macsOf(l: MappingLayer): number {
  const d = l.dims;
  if (l.kind === 'gemm') return (l.groups ?? 1) * (d.M ?? 1) * (d.N ?? 1) * (d.K ?? 1);
  const yo = Math.floor(((d.Y ?? 1) - (d.R ?? 1)) / l.strideY) + 1;
  const xo = Math.floor(((d.X ?? 1) - (d.S ?? 1)) / l.strideX) + 1;
  const k = l.kind === 'depthwise' ? 1 : d.K ?? 1;
  return (l.groups ?? 1) * (d.N ?? 1) * k * (d.C ?? 1) * (d.R ?? 1) * (d.S ?? 1) * yo * xo;
}


/** No candidate's tiles fit the buffers. */
export class MapperError extends ConfigError {
  constructor(layer: string, spaceSize: number) {
    super('npu.mapping', 'auto', `a buffer large enough for at least one of the ${spaceSize} candidate mappings of layer ${JSON.stringify(layer)} (raise npu.rfBytes or npu.glbBytes)`);
  }
}
