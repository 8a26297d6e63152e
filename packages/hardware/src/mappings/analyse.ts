import { compileMapping, type CLevel, type Compiled } from './compile';
import type { LevelAccess, Mapping, MappingCost, MappingHardware, MappingLayer } from './types';

/**
 * MAESTRO's cluster-level analysis (Kwon et al., MICRO 2019; `AnalyzeClusterLevel_V2` in
 * cost-model/include/cost-analysis/CA_cost-analysis-engine.hpp at commit 4eb08d1), in closed form
 * over iteration cases:
 *
 * - Each level's loop nest (its directives, outer → inner; a spatial map is a loop over folds of
 *   `units` tiles) is enumerated by cases, never by steps: the first step (all loops at 0), and
 *   for every loop `a` that advances, the states of the loops outside it (full or edge tile) and
 *   of `a` itself (a middle or the last index), the loops inside it being back at 0. Each case has
 *   an exact occurrence count, so edge tiles are exact.
 * - Per case: T_in = new input and filter elements sent down (an element multicast to several
 *   units counts once; a sliding window sends only its new rows/columns; a tensor that does not
 *   depend on any changed loop is reused), T_out = output/partial-sum elements sent up every step
 *   (once per reduced group when units reduce spatially). NoC delay d(T) = H + ⌈T/bw⌉ − 1
 *   (MAESTRO `GetOutStandingDelay`), the same at every level.
 * - Compute c: innermost level ⌈MACs per PE / simdLanes⌉; outer levels the slowest unit's
 *   sub-level runtime for its tile (analysed fresh for every outer step, as MAESTRO does).
 * - Step = max(d(T_in), c, d(T_out)) with double buffering, the first step c + d(T_in); without
 *   double buffering the sum. At the top level the off-chip term is max'ed in (see `offchipModel`).
 * - Runtime = Σ occurrences × step.
 */

interface Tensors {
  /** Bit masks (over canonical dim indices) of the dims each tensor depends on. */
  inDeps: number;
  fDeps: number;
  oDeps: number;
  /** Yo/Xo/R/S indices (−1 for GEMM). */
  yo: number;
  xo: number;
  r: number;
  s: number;
}

function tensorsOf(c: Compiled): Tensors {
  const bit = (d: string): number => 1 << c.dims.indexOf(d);
  if (c.kind === 'gemm') {
    return { inDeps: bit('M') | bit('K'), fDeps: bit('K') | bit('N'), oDeps: bit('M') | bit('N'), yo: -1, xo: -1, r: -1, s: -1 };
  }
  const img = bit('N') | bit('C') | bit('R') | bit('S') | bit('Yo') | bit('Xo');
  const dw = c.kind === 'depthwise';
  return {
    inDeps: img,
    fDeps: (dw ? 0 : bit('K')) | bit('C') | bit('R') | bit('S'),
    oDeps: bit('N') | (dw ? bit('C') : bit('K')) | bit('Yo') | bit('Xo'),
    yo: 5, xo: 6, r: 3, s: 4,
  };
}

interface Ctx {
  c: Compiled;
  t: Tensors;
  hw: MappingHardware;
  memo: Map<string, LevelResult>;
  top?: TopStats;
}

interface LevelResult {
  runtime: number;
  macs: number;
  /** Σ over steps of active PEs, MAESTRO's way (sub-clusters counted at their first tile). */
  activeSum: number;
  /** Σ over steps of active PEs with every unit's own (edge) tile. */
  activeExactSum: number;
  steps: number;
  interPe: number;
}

interface TopStats {
  inTraffic: number; // Σ T_in input
  fTraffic: number;
  oTraffic: number;
  dramIn: number;
  dramF: number;
  dramOut: number;
  dIn: number; dOut: number; comp: number;
  dInMax: number; dOutMax: number; compMax: number;
  bound: { compute: number; noc: number; offchip: number };
  resident: { in: boolean; f: boolean; o: boolean };
  firstTile: { in: number; f: number; o: number };
  sizes: { in: number; f: number; o: number };
  totalSteps: number;
}

interface Loop {
  spatial: boolean;
  dims: number[];
  full: number[]; // full tile size per dim
  edge: number[]; // last tile size per dim
  n: number; // iterations (temporal) or folds (spatial)
  units: number; // active units in a full fold (spatial)
  mLast: number; // active units in the last fold
}

function buildLoops(level: CLevel, ext: number[]): { loops: Loop[]; spatial: Loop | null } {
  const loops: Loop[] = [];
  let spatial: Loop | null = null;
  for (const d of level.directives) {
    const E = ext[d.dim];
    const sz = Math.min(d.size, E);
    const n = Math.ceil(E / sz);
    const edge = E - (n - 1) * sz;
    if (d.spatial) {
      if (spatial) {
        // Coupled spatial maps: unit i gets tile i of each; the tile count is the largest.
        spatial.dims.push(d.dim);
        spatial.full.push(sz);
        spatial.edge.push(edge);
        const tiles = Math.max(spatial.mLast + (spatial.n - 1) * spatial.units, n);
        spatial.n = Math.ceil(tiles / level.units);
        spatial.mLast = tiles - (spatial.n - 1) * level.units;
        continue;
      }
      const folds = Math.ceil(n / level.units);
      spatial = { spatial: true, dims: [d.dim], full: [sz], edge: [edge], n: folds, units: Math.min(level.units, n), mLast: n - (folds - 1) * level.units };
      loops.push(spatial);
    } else {
      loops.push({ spatial: false, dims: [d.dim], full: [sz], edge: [edge], n, units: 1, mLast: 1 });
    }
  }
  return { loops, spatial };
}

function volumes(ctx: Ctx, tile: number[]): { i: number; f: number; o: number; macs: number; inRows: number; inCols: number } {
  const { c } = ctx;
  if (c.kind === 'gemm') {
    const [M, N, K] = tile;
    return { i: M * K, f: K * N, o: M * N, macs: M * N * K, inRows: 1, inCols: 1 };
  }
  const [N, K, C, R, S, Yo, Xo] = tile;
  const inRows = (Yo - 1) * c.strideY + R;
  const inCols = (Xo - 1) * c.strideX + S;
  return { i: N * C * inRows * inCols, f: K * C * R * S, o: N * K * Yo * Xo, macs: N * K * C * R * S * Yo * Xo, inRows, inCols };
}

function nocDelay(hw: MappingHardware, T: number): number {
  const bw = hw.nocBandwidthElemsPerCycle;
  const beats = T <= 0 ? 0 : bw === Infinity ? 1 : Math.ceil(T / bw);
  return hw.nocHopLatencyCycles + beats - 1;
}

/** One state of a loop in a case: tile index 0/middle (full tile, full fold) or the last. */
type State = 0 | 1; // 0 = full, 1 = last

function analyseLevel(ctx: Ctx, l: number, ext: number[]): LevelResult {
  const key = `${l}|${ext.join(',')}`;
  const hit = ctx.memo.get(key);
  if (hit && !(l === 0 && ctx.top)) return hit;
  const { c, t, hw } = ctx;
  const level = c.levels[l];
  const innermost = l === c.levels.length - 1;
  const { loops, spatial } = buildLoops(level, ext);
  const active = loops.map((_, i) => i).filter((i) => loops[i].n > 1);
  const spMask = spatial ? spatial.dims.reduce((m, d) => m | (1 << d), 0) : 0;
  const top = l === 0 ? ctx.top : undefined;
  const res: LevelResult = { runtime: 0, macs: 0, activeSum: 0, activeExactSum: 0, steps: 0, interPe: 0 };
  let firstInnerAct = 0; // active PEs of one unit at its first-case tile
  const totalSteps = loops.reduce((p, x) => p * x.n, 1);
  if (top) top.totalSteps = totalSteps;
  const states: State[] = loops.map(() => 0);

  // Evaluates one case: `adv` = index of the advancing loop (−1 = first step), `occ` = occurrences.
  const evalCase = (adv: number, occ: number): void => {
    if (occ <= 0) return;
    const tile = ext.slice();
    for (let j = 0; j < loops.length; j++) {
      const L = loops[j];
      const last = L.n === 1 || states[j] === 1;
      if (L.spatial) continue;
      tile[L.dims[0]] = last ? L.edge[0] : L.full[0];
    }
    // Units: full-tile units and at most one edge unit (last fold only).
    let mFull = 1;
    let mEdge = 0;
    let edgeTile: number[] | null = null;
    if (spatial) {
      const j = loops.indexOf(spatial);
      const lastFold = spatial.n === 1 || states[j] === 1;
      const m = lastFold ? spatial.mLast : spatial.units;
      for (let k = 0; k < spatial.dims.length; k++) tile[spatial.dims[k]] = spatial.full[k];
      const hasEdge = lastFold && spatial.dims.some((_, k) => spatial.edge[k] < spatial.full[k]);
      mFull = hasEdge ? m - 1 : m;
      mEdge = hasEdge ? 1 : 0;
      if (hasEdge) {
        edgeTile = tile.slice();
        spatial.dims.forEach((d, k) => { edgeTile![d] = spatial.edge[k]; });
      }
    }
    const vF = volumes(ctx, tile);
    const vE = edgeTile ? volumes(ctx, edgeTile) : null;
    const units = mFull + mEdge;
    // Changed dims: the advancing loop and every loop inside it that wrapped around.
    let changed = 0;
    if (adv < 0) changed = ~0;
    else {
      for (const d of loops[adv].dims) changed |= 1 << d;
      for (const j of active) if (j > adv) for (const d of loops[j].dims) changed |= 1 << d;
    }
    const sum = (a: number, b: number): number => mFull * a + mEdge * b;
    const traffic = (deps: number, a: number, b: number): number => {
      if (!(deps & changed)) return 0;
      return deps & spMask || !hw.multicast ? sum(a, b) : a;
    };
    // Sliding window: only the advancing Yo/Xo loop changed for the input → its new rows/cols.
    let inA = vF.i;
    let inB = vE ? vE.i : 0;
    if (adv >= 0 && c.kind !== 'gemm' && !loops[adv].spatial && (changed & t.inDeps) === (1 << loops[adv].dims[0])) {
      const d = loops[adv].dims[0];
      const stride = d === t.yo ? c.strideY : d === t.xo ? c.strideX : 0;
      if (stride) {
        const step = loops[adv].full[0] * stride;
        const frac = (v: { inRows: number; inCols: number }): number =>
          d === t.yo ? Math.min(1, step / v.inRows) : Math.min(1, step / v.inCols);
        inA = Math.round(vF.i * frac(vF));
        if (vE) inB = Math.round(vE.i * frac(vE));
      }
    }
    const Tin = traffic(t.inDeps, inA, inB);
    const Tf = traffic(t.fDeps, vF.f, vE ? vE.f : 0);
    const reduce = spatial && !(t.oDeps & spMask) && units > 1;
    const Tout = reduce ? (hw.spatialReduction ? vF.o : units * vF.o) : sum(vF.o, vE ? vE.o : 0);
    const fwd = reduce && hw.spatialReduction ? (units - 1) * vF.o : 0;
    // Compute delay: the slowest unit.
    let comp: number;
    let macs: number;
    let act: number;
    let actExact: number;
    let interPe = fwd;
    if (innermost) {
      const lanes = hw.simdLanes;
      comp = Math.max(Math.ceil(vF.macs / lanes), vE ? Math.ceil(vE.macs / lanes) : 0);
      macs = sum(vF.macs, vE ? vE.macs : 0);
      act = (vF.macs > 0 ? mFull : 0) + (vE && vE.macs > 0 ? mEdge : 0);
      actExact = act;
    } else {
      const a = analyseLevel(ctx, l + 1, tile);
      const b = edgeTile ? analyseLevel(ctx, l + 1, edgeTile) : null;
      comp = Math.max(a.runtime, b ? b.runtime : 0);
      macs = sum(a.macs, b ? b.macs : 0);
      // MAESTRO's utilisation counts each active sub-cluster at its first-case activity.
      if (adv < 0) firstInnerAct = a.activeSum / a.steps;
      act = units * firstInnerAct;
      actExact = mFull * (a.activeExactSum / a.steps) + (b ? mEdge * (b.activeExactSum / b.steps) : 0);
      interPe += sum(a.interPe, b ? b.interPe : 0);
    }
    const dIn = nocDelay(hw, Tin + Tf);
    const dOut = nocDelay(hw, Tout);
    let step: number;
    if (hw.doubleBuffering) step = adv < 0 ? comp + dIn : Math.max(dIn, comp, dOut);
    else step = comp + (Tin + Tf > 0 ? dIn : 0) + (Tout > 0 ? dOut : 0);
    if (top) {
      // Off-chip term (top level only): DRAM ↔ GLB traffic of this step against the off-chip bandwidth.
      let dI: number;
      let dF: number;
      let dO: number;
      if (hw.offchipModel === 'step-tile') {
        // MAESTRO: every step refetches the first step's tiles (half the double-buffered L2 requirement).
        dI = top.firstTile.in;
        dF = top.firstTile.f;
        dO = top.firstTile.o;
      } else {
        const amort = (size: number): number => size / totalSteps;
        dI = top.resident.in ? amort(top.sizes.in) : Tin;
        dF = top.resident.f ? amort(top.sizes.f) : Tf;
        dO = top.resident.o ? amort(top.sizes.o) : Tout;
      }
      const ob = hw.offchipBandwidthElemsPerCycle;
      // 'step-tile' rounds down as MAESTRO does (⌊⌊2T/ob⌋/2⌋ = ⌊T/ob⌋); 'reuse' streams continuously.
      const rnd = hw.offchipModel === 'step-tile' ? Math.floor : (x: number): number => x;
      const off = ob === Infinity ? 0 : Math.max(rnd((dI + dF) / ob), rnd(dO / ob));
      const kind = off > step ? 'offchip' : comp >= Math.max(dIn, dOut) || adv < 0 ? 'compute' : 'noc';
      step = Math.max(step, off);
      top.bound[kind] += occ;
      top.inTraffic += occ * Tin;
      top.fTraffic += occ * Tf;
      top.oTraffic += occ * Tout;
      top.dramIn += occ * dI;
      top.dramF += occ * dF;
      top.dramOut += occ * dO;
      const pIn = Math.max(0, dIn);
      const pOut = Math.max(0, dOut);
      top.dIn += occ * pIn;
      top.dOut += occ * pOut;
      top.comp += occ * comp;
      top.dInMax = Math.max(top.dInMax, pIn);
      top.dOutMax = Math.max(top.dOutMax, pOut);
      top.compMax = Math.max(top.compMax, comp);
    }
    res.runtime += occ * step;
    res.macs += occ * macs;
    res.activeSum += occ * act;
    res.activeExactSum += occ * actExact;
    res.steps += occ;
    res.interPe += occ * interPe;
  };

  // First step: every loop at index 0 (full tile unless it has a single iteration).
  for (let j = 0; j < loops.length; j++) states[j] = 0;
  evalCase(-1, 1);
  // Loop `a` advances: loops inside at 0, `a` at a middle or its last index, loops outside anywhere.
  for (let ai = 0; ai < active.length; ai++) {
    const a = active[ai];
    const outer = active.slice(0, ai);
    const combos = 1 << outer.length;
    for (let mask = 0; mask < combos; mask++) {
      let occOuter = 1;
      for (let k = 0; k < outer.length; k++) {
        const j = outer[k];
        const last = (mask >> k) & 1;
        states[j] = last as State;
        occOuter *= last ? 1 : loops[j].n - 1;
      }
      for (const j of active) if (j > a) states[j] = 0;
      states[a] = 0;
      evalCase(a, occOuter * (loops[a].n - 2));
      states[a] = 1;
      evalCase(a, occOuter);
    }
  }
  ctx.memo.set(key, res);
  return res;
}

const emptyAccess = (): LevelAccess => ({
  input: { read: 0, write: 0 },
  filter: { read: 0, write: 0 },
  output: { read: 0, write: 0 },
});

/** The cost of one layer under one mapping on one accelerator (see the module comment). */
export function analyseMapping(layer: MappingLayer, mapping: Mapping, hw: MappingHardware): MappingCost {
  const c = compiled(layer, mapping, hw.numPes);
  const t = tensorsOf(c);
  const ctx: Ctx = { c, t, hw, memo: new Map() };
  const full = volumes(ctx, c.extents);
  // Tensor sizes: the input counts the padded rows/columns the outputs actually use.
  const sizes = { in: full.i, f: full.f, o: full.o };
  const req = requirements(ctx);
  // GLB residency ('reuse' model): filter, then input, then output, whole, next to the step tiles.
  let room = hw.l2SizeElems - req.l2;
  const fit = (n: number): boolean => (n <= room ? ((room -= n), true) : false);
  const resident = { f: fit(sizes.f), in: false, o: false };
  resident.in = fit(sizes.in);
  resident.o = fit(sizes.o);
  const top: TopStats = {
    inTraffic: 0, fTraffic: 0, oTraffic: 0, dramIn: 0, dramF: 0, dramOut: 0,
    dIn: 0, dOut: 0, comp: 0, dInMax: 0, dOutMax: 0, compMax: 0,
    bound: { compute: 0, noc: 0, offchip: 0 }, resident, sizes, totalSteps: 0, firstTile: req.tile,
  };
  ctx.top = top;
  const r = analyseLevel(ctx, 0, c.extents);
  const g = layer.groups ?? 1;
  const N = r.steps;
  const l2 = emptyAccess();
  const l1 = emptyAccess();
  const dram = emptyAccess();
  // GLB: input/filter read as sent to the array (multicast once); written by their DRAM fills.
  l2.input.read = g * top.inTraffic;
  l2.filter.read = g * top.fTraffic;
  l2.output.write = g * top.oTraffic;
  l2.output.read = g * Math.max(0, top.oTraffic - sizes.o); // partial sums read back to accumulate
  const dramOut = hw.offchipModel === 'step-tile' || !resident.o ? top.dramOut : sizes.o;
  dram.input.read = g * Math.round(top.dramIn);
  dram.filter.read = g * Math.round(top.dramF);
  dram.output.write = g * Math.max(sizes.o, Math.round(dramOut));
  dram.output.read = g * Math.max(0, Math.round(dramOut) - sizes.o); // spilled partial sums
  l2.input.write = dram.input.read;
  l2.filter.write = dram.filter.read;
  // PE register files: every MAC reads its three operands and writes its partial sum; the operands
  // are written once per delivery (MAESTRO's identities).
  const macs = g * r.macs;
  l1.input = { read: macs, write: l2.input.read };
  l1.filter = { read: macs, write: l2.filter.read };
  l1.output = { read: macs, write: macs };
  const bound = top.bound.offchip > top.bound.compute && top.bound.offchip >= top.bound.noc ? 'offchip'
    : top.bound.noc > top.bound.compute ? 'noc' : 'compute';
  return {
    macs,
    runtimeCycles: g * r.runtime,
    activePes: r.activeSum / N,
    activePesExact: r.activeExactSum / N,
    steps: g * N,
    ingressDelayAvg: top.dIn / N,
    egressDelayAvg: top.dOut / N,
    computeDelayAvg: top.comp / N,
    ingressDelayMax: top.dInMax,
    egressDelayMax: top.dOutMax,
    computeDelayMax: top.compMax,
    bound,
    l1,
    l2,
    dram,
    interPe: g * r.interPe,
    l1RequirementElems: req.l1,
    l2RequirementElems: req.l2,
  };
}

/**
 * Buffer requirements (double-buffered, as MAESTRO prints them): L2 = 2 × the first top-level
 * step's input + filter + output tiles sent to/from the array; L1 = 2 × one PE's first tile.
 */
function requirements(ctx: Ctx): { l1: number; l2: number; tile: { in: number; f: number; o: number } } {
  const { c, t, hw } = ctx;
  let ext = c.extents.slice();
  let l2 = 0;
  const first = { in: 0, f: 0, o: 0 };
  for (let l = 0; l < c.levels.length; l++) {
    const { loops, spatial } = buildLoops(c.levels[l], ext);
    const tile = ext.slice();
    for (const L of loops) L.dims.forEach((d, k) => { tile[d] = L.full[k]; });
    if (l === 0) {
      const v = volumes(ctx, tile);
      const spMask = spatial ? spatial.dims.reduce((m, d) => m | (1 << d), 0) : 0;
      const m = spatial ? (spatial.n === 1 ? spatial.mLast : spatial.units) : 1;
      const per = (deps: number, x: number): number => (deps & spMask || !hw.multicast ? m * x : x);
      first.in = per(t.inDeps, v.i);
      first.f = per(t.fDeps, v.f);
      first.o = t.oDeps & spMask || !hw.spatialReduction ? m * v.o : v.o;
      l2 = 2 * (first.in + first.f + first.o);
    }
    ext = tile;
  }
  const v = volumes(ctx, ext);
  return { l1: 2 * (v.i + v.f + v.o), l2, tile: first };
}

// Compiled mappings per (mapping object, layer shape, PE count): evaluating the size expressions
// dominates a fixed-mapping analysis otherwise.
const cache = new WeakMap<Mapping, Map<string, Compiled>>();

function compiled(layer: MappingLayer, mapping: Mapping, numPes: number): Compiled {
  let m = cache.get(mapping);
  if (!m) cache.set(mapping, (m = new Map()));
  const key = `${layer.kind}|${JSON.stringify(layer.dims)}|${layer.strideY}|${layer.strideX}|${numPes}`;
  let c = m.get(key);
  if (!c) {
    c = compileMapping(layer, mapping, numPes);
    if (m.size > 4096) m.clear();
    m.set(key, c);
  }
  return c;
}

/** The double-buffered L1 (per PE) and L2 requirements of a mapping, elements, without the analysis. */
export function bufferRequirements(layer: MappingLayer, mapping: Mapping, hw: MappingHardware): { l1Elems: number; l2Elems: number } {
  const c = compiled(layer, mapping, hw.numPes);
  const r = requirements({ c, t: tensorsOf(c), hw, memo: new Map() });
  return { l1Elems: r.l1, l2Elems: r.l2 };
}
