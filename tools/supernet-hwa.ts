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
 *     [--adc-range full-scale|calibrated] (default full-scale; the default experiment uses calibrated)
 *     [--weight-scale column|layer] (default column, the simulator's)
 *     [--cell-bits c] (override the preset tile's cells) [--sweep-chips N] (chips of the ADC sweep, default --chips)
 *     [--skip-losses] [--skip-sweep] (run one part only, e.g. as two processes)
 *     [--svg FILE] (the ADC sweep as a chart: mean ± std over the sweep's chips)
 *   --adc-bits may hold 'lossless' (= losslessAdcBits of the tile's rows, DAC and cell bits).
 */
import * as fs from 'node:fs';
import { initBackend } from '@cosearch/backend';
import { Rng } from '@cosearch/core';
import { loadDataset, take } from '@cosearch/datasets';
import { cimTileParams, evaluate as evaluateHardware, getHardwarePreset } from '@cosearch/hardware';
import { createTileSimulator, losslessAdcBits } from '@cosearch/cim-training';
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
  const adcRange = sarg('adc-range', 'full-scale') as 'full-scale' | 'calibrated';
  if (adcRange !== 'full-scale' && adcRange !== 'calibrated') throw new Error(`--adc-range: ${adcRange} is not full-scale or calibrated`);
  const adcTokens = sarg('adc-bits', '3,4,5,6,7,8,9').split(',');
  const seed = narg('seed', 0);
  const noise = sarg('programming-noise') === undefined ? {} : { programmingNoise: narg('programming-noise', 0) };
  const stuck = sarg('stuck') === undefined ? {} : { stuckProbability: narg('stuck', 0) };
  await initBackend({ quiet: true });
  const data = loadDataset({ name: 'mnist' });
  const set = take(split === 'test' ? data.test : data.val, samples);
  const calibration = take(data.train, narg('calibration', 256));
  const hw = getHardwarePreset(hwName);
  const presetTile = cimTileParams(hw);
  if (!presetTile) throw new Error(`--hardware ${hwName} has no CIM engine`);
  const tile = sarg('cell-bits') === undefined ? presetTile : { ...presetTile, cellBits: narg('cell-bits', presetTile.cellBits) };
  const lossless = losslessAdcBits(tile.rows, tile.dacBits, tile.cellBits);
  const adcList = adcTokens.map((t) => (t === 'lossless' ? lossless : Number(t)));
  if (adcList.some((b) => !Number.isInteger(b) || b < 1)) throw new Error(`--adc-bits: ${adcTokens.join(',')} must be integers ≥ 1 or 'lossless'`);
  const sweepChips = narg('sweep-chips', chips);
  const weightScale = sarg('weight-scale', 'column') as 'column' | 'layer';
  if (weightScale !== 'column' && weightScale !== 'layer') throw new Error(`--weight-scale: ${weightScale} is not column or layer`);
  const nets: [string, Supernet][] = [['base', await Supernet.load(base)]];
  if (hwaDir) nets.push(['hardware-aware', await Supernet.load(hwaDir)]);
  const cfg = nets[0][1].config;

  // Subnets: largest, smallest, then distinct random ones.
  const rng = new Rng(seed).fork('hwa-subnets');
  const archs = new Map<string, SubnetArch>([[archKey(largestArch(cfg)), largestArch(cfg)], [archKey(smallestArch(cfg)), smallestArch(cfg)]]);
  while (archs.size < nSubnets + 2) { const a = sampleArch(cfg, rng, 0.5); archs.set(archKey(a), a); }
  const list = [...archs.values()];
  const cimLayersOf = (arch: SubnetArch) => evaluateHardware(subnetLayers(cfg, arch, { bits: inputBits }), hw).perLayer.filter((l) => l.engine === 'cim').map((l) => l.name);

  const cimAccuracies = async (net: Supernet, arch: SubnetArch, layers: string[], t = tile, n = chips) => {
    const accs: number[] = [];
    for (let c = 0; c < n; c++) {
      // Same chips (device population, programming noise) for every supernet: seeded by subnet and chip only.
      const sim = createTileSimulator({ tile: t, device, inputBits, weightBits, layers, adcRange, weightScale, ...noise, ...stuck, rng: new Rng(seed).fork(`chip-${c}`).fork(archKey(arch)) });
      try {
        accs.push((await evaluateSubnet(net, arch, set, { calibration, linearOverride: sim.linear })).accuracy);
      } finally {
        sim.dispose();
      }
    }
    return accs;
  };
  const cimAccuracy = async (net: Supernet, arch: SubnetArch, layers: string[]) => mean(await cimAccuracies(net, arch, layers));

  const out: Record<string, unknown> = { supernet: base, hwa: hwaDir ?? null, split, samples: set.n, chips, tile, device, inputBits, weightBits, hardware: hwName, adcRange, weightScale, ...noise, ...stuck };
  process.stdout.write(`tile ${JSON.stringify(tile)}; ${device}; ${adcRange} ADC; weight scale per ${weightScale}; ${inputBits}-bit inputs, ${weightBits}-bit weights; ${chips} chips; ${set.n} ${split} images\n`);
  const rows: Record<string, unknown>[] = [];
  const summary: Record<string, { medianLoss: number; meanLoss: number; maxLoss: number; meanClean: number; meanCim: number; cpuS: number }> = {};
  for (const [name, net] of argv.includes('--skip-losses') ? [] : nets) {
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

  // Accuracy versus ADC bits for one fixed subnet: mean ± std over the sweep's chips.
  const which = sarg('sweep-arch', 'random0');
  const fixed = which === 'largest' ? list[0] : which === 'smallest' ? list[1] : list[Math.min(2, list.length - 1)];
  const layers = cimLayersOf(fixed);
  const sd = (xs: number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, v) => a + (v - mean(xs)) ** 2, 0) / (xs.length - 1)));
  process.stdout.write(`\nADC bits sweep, subnet ${archKey(fixed)} (${layers.length} CIM layers), mean ± std over ${sweepChips} chips (lossless = ${lossless} bits)\nADC bits | ${nets.map(([n]) => `${n} %`).join(' | ')}\n`);
  const sweep: Record<string, { mean: number; std: number; chips: number[] }[]> = {};
  for (const [name] of nets) sweep[name] = [];
  for (const bits of argv.includes('--skip-sweep') ? [] : adcList) {
    const cells: string[] = [];
    for (const [name, net] of nets) {
      const accs = await cimAccuracies(net, fixed, layers, { ...tile, adcBits: bits }, sweepChips);
      sweep[name].push({ mean: mean(accs), std: sd(accs), chips: accs });
      cells.push(`${pct(mean(accs))} ± ${pct(sd(accs))}`);
    }
    process.stdout.write(`${bits}${bits === lossless ? ' (lossless)' : ''} | ${cells.join(' | ')}\n`);
  }
  const cleanFixed: Record<string, number> = {};
  for (const [name, net] of nets) {
    cleanFixed[name] = (await evaluateSubnet(net, fixed, set, { calibration })).accuracy;
    process.stdout.write(`clean (${name}): ${pct(cleanFixed[name])} %\n`);
  }
  Object.assign(out, { rows, summary, sweep: { arch: archKey(fixed), cimLayers: layers.length, chips: sweepChips, adcBits: adcList, lossless, clean: cleanFixed, accuracy: sweep } });
  const svg = sarg('svg');
  if (svg) fs.writeFileSync(svg, sweepSvg(`Accuracy vs ADC bits: subnet ${archKey(fixed)}, ${layers.length} CIM layers, ${sweepChips} chips (mean ± std), ${set.n} ${split} images`, adcList, lossless, sweep, cleanFixed));
  const json = sarg('json');
  if (json) fs.writeFileSync(json, JSON.stringify(out, null, 1));
  for (const [, n] of nets) n.dispose();
}

/** A line chart (hand-written SVG, no dependencies): accuracy vs ADC bits per supernet, ±1 std bars, clean accuracy dashed. */
function sweepSvg(title: string, bits: number[], lossless: number, sweep: Record<string, { mean: number; std: number }[]>, clean: Record<string, number>): string {
  const W = 640, H = 380, L = 60, R = 170, T = 40, B = 50;
  const xs = [...new Set(bits)].sort((a, b) => a - b);
  const x = (b: number) => L + ((xs.indexOf(b) + 0.5) / xs.length) * (W - L - R);
  const y = (a: number) => T + (1 - a) * (H - T - B);
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`, `<rect width="${W}" height="${H}" fill="white"/>`, `<text x="${W / 2}" y="20" text-anchor="middle" font-size="12">${esc(title)}</text>`];
  for (let a = 0; a <= 1.0001; a += 0.2) parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(a)}" y2="${y(a)}" stroke="#ddd"/><text x="${L - 6}" y="${y(a) + 4}" text-anchor="end">${Math.round(a * 100)}</text>`);
  for (const b of xs) parts.push(`<text x="${x(b)}" y="${H - B + 18}" text-anchor="middle">${b}${b === lossless ? '*' : ''}</text>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">ADC bits (* = lossless for the tile)</text>`, `<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">accuracy %</text>`);
  Object.entries(sweep).forEach(([name, pts], i) => {
    const c = colors[i % colors.length];
    const order = bits.map((b, k) => [b, pts[k]] as const).sort((p, q) => p[0] - q[0]);
    parts.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${order.map(([b, p]) => `${x(b)},${y(p.mean)}`).join(' ')}"/>`);
    for (const [b, p] of order) parts.push(`<line x1="${x(b)}" x2="${x(b)}" y1="${y(Math.min(1, p.mean + p.std))}" y2="${y(Math.max(0, p.mean - p.std))}" stroke="${c}"/><circle cx="${x(b)}" cy="${y(p.mean)}" r="3" fill="${c}"/>`);
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(clean[name])}" y2="${y(clean[name])}" stroke="${c}" stroke-dasharray="5 4"/>`);
    parts.push(`<line x1="${W - R + 12}" x2="${W - R + 32}" y1="${T + 20 * i + 10}" y2="${T + 20 * i + 10}" stroke="${c}" stroke-width="2"/><text x="${W - R + 36}" y="${T + 20 * i + 14}">${esc(name)}</text>`);
  });
  parts.push(`<text x="${W - R + 12}" y="${T + 20 * Object.keys(sweep).length + 14}" fill="#555">dashed: clean accuracy</text>`, '</svg>');
  return parts.join('\n');
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
