/**
 * Speed of tile-accurate CIM inference (@cosearch/cim-training `createTileSimulator`) against the
 * clean evaluation of the same subnet, both through the supernet's `evaluateSubnet` on the same
 * images in the same run. The target: tile-accurate accuracy of a subnet on 500 images
 * ≤ 3× its clean evaluation.
 *
 *   npm run bench -- cim-tile   (or: node --conditions=@cosearch/source --import tsx tools/bench/cim-tile.bench.ts)
 *
 * Env: BENCH_IMAGES (default 500 validation images), BENCH_SUPERNET (a trained supernet checkpoint
 * directory; default: the newest .cosearch-cache/supernet-mnist-* that `npm start` leaves, else an
 * untrained supernet, which times the same work but whose accuracies mean nothing),
 * BENCH_SWEEP=1 (also accuracy vs ADC bits 3…9 of the smallest subnet, all weight ops on CIM, both
 * ADC-range conventions, on BENCH_SWEEP_IMAGES = 200 images, programming noise BENCH_SWEEP_NOISE = 0.05),
 * BENCH_SKIP_SPEED=1 (only the sweep), BENCH_WEIGHT_BITS (default 4, the default experiment's
 * accuracy.cim.weightBits), BENCH_ADC_RANGE (default calibrated, accuracy.cim.adcRange's default).
 * Each tile-accurate row also prints the ADC conversions simulated and the CPU time per conversion.
 * Which layers run on CIM: those the hardware model maps to CIM on `edge-npu-cim-v1` with the
 * greedy-edp scheme (what a co-search candidate with that scheme gets), and all weight ops
 * (cim-only, the worst case). Tile = `cimTileParams` of that preset (128 rows, 2-bit cells,
 * bit-serial inputs, 5-bit ADC); device rram-neurram-v1 with its 5 % programming noise; 8-bit
 * activations. One simulated chip per figure; clean figures are
 * warm (BN statistics cached by a first call, as in the co-search's memo).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@cosearch/backend';
import { Rng } from '@cosearch/core';
import { loadDataset, take } from '@cosearch/datasets';
import { cimTileParams, evaluate, getHardwarePreset } from '@cosearch/hardware';
import { createCimAwareLinear, createTileSimulator, losslessAdcBits } from '@cosearch/cim-training';
import { Supernet, defaultSupernetConfig, evaluateSubnet, matMulOverride, restrictOverride, largestArch, smallestArch, subnetLayers, type SubnetArch } from '@cosearch/supernet';

const images = Number(process.env.BENCH_IMAGES ?? 500);
const weightBits = Number(process.env.BENCH_WEIGHT_BITS ?? 4);
const adcRange = (process.env.BENCH_ADC_RANGE ?? 'calibrated') as 'calibrated' | 'full-scale';

function findCheckpoint(): string | null {
  if (process.env.BENCH_SUPERNET) return process.env.BENCH_SUPERNET;
  const cache = '.cosearch-cache';
  if (!existsSync(cache)) return null;
  const dirs = readdirSync(cache).filter((d) => d.startsWith('supernet-mnist-')).map((d) => join(cache, d));
  dirs.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return dirs.find((d) => existsSync(join(d, 'checkpoint.json'))) ?? null;
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; wallS: number; cpuS: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { value, wallS: (performance.now() - t0) / 1000, cpuS: (c.user + c.system) / 1e6 };
}

async function main(): Promise<void> {
  const backend = await initBackend({ quiet: true });
  const data = loadDataset({ name: 'mnist' });
  const evalSet = take(data.val, images);
  const calibration = take(data.train, 512);
  const ckpt = findCheckpoint();
  const net = ckpt ? await Supernet.load(ckpt) : Supernet.create(defaultSupernetConfig(), 0);
  const hw = getHardwarePreset('edge-npu-cim-v1');
  hw.mapping.scheme = 'greedy-edp';
  const tile = cimTileParams(hw)!;
  console.log(`backend ${backend}; supernet ${ckpt ?? 'untrained (timing only)'}; ${evalSet.n} val images`);
  console.log(`tile ${tile.rows}x${tile.cols}, ${tile.cellBits}-bit cells, ${tile.dacBits}-bit DAC, ${tile.adcBits}-bit ADC (lossless ${losslessAdcBits(tile.rows, tile.dacBits, tile.cellBits)}); rram-neurram-v1, 8-bit activations, ${weightBits}-bit weights, ${adcRange} ADC`);

  const rows: string[][] = [];
  const speedArchs = process.env.BENCH_SKIP_SPEED === '1' ? [] : [['largest', largestArch(net.config)], ['smallest', smallestArch(net.config)]];
  for (const [label, arch] of speedArchs as [string, SubnetArch][]) {
    const layers = subnetLayers(net.config, arch);
    let greedy: string[] = [];
    try {
      greedy = evaluate(layers, hw).perLayer.filter((l) => l.engine === 'cim').map((l) => l.name);
    } catch (e) {
      console.log(`(hardware model failed on ${label}: ${(e as Error).message.slice(0, 120)}; greedy-edp row skipped)`);
    }
    const all = layers.filter((l) => l.kind === 'conv' || l.kind === 'depthwise' || l.kind === 'dense').map((l) => l.name);
    await evaluateSubnet(net, arch, evalSet, { calibration }); // calibrates BN (cached)
    const clean = await timed(() => evaluateSubnet(net, arch, evalSet, { calibration }));
    rows.push([label, 'clean', '-', (clean.value.accuracy * 100).toFixed(1), clean.wallS.toFixed(2), clean.cpuS.toFixed(2), '1.00']);
    // the floor of any hook: the same ops through the supernet's im2col + matMul path, no CIM model
    const ident = await timed(() => evaluateSubnet(net, arch, evalSet, { calibration, linearOverride: restrictOverride(matMulOverride, (op) => all.includes(op.layer)) }));
    rows.push([label, 'all, identity hook', String(all.length), (ident.value.accuracy * 100).toFixed(1), ident.wallS.toFixed(2), ident.cpuS.toFixed(2), (ident.cpuS / clean.cpuS).toFixed(2)]);
    const maps = ([['greedy-edp', greedy], ['all weight ops', all]] as [string, string[]][]).filter(([, l]) => l.length > 0);
    for (const [mapName, cimLayers] of maps) {
      const sim = createTileSimulator({ tile, device: 'rram-neurram-v1', inputBits: 8, weightBits, adcRange, rng: new Rng(1), layers: cimLayers });
      const r = await timed(() => evaluateSubnet(net, arch, evalSet, { calibration, linearOverride: sim.linear }));
      const conversions = Object.values(sim.stats()).reduce((a, s) => a + s.conversions, 0);
      sim.dispose();
      rows.push([label, `${mapName} (${conversions.toExponential(2)} conversions, ${((r.cpuS / conversions) * 1e9).toFixed(1)} CPU-ns each)`, String(cimLayers.length), (r.value.accuracy * 100).toFixed(1), r.wallS.toFixed(2), r.cpuS.toFixed(2), (r.cpuS / clean.cpuS).toFixed(2)]);
    }
    // the training op's statistical model (no slices; noise redrawn per call) as a cheap estimate
    const stat = createCimAwareLinear({ tile, device: 'rram-neurram-v1', inputBits: 8, weightBits, adcRange, adcBitsChoices: [tile.adcBits], programmingNoise: 0.05, rng: new Rng(1), layers: all });
    const st = await timed(() => evaluateSubnet(net, arch, evalSet, { calibration, linearOverride: stat }));
    rows.push([label, 'all, statistical op', String(all.length), (st.value.accuracy * 100).toFixed(1), st.wallS.toFixed(2), st.cpuS.toFixed(2), (st.cpuS / clean.cpuS).toFixed(2)]);
  }
  const head = ['subnet', 'CIM layers', 'n', 'acc %', 'wall s', 'CPU s', 'CPU vs clean'];
  console.log(head.join(' | '));
  for (const r of rows) console.log(r.join(' | '));

  if (process.env.BENCH_SWEEP === '1') {
    // accuracy vs ADC bits of one fixed subnet (the smallest: the sweep is 14 tile-accurate
    // evaluations), all weight ops on one simulated chip, on the first BENCH_SWEEP_IMAGES images
    const arch = smallestArch(net.config);
    const sweepSet = take(evalSet, Number(process.env.BENCH_SWEEP_IMAGES ?? 200));
    const all = subnetLayers(net.config, arch).filter((l) => l.kind === 'conv' || l.kind === 'depthwise' || l.kind === 'dense').map((l) => l.name);
    const clean = await evaluateSubnet(net, arch, sweepSet, { calibration });
    const noise = Number(process.env.BENCH_SWEEP_NOISE ?? 0.05);
    console.log(`smallest subnet, ${sweepSet.n} images, clean ${(clean.accuracy * 100).toFixed(1)} %; all ${all.length} weight ops on CIM, programming noise ${noise}:`);
    for (const adcRange of ['full-scale', 'calibrated'] as const) {
      const accs: string[] = [];
      for (const adcBits of [3, 4, 5, 6, 7, 8, 9]) {
        const sim = createTileSimulator({ tile: { ...tile, adcBits }, device: 'rram-neurram-v1', inputBits: 8, weightBits, rng: new Rng(1), layers: all, adcRange, programmingNoise: noise });
        const r = await evaluateSubnet(net, arch, sweepSet, { calibration, linearOverride: sim.linear });
        sim.dispose();
        accs.push(`${adcBits}b ${(r.accuracy * 100).toFixed(1)}`);
      }
      console.log(`  ADC range ${adcRange}: ${accs.join(' | ')}`);
    }
  }
  net.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
