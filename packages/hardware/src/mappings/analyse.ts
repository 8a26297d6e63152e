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

interface Vol {
  i: number;
  f: number;
  o: number;
  macs: number;
  inRows: number;
  inCols: number;
}

const newVol = (): Vol => ({ i: 0, f: 0, o: 0, macs: 0, inRows: 1, inCols: 1 });

interface Ctx {
  c: Compiled;
  t: Tensors;
  hw: MappingHardware;
  /** Sub-level results by (level, tile); valid for one compiled mapping and one NoC/PE signature. */
  memo: Map<number, MemoEntry[]>;
  top?: TopStats;
  /** Per-level scratch (tiles and volumes of the full and the edge unit), reused across cases. */
  tileF: number[][];
  tileE: number[][];
  /** The union of the active units' tiles at the top level (unique data, for DRAM fills). */
  tileU: number[];
  volU: Vol;
  volF: Vol[];
  volE: Vol[];
}

interface MemoEntry {
  l: number;
  tile: number[];
  res: LevelResult;
}

/**
 * Sub-level results depend on the compiled mapping, the tile and the hardware fields the inner
 * levels use (NoC bandwidth and hops, SIMD lanes, multicast, reduction, double buffering), not on
 * the off-chip side: they are kept per compiled mapping and that signature across calls.
 */
const memos = new WeakMap<Compiled, Map<string, Map<number, MemoEntry[]>>>();

function memoFor(c: Compiled, hw: MappingHardware): Map<number, MemoEntry[]> {
  let byHw = memos.get(c);
  if (!byHw) memos.set(c, (byHw = new Map()));
  const sig = `${hw.nocBandwidthElemsPerCycle}|${hw.nocHopLatencyCycles}|${hw.simdLanes}|${hw.multicast}|${hw.spatialReduction}|${hw.doubleBuffering}`;
  let m = byHw.get(sig);
  if (!m) {
    if (byHw.size > 64) byHw.clear();
    byHw.set(sig, (m = new Map()));
  }
  if (m.size > 4096) m.clear();
  return m;
}

function tileHash(l: number, tile: number[]): number {
  let h = l + 1;
  for (let d = 0; d < tile.length; d++) h = Math.imul(h ^ tile[d], 0x9e3779b1) >>> 0;
  return h;
}

function sameTile(a: number[], b: number[]): boolean {
  for (let d = 0; d < a.length; d++) if (a[d] !== b[d]) return false;
  return true;
}

// Scratch per compiled mapping, reused call after call (the analysis is synchronous).
const scratch = new WeakMap<Compiled, Ctx>();

function newCtx(c: Compiled, hw: MappingHardware): Ctx {
  let ctx = scratch.get(c);
  if (!ctx) {
    const L = c.levels.length;
    ctx = {
      c, t: tensorsOf(c), hw, memo: new Map(),
      tileF: Array.from({ length: L }, () => c.extents.slice()),
      tileE: Array.from({ length: L }, () => c.extents.slice()),
      volF: Array.from({ length: L }, newVol),
      volE: Array.from({ length: L }, newVol),
      tileU: c.extents.slice(),
      volU: newVol(),
    };
    scratch.set(c, ctx);
  }
  ctx.hw = hw;
  ctx.memo = memoFor(c, hw);
  ctx.top = undefined;
  return ctx;
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
  /** Partial sums per output element a unit of this level sends up (> 1 without spatial reduction). */
  outMult: number;
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
  hasEdge: boolean; // some dim's last tile is smaller
  mask: number; // bit mask of its dims
}

function buildLoops(level: CLevel, ext: number[]): { loops: Loop[]; spatial: Loop | null } {
  const loops: Loop[] = [];
  let spatial: Loop | null = null;
  let tiles = 0;
  for (const d of level.directives) {
    const E = ext[d.dim];
    const sz = Math.min(d.size, E);
    const n = Math.ceil(E / sz);
    const edge = E - (n - 1) * sz;
    if (d.spatial) {
      if (!spatial) {
        spatial = { spatial: true, dims: [], full: [], edge: [], n: 0, units: 0, mLast: 0, hasEdge: false, mask: 0 };
        loops.push(spatial);
      }
      // Coupled spatial maps: unit i gets tile i of each; the tile count is the largest.
      spatial.dims.push(d.dim);
      spatial.full.push(sz);
      spatial.edge.push(edge);
      spatial.hasEdge = spatial.hasEdge || edge < sz;
      spatial.mask |= 1 << d.dim;
      tiles = Math.max(tiles, n);
      spatial.n = Math.ceil(tiles / level.units);
      spatial.units = Math.min(level.units, tiles);
      spatial.mLast = tiles - (spatial.n - 1) * level.units;
    } else {
      loops.push({ spatial: false, dims: [d.dim], full: [sz], edge: [edge], n, units: 1, mLast: 1, hasEdge: edge < sz, mask: 1 << d.dim });
    }
  }
  return { loops, spatial };
}

function volumes(c: Compiled, tile: number[], v: Vol): Vol {
  if (c.kind === 'gemm') {
    const M = tile[0];
    const N = tile[1];
    const K = tile[2];
    v.i = M * K; v.f = K * N; v.o = M * N; v.macs = M * N * K; v.inRows = 1; v.inCols = 1;
    return v;
  }
  const N = tile[0], K = tile[1], C = tile[2], R = tile[3], S = tile[4], Yo = tile[5], Xo = tile[6];
  v.inRows = (Yo - 1) * c.strideY + R;
  v.inCols = (Xo - 1) * c.strideX + S;
  v.i = N * C * v.inRows * v.inCols;
  v.f = K * C * R * S;
  v.o = N * K * Yo * Xo;
  v.macs = v.f * N * Yo * Xo;
  return v;
}

/** Input elements new after a slide of `step` input rows (or columns) over a tile. */
function slid(v: Vol, rows: boolean, step: number): number {
  return Math.round(v.i * Math.min(1, step / (rows ? v.inRows : v.inCols)));
}

function nocDelay(hw: MappingHardware, T: number): number {
  const bw = hw.nocBandwidthElemsPerCycle;
  const beats = T <= 0 ? 0 : bw === Infinity ? 1 : Math.ceil(T / bw);
  return hw.nocHopLatencyCycles + beats - 1;
}

/** What one level's case enumeration shares. `states[j]`: 0 = loop j at a full tile, 1 = its last. */
interface LevelRun {
  ctx: Ctx;
  l: number;
  ext: number[];
  loops: Loop[];
  spatial: Loop | null;
  spMask: number;
  active: number[];
  states: Uint8Array;
  res: LevelResult;
  top: TopStats | undefined;
  totalSteps: number;
  firstInnerAct: number;
}

function analyseLevel(ctx: Ctx, l: number, ext: number[]): LevelResult {
  const key = l === 0 ? 0 : tileHash(l, ext);
  if (l > 0) {
    const bucket = ctx.memo.get(key);
    if (bucket) for (const e of bucket) if (e.l === l && sameTile(e.tile, ext)) return e.res;
  }
  const { loops, spatial } = buildLoops(ctx.c.levels[l], ext);
  const active: number[] = [];
  let totalSteps = 1;
  for (let j = 0; j < loops.length; j++) {
    totalSteps *= loops[j].n;
    if (loops[j].n > 1) active.push(j);
  }
  const run: LevelRun = {
    ctx, l, ext, loops, spatial, spMask: spatial ? spatial.mask : 0, active,
    states: new Uint8Array(loops.length),
    res: { runtime: 0, macs: 0, activeSum: 0, activeExactSum: 0, steps: 0, interPe: 0, outMult: 1 },
    top: l === 0 ? ctx.top : undefined, totalSteps, firstInnerAct: 0,
  };
  if (run.top) run.top.totalSteps = totalSteps;
  const { states } = run;
  // First step: every loop at index 0.
  evalCase(run, -1, 1);
  // Loop `a` advances: loops inside it back at 0, `a` at a middle or its last index, loops outside
  // at any full index (n − 1 of them) or their last.
  for (let ai = 0; ai < active.length; ai++) {
    const a = active[ai];
    const combos = 1 << ai;
    for (let mask = 0; mask < combos; mask++) {
      let occOuter = 1;
      for (let k = 0; k < ai; k++) {
        const j = active[k];
        const last = (mask >> k) & 1;
        // A loop whose last tile and fold equal the full ones needs no separate last state.
        if (last && !loopDiffers(loops[j])) {
          occOuter = 0;
          break;
        }
        states[j] = last;
        occOuter *= last ? 1 : loopDiffers(loops[j]) ? loops[j].n - 1 : loops[j].n;
      }
      if (!occOuter) continue;
      for (let k = ai + 1; k < active.length; k++) states[active[k]] = 0;
      const La = loops[a];
      if (loopDiffers(La)) {
        states[a] = 0;
        evalCase(run, a, occOuter * (La.n - 2));
        states[a] = 1;
        evalCase(run, a, occOuter);
      } else {
        states[a] = 0;
        evalCase(run, a, occOuter * (La.n - 1));
      }
    }
  }
  if (l > 0) {
    const bucket = ctx.memo.get(key);
    const e = { l, tile: ext.slice(), res: run.res };
    if (bucket) bucket.push(e);
    else ctx.memo.set(key, [e]);
  }
  return run.res;
}

/** Whether a loop's last iteration differs from a full one (edge tile or a partial fold). */
function loopDiffers(L: Loop): boolean {
  return L.hasEdge || (L.spatial && L.mLast !== L.units);
}

/** Evaluates one case: `adv` = index of the advancing loop (−1 = first step), `occ` = occurrences. */
function evalCase(run: LevelRun, adv: number, occ: number): void {
  if (occ <= 0) return;
  const { ctx, l, ext, loops, spatial, spMask, states, res, top } = run;
  const { c, t, hw } = ctx;
  const innermost = l === c.levels.length - 1;
  const tile = ctx.tileF[l];
  for (let d = 0; d < ext.length; d++) tile[d] = ext[d];
  for (let j = 0; j < loops.length; j++) {
    const L = loops[j];
    if (L.spatial) continue;
    tile[L.dims[0]] = L.n === 1 || states[j] === 1 ? L.edge[0] : L.full[0];
  }
  // Units: full-tile units and at most one edge unit (last fold only).
  let mFull = 1;
  let mEdge = 0;
  if (spatial) {
    const lastFold = spatial.n === 1 || states[loops.indexOf(spatial)] === 1;
    const m = lastFold ? spatial.mLast : spatial.units;
    for (let k = 0; k < spatial.dims.length; k++) tile[spatial.dims[k]] = spatial.full[k];
    const hasEdge = lastFold && spatial.hasEdge;
    mFull = hasEdge ? m - 1 : m;
    mEdge = hasEdge ? 1 : 0;
  }
  const edgeTile = mEdge ? ctx.tileE[l] : null;
  if (edgeTile) {
    for (let d = 0; d < tile.length; d++) edgeTile[d] = tile[d];
    for (let k = 0; k < spatial!.dims.length; k++) edgeTile[spatial!.dims[k]] = spatial!.edge[k];
  }
  // Compute delay first (the sub-level analysis reuses deeper scratch only).
  let comp: number;
  let macs: number;
  let act: number;
  let actExact: number;
  let interPe = 0;
  let childMult = 1;
  const vF = volumes(c, tile, ctx.volF[l]);
  const vE = edgeTile ? volumes(c, edgeTile, ctx.volE[l]) : null;
  if (innermost) {
    const lanes = hw.simdLanes;
    comp = Math.ceil(vF.macs / lanes);
    macs = mFull * vF.macs;
    act = vF.macs > 0 ? mFull : 0;
    if (vE) {
      comp = Math.max(comp, Math.ceil(vE.macs / lanes));
      macs += mEdge * vE.macs;
      act += vE.macs > 0 ? mEdge : 0;
    }
    actExact = act;
  } else {
    const a = analyseLevel(ctx, l + 1, tile);
    comp = a.runtime;
    macs = mFull * a.macs;
    actExact = (mFull * a.activeExactSum) / a.steps;
    interPe = mFull * a.interPe;
    childMult = a.outMult;
    if (edgeTile) {
      const b = analyseLevel(ctx, l + 1, edgeTile);
      comp = Math.max(comp, b.runtime);
      macs += mEdge * b.macs;
      actExact += (mEdge * b.activeExactSum) / b.steps;
      interPe += mEdge * b.interPe;
    }
    // MAESTRO's utilisation counts each active sub-cluster at its first-case activity.
    if (adv < 0) run.firstInnerAct = a.activeSum / a.steps;
    act = (mFull + mEdge) * run.firstInnerAct;
  }
  const units = mFull + mEdge;
  // Changed dims: the advancing loop and every active loop inside it (they wrapped around).
  let changed = 0;
  if (adv < 0) changed = ~0;
  else {
    changed = loops[adv].mask;
    for (let k = 0; k < run.active.length; k++) if (run.active[k] > adv) changed |= loops[run.active[k]].mask;
  }
  const perUnit = !hw.multicast;
  // Sliding window: when only the advancing Yo/Xo loop changed for the input, only its new rows/cols.
  let inF = vF.i;
  let inE = vE ? vE.i : 0;
  let slideDim = -1;
  let slideStep = 0;
  if (adv >= 0 && t.yo >= 0 && !loops[adv].spatial && (changed & t.inDeps) === loops[adv].mask) {
    const d = loops[adv].dims[0];
    if (d === t.yo || d === t.xo) {
      slideDim = d;
      slideStep = loops[adv].full[0] * (d === t.yo ? c.strideY : c.strideX);
      inF = slid(vF, d === t.yo, slideStep);
      if (vE) inE = slid(vE, d === t.yo, slideStep);
    }
  }
  const Tin = !(t.inDeps & changed) ? 0 : t.inDeps & spMask || perUnit ? mFull * inF + mEdge * inE : inF;
  const Tf = !(t.fDeps & changed) ? 0 : t.fDeps & spMask || perUnit ? mFull * vF.f + mEdge * (vE ? vE.f : 0) : vF.f;
  // Outputs leave every step; units that share outputs (a reduction dim is spatial) reduce first.
  // Without spatial reduction every unit's partial sums travel up to be added in the buffer.
  let Tout: number;
  const reduce = spatial !== null && !(t.oDeps & spMask) && units > 1;
  if (reduce) {
    Tout = (hw.spatialReduction ? 1 : units) * childMult * vF.o;
    if (hw.spatialReduction) interPe += (units - 1) * childMult * vF.o;
  } else Tout = childMult * (mFull * vF.o + mEdge * (vE ? vE.o : 0));
  const mult = (reduce && !hw.spatialReduction ? units : 1) * childMult;
  if (mult > res.outMult) res.outMult = mult;
  const dIn = nocDelay(hw, Tin + Tf);
  const dOut = nocDelay(hw, Tout);
  let step: number;
  if (hw.doubleBuffering) step = adv < 0 ? comp + dIn : Math.max(dIn, comp, dOut);
  else step = comp + (Tin + Tf > 0 ? dIn : 0) + (Tout > 0 ? dOut : 0);
  if (top) {
    // Off-chip term (top level only): this step's DRAM ↔ GLB traffic against the off-chip bandwidth.
    let dI: number;
    let dF: number;
    let dO: number;
    if (hw.offchipModel === 'step-tile') {
      // MAESTRO: every step refetches the first step's tiles (half the double-buffered L2 requirement).
      dI = top.firstTile.in;
      dF = top.firstTile.f;
      dO = top.firstTile.o;
    } else {
      // Resident tensors are filled once (spread over the steps); the others as the loops reuse them.
      // The GLB is filled with the union of the units' tiles: halos shared by neighbouring units and
      // data multicast to several units come from DRAM once.
      const u = ctx.tileU;
      for (let d = 0; d < tile.length; d++) u[d] = tile[d];
      if (spatial) {
        for (let k = 0; k < spatial.dims.length; k++) {
          const d = spatial.dims[k];
          u[d] = Math.min(ext[d], mFull * spatial.full[k] + mEdge * spatial.edge[k]);
        }
      }
      const vU = volumes(c, u, ctx.volU);
      const uIn = slideDim >= 0 ? slid(vU, slideDim === t.yo, slideStep) : vU.i;
      dI = top.resident.in ? top.sizes.in / run.totalSteps : t.inDeps & changed ? uIn : 0;
      dF = top.resident.f ? top.sizes.f / run.totalSteps : t.fDeps & changed ? vU.f : 0;
      dO = top.resident.o ? top.sizes.o / run.totalSteps : Tout;
    }
    const ob = hw.offchipBandwidthElemsPerCycle;
    let off = 0;
    if (ob !== Infinity) {
      // 'step-tile' rounds down as MAESTRO does (⌊⌊2T/ob⌋/2⌋ = ⌊T/ob⌋); 'reuse' streams continuously.
      off = Math.max((dI + dF) / ob, dO / ob);
      if (hw.offchipModel === 'step-tile') off = Math.max(Math.floor((dI + dF) / ob), Math.floor(dO / ob));
    }
    if (off > step) top.bound.offchip += occ;
    else if (adv < 0 || comp >= Math.max(dIn, dOut)) top.bound.compute += occ;
    else top.bound.noc += occ;
    step = Math.max(step, off);
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
    if (pIn > top.dInMax) top.dInMax = pIn;
    if (pOut > top.dOutMax) top.dOutMax = pOut;
    if (comp > top.compMax) top.compMax = comp;
  }
  res.runtime += occ * step;
  res.macs += occ * macs;
  res.activeSum += occ * act;
  res.activeExactSum += occ * actExact;
  res.steps += occ;
  res.interPe += occ * interPe;
}

const emptyAccess = (): LevelAccess => ({
  input: { read: 0, write: 0 },
  filter: { read: 0, write: 0 },
  output: { read: 0, write: 0 },
});

/** The cost of one layer under one mapping on one accelerator (see the module comment). */
export function analyseMapping(layer: MappingLayer, mapping: Mapping, hw: MappingHardware): MappingCost {
  const c = compiled(layer, mapping, hw.numPes);
  const ctx = newCtx(c, hw);
  const full = volumes(c, c.extents, newVol());
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
      const v = volumes(c, tile, newVol());
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
  const v = volumes(c, ext, newVol());
  return { l1: 2 * (v.i + v.f + v.o), l2, tile: first };
}

// Compiled mappings (and with them the sub-level memo and scratch) per (mapping, layer, PE count):
// first by object identity (the mapper calls many mappings on one layer object), then by content,
// so an equal mapping built afresh (a mapper's candidate, a parsed file) shares the work.
const byObject = new WeakMap<Mapping, WeakMap<MappingLayer, { pes: number; c: Compiled }>>();
const byContent = new Map<string, Compiled>();
const signatures = new WeakMap<Mapping, string>();

function signature(mapping: Mapping): string {
  let sig = signatures.get(mapping);
  if (sig === undefined) {
    sig = mapping.appliesTo.join(',');
    for (const d of mapping.directives) sig += d.kind === 'cluster' ? `|C${d.size}` : `|${d.kind === 'spatial' ? 'S' : 'T'}${d.dim}:${d.size}:${d.offset}`;
    signatures.set(mapping, sig);
  }
  return sig;
}

function compiled(layer: MappingLayer, mapping: Mapping, numPes: number): Compiled {
  let objs = byObject.get(mapping);
  if (!objs) byObject.set(mapping, (objs = new WeakMap()));
  const hit = objs.get(layer);
  if (hit && hit.pes === numPes) return hit.c;
  const d = layer.dims;
  const key = `${signature(mapping)}#${layer.kind}|${d.N}|${d.K}|${d.C}|${d.R}|${d.S}|${d.Y}|${d.X}|${d.M}|${layer.strideY}|${layer.strideX}|${numPes}`;
  let c = byContent.get(key);
  if (!c) {
    c = compileMapping(layer, mapping, numPes);
    if (byContent.size > 20000) byContent.clear();
    byContent.set(key, c);
  }
  objs.set(layer, { pes: numPes, c });
  return c;
}

/** The double-buffered L1 (per PE) and L2 requirements of a mapping, elements, without the analysis. */
export function bufferRequirements(layer: MappingLayer, mapping: Mapping, hw: MappingHardware): { l1Elems: number; l2Elems: number } {
  const c = compiled(layer, mapping, hw.numPes);
  const r = requirements(newCtx(c, hw));
  return { l1Elems: r.l1, l2Elems: r.l2 };
}
