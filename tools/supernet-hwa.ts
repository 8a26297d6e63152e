/**
 * Accuracy of CIM-mapped subnets under the tile-accurate CIM simulator (issue 14, parts 1–2),
 * for a supernet and optionally the same supernet after a hardware-aware phase:
 *   - per subnet (largest, smallest, N random with P(ViT) = 0.5 per slot): clean accuracy (BN
 *     re-calibrated) and the mean over simulated chips with the layers the hardware model maps to
 *     CIM run through cim-training's `createTileSimulator` at the preset's tile (`cimTileParams`);
 *     the median loss (clean − CIM) over subnets and the mean clean accuracy;
 *   - accuracy versus ADC bits for one fixed subnet (same chips).
 * BN statistics are the clean model's (a chip folds BN from the clean model), as in the runner.
 *
 *   node --conditions=@cosearch/source --import tsx tools/supernet-hwa.ts --supernet DIR [--hwa DIR]
 *     [--subnets 20] [--chips 2] [--samples 500] [--split val|test] [--calibration 256]
 *     [--hardware edge-npu-cim-v1] [--device rram-neurram-v1] [--input-bits 8] [--weight-bits 4]
 *     [--adc-bits 3,4,5,6,7,8,9] [--sweep-arch random0|largest|smallest] [--seed 0] [--json FILE]
 *     [--programming-noise σ] [--stuck p]   (default: the device's; 0 and 0 = ideal devices, ADC/DAC/quantisation only)
 */
import * as fs from 'node:fs';
import { initBackend } from '@cosearch/backend';
import { Rng } from '@cosearch/core';
import { loadDataset, take } from '@cosearch/datasets';
import { cimTileParams, evaluate as evaluateHardware, getHardwarePreset } from '@cosearch/hardware';
import { createTileSimulator } from '@cosearch/cim-training';
import { archKey, evaluateSubnet, largestArch, sampleArch, smallestArch, Supernet, subnetLayers, vitCount, type SubnetArch } from '@cosearch/supernet';

const argv = process.argv.slice(2);
function sarg(name: string, dflt: string): string;
function sarg(name: string, dflt?: string): string | undefined;
function sarg(name: string, dflt?: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
}
function narg(name: string, dflt: number): number {
  const v = Number(sarg(name, String(dflt)));
  if (!Number.isFinite(v)) throw new Error(`--${name}: ${sarg(name)} is not a number`);
  return v;
}

const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; };
const pct = (x: number) => (100 * x).toFixed(2);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<void> {
  const base = sarg('supernet');
  if (!base) throw new Error('--supernet DIR is required');
  const hwaDir = sarg('hwa');
  const nSubnets = narg('subnets', 20);
  const chips = narg('chips', 2);
  const samples = narg('samples', 500);
  const split = sarg('split', 'val');
  const inputBits = narg('input-bits', 8);
  const weightBits = narg('weight-bits', 4);
  const device = sarg('device', 'rram-neurram-v1');
  const hwName = sarg('hardware', 'edge-npu-cim-v1');
  const adcList = sarg('adc-bits', '3,4,5,6,7,8,9').split(',').map(Number);
  const seed = narg('seed', 0);
  const noise = sarg('programming-noise') === undefined ? {} : { programmingNoise: narg('programming-noise', 0) };
  const stuck = sarg('stuck') === undefined ? {} : { stuckProbability: narg('stuck', 0) };
  await initBackend({ quiet: true });
  const data = loadDataset({ name: 'mnist' });
  const set = take(split === 'test' ? data.test : data.val, samples);
  const calibration = take(data.train, narg('calibration', 256));
  const hw = getHardwarePreset(hwName);
  const tile = cimTileParams(hw);
  if (!tile) throw new Error(`--hardware ${hwName} has no CIM engine`);
  const nets: [string, Supernet][] = [['base', await Supernet.load(base)]];
  if (hwaDir) nets.push(['hardware-aware', await Supernet.load(hwaDir)]);
  const cfg = nets[0][1].config;

  // Subnets: largest, smallest, then distinct random ones.
  const rng = new Rng(seed).fork('hwa-subnets');
  const archs = new Map<string, SubnetArch>([[archKey(largestArch(cfg)), largestArch(cfg)], [archKey(smallestArch(cfg)), smallestArch(cfg)]]);
  while (archs.size < nSubnets + 2) { const a = sampleArch(cfg, rng, 0.5); archs.set(archKey(a), a); }
  const list = [...archs.values()];
  const cimLayersOf = (arch: SubnetArch) => evaluateHardware(subnetLayers(cfg, arch, { bits: inputBits }), hw).perLayer.filter((l) => l.engine === 'cim').map((l) => l.name);

  const cimAccuracy = async (net: Supernet, arch: SubnetArch, layers: string[], t = tile) => {
    const accs: number[] = [];
    for (let c = 0; c < chips; c++) {
      // Same chips (device population, programming noise) for every supernet: seeded by subnet and chip only.
      const sim = createTileSimulator({ tile: t, device, inputBits, weightBits, layers, ...noise, ...stuck, rng: new Rng(seed).fork(`chip-${c}`).fork(archKey(arch)) });
      try {
        accs.push((await evaluateSubnet(net, arch, set, { calibration, linearOverride: sim.linear })).accuracy);
      } finally {
        sim.dispose();
      }
    }
    return mean(accs);
  };

  const out: Record<string, unknown> = { supernet: base, hwa: hwaDir ?? null, split, samples: set.n, chips, tile, device, inputBits, weightBits, hardware: hwName };
  process.stdout.write(`tile ${JSON.stringify(tile)}; ${device}; ${inputBits}-bit inputs, ${weightBits}-bit weights; ${chips} chips; ${set.n} ${split} images\n`);
  const rows: Record<string, unknown>[] = [];
  const summary: Record<string, { medianLoss: number; meanLoss: number; maxLoss: number; meanClean: number; meanCim: number; cpuS: number }> = {};
  for (const [name, net] of nets) {
    const c0 = cpu();
    const losses: number[] = [], cleans: number[] = [], cims: number[] = [];
    process.stdout.write(`\n${name}: subnet | ViT blocks | CIM layers | clean % | CIM % | loss (points)\n`);
    for (const arch of list) {
      const layers = cimLayersOf(arch);
      const clean = (await evaluateSubnet(net, arch, set, { calibration })).accuracy;
      const cim = layers.length ? await cimAccuracy(net, arch, layers) : clean;
      if (layers.length) { losses.push(100 * (clean - cim)); cims.push(cim); }
      cleans.push(clean);
      rows.push({ supernet: name, arch: archKey(arch), vit: vitCount(arch), cimLayers: layers.length, clean, cim });
      process.stdout.write(`${archKey(arch)} | ${vitCount(arch)} | ${layers.length} | ${pct(clean)} | ${pct(cim)} | ${(100 * (clean - cim)).toFixed(2)}\n`);
    }
    summary[name] = { medianLoss: median(losses), meanLoss: mean(losses), maxLoss: Math.max(...losses), meanClean: 100 * mean(cleans), meanCim: 100 * mean(cims), cpuS: cpu() - c0 };
  }
  process.stdout.write('\nsupernet | CIM-mapped subnets | median loss | mean loss | max loss | mean clean % | mean CIM % | CPU s\n');
  for (const [name, s] of Object.entries(summary)) {
    process.stdout.write(`${name} | ${rows.filter((r) => r.supernet === name && (r.cimLayers as number) > 0).length} | ${s.medianLoss.toFixed(2)} | ${s.meanLoss.toFixed(2)} | ${s.maxLoss.toFixed(2)} | ${s.meanClean.toFixed(2)} | ${s.meanCim.toFixed(2)} | ${s.cpuS.toFixed(0)}\n`);
  }

  // Accuracy versus ADC bits for one fixed subnet.
  const which = sarg('sweep-arch', 'random0');
  const fixed = which === 'largest' ? list[0] : which === 'smallest' ? list[1] : list[2];
  const layers = cimLayersOf(fixed);
  process.stdout.write(`\nADC bits sweep, subnet ${archKey(fixed)} (${layers.length} CIM layers), mean over ${chips} chips\nADC bits | ${nets.map(([n]) => `${n} %`).join(' | ')}\n`);
  const sweep: Record<string, number[]> = {};
  for (const [name] of nets) sweep[name] = [];
  for (const bits of adcList) {
    const cells: string[] = [];
    for (const [name, net] of nets) {
      const a = await cimAccuracy(net, fixed, layers, { ...tile, adcBits: bits });
      sweep[name].push(a);
      cells.push(pct(a));
    }
    process.stdout.write(`${bits} | ${cells.join(' | ')}\n`);
  }
  for (const [name, net] of nets) process.stdout.write(`clean (${name}): ${pct((await evaluateSubnet(net, fixed, set, { calibration })).accuracy)} %\n`);
  Object.assign(out, { rows, summary, sweep: { arch: archKey(fixed), adcBits: adcList, accuracy: sweep } });
  const json = sarg('json');
  if (json) fs.writeFileSync(json, JSON.stringify(out, null, 1));
  for (const [, n] of nets) n.dispose();
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
