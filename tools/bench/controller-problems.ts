/**
 * Benchmark problems for tools/bench/controller.bench.ts, each with a KNOWN optimum:
 * - `synthetic`: 16 decisions × 4 choices, additive + neighbour-interaction reward, optimum by
 *   dynamic programming (@cosearch/controller syntheticProblem).
 * - `hardware`: a small CNN family (phase network) × the real @cosearch/hardware analytical
 *   model (phases hardware and system, reduced choice lists so the joint space can be
 *   enumerated), accuracy from a fixed proxy, MnasNet-style reward; optimum by brute force over
 *   every feasible candidate (which also fills the evaluation cache the runs then read).
 */
import { conv2d, layerMacs, SearchSpace, type Candidate, type LayerSpec } from '@cosearch/core';
import { syntheticProblem } from '@cosearch/controller';
import { applyHardwareCandidate, evaluate, getHardwarePreset, hardwareSpace } from '@cosearch/hardware';

export interface BenchProblem {
  name: string;
  space: SearchSpace;
  reward(c: Candidate): number;
  optimum: number;
  note: string;
}

export function syntheticBench(): BenchProblem {
  const p = syntheticProblem({ decisions: 16, choices: 4, seed: 1, interaction: 1 });
  return { name: 'synthetic', space: p.space, reward: p.reward, optimum: p.optimum, note: '16 decisions × 4 choices (4.3e9 candidates), optimum by DP' };
}

const networkSpace = new SearchSpace([
  { name: 'net.width', phase: 'network', choices: [16, 32, 64] },
  { name: 'net.depth', phase: 'network', choices: [2, 4] },
  { name: 'net.kernel', phase: 'network', choices: [3, 5] },
]);

/** The CNN of a network candidate at 32×32×3 input: stem conv, `depth` k×k convs (stride 2 every other), classifier. */
function network(c: Candidate): LayerSpec[] {
  const w = c['net.width'] as number, depth = c['net.depth'] as number, k = c['net.kernel'] as number;
  const layers: LayerSpec[] = [conv2d({ name: 'stem', inChannels: 3, outChannels: w, inHeight: 32, inWidth: 32, kernel: 3, block: 'stem' })];
  let ch = w, hw = 32;
  for (let i = 0; i < depth; i++) {
    const stride = i % 2 === 0 ? 2 : 1;
    const out = stride === 2 ? ch * 2 : ch;
    const l = conv2d({ name: `conv${i}`, inChannels: ch, outChannels: out, inHeight: hw, inWidth: hw, kernel: k, stride, block: `b${i}` });
    layers.push(l);
    ch = out;
    hw = l.outHeight;
  }
  layers.push({ kind: 'dense', name: 'fc', batch: 1, inFeatures: ch * hw * hw, outFeatures: 10, block: 'head' });
  return layers;
}

/**
 * Fixed accuracy proxy (a power law in MACs, the shape of NAS accuracy-vs-compute curves) minus
 * an ADC-precision penalty when CIM executes layers: acc = 0.95 − 0.3·(MACs/1e6)^−0.35 − 0.012·(8 − adcBits)·[CIM used].
 */
function accuracyProxy(c: Candidate, layers: LayerSpec[]): number {
  const macs = layers.reduce((s, l) => s + layerMacs(l), 0);
  const cim = c['sys.scheme'] !== 'npu-only';
  return 0.95 - 0.3 * Math.pow(macs / 1e6, -0.35) - (cim ? 0.012 * (8 - (c['hw.adcBits'] as number)) : 0);
}

export function hardwareBench(log: (s: string) => void = () => {}): BenchProblem {
  const base = getHardwarePreset('edge-npu-cim-v1');
  const hw = hardwareSpace({
    base,
    // Two NPU mapping templates (the mapper's 'auto' and the other templates would multiply the
    // brute-force enumeration by 3; the legacy hw.dataflow decision is now overridden by hw.mapping).
    mappings: ['row-stationary-v1', 'weight-stationary-v1'],
    peRows: [8, 16], peCols: [16], glbKiB: [64, 256], cimTiles: [256], xbarSize: [128, 256], adcBits: [4, 6, 8], columnsPerAdc: [4, 8],
    schemes: ['npu-only', 'cim-only', 'greedy-edp'], voltagesV: [0.7, 0.9], frequenciesHz: [400e6, 800e6],
    topologies: ['mesh', 'ring'], nocLinkBits: [64, 128], nocVirtualChannels: [2], nocBufferFlits: [4],
  });
  const space = SearchSpace.merge(networkSpace, hw);
  // Enumerate every feasible candidate once: metrics, then reward with targets at the space's geometric means.
  const rows: { key: string; acc: number; lat: number; e: number; a: number }[] = [];
  const idx = new Array<number>(space.decisions.length).fill(0);
  const nets = new Map<string, LayerSpec[]>();
  let failed = 0;
  for (;;) {
    const c = space.decode(idx);
    if (space.isFeasible(c)) {
      const nk = `${c['net.width']}.${c['net.depth']}.${c['net.kernel']}`;
      if (!nets.has(nk)) nets.set(nk, network(c));
      const layers = nets.get(nk)!;
      try {
        const r = evaluate(layers, applyHardwareCandidate(base, c));
        rows.push({ key: space.key(c), acc: accuracyProxy(c, layers), lat: r.latencyS, e: r.energyJ, a: r.areaMm2 });
      } catch {
        failed++;
      }
      if (rows.length % 5000 === 0) log(`hardware problem: ${rows.length} candidates evaluated`);
    }
    let i = idx.length - 1;
    while (i >= 0 && ++idx[i] === space.decisions[i].choices.length) idx[i--] = 0;
    if (i < 0) break;
  }
  const gmean = (f: (r: (typeof rows)[number]) => number) => Math.exp(rows.reduce((s, r) => s + Math.log(f(r)), 0) / rows.length);
  const tl = gmean((r) => r.lat), te = gmean((r) => r.e), ta = gmean((r) => r.a);
  // MnasNet-style soft reward (Tan et al. 2019) over three costs: acc·(lat/T)^−0.15·(E/T)^−0.15·(area/T)^−0.1.
  const score = (r: (typeof rows)[number]) => r.acc * Math.pow(r.lat / tl, -0.15) * Math.pow(r.e / te, -0.15) * Math.pow(r.a / ta, -0.1);
  const table = new Map<string, number>();
  let optimum = -Infinity;
  for (const r of rows) {
    const s = score(r);
    table.set(r.key, s);
    optimum = Math.max(optimum, s);
  }
  const nontrivial = space.decisions.filter((d) => d.choices.length > 1).length;
  return {
    name: 'hardware',
    space,
    reward: (c) => table.get(space.key(c)) ?? 0,
    optimum,
    note: `${nontrivial} non-trivial decisions (${space.decisions.length} in all), ${rows.length} feasible candidates (${failed} rejected by the model), optimum by brute force`,
  };
}
