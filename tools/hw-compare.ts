/**
 * The README's NPU-only / CIM-only / heterogeneous table: every example network on a hardware
 * preset (default edge-npu-cim-v1), as markdown.
 * Run: node --conditions=@cosearch/source --import tsx tools/hw-compare.ts [preset] [--pipeline]
 * (per network: npx cosearch hw --network experiments/networks/<name>.json --hardware <preset> --compare)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareSchemes, getHardwarePreset, validateNetwork } from '@cosearch/hardware';

const args = process.argv.slice(2);
const presetName = args.find((a) => !a.startsWith('--')) ?? 'edge-npu-cim-v1';
const pipeline = args.includes('--pipeline');
const nets = ['lenet5', 'mobilenetv2', 'hybrid-cnn-vit-cifar', 'vit-tiny-cifar'];
/** Value in SI with the prefix that keeps 1–999 (s → ms/µs, J → mJ/µJ). */
const fmt = (v: number, unit: 's' | 'J'): string => {
  const [f, p] = ([[1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n']] as [number, string][]).find(([f]) => v >= f) ?? [1e-9, 'n'];
  return `${(v / f).toPrecision(3)} ${p}${unit}`;
};
const pct = (a: number, b: number) => `${a <= b ? '' : '+'}${(100 * (a / b - 1)).toFixed(0)} %`;

const base = getHardwarePreset(presetName);
base.mapping.pipeline = pipeline;
console.log(`| network | scheme | latency | vs NPU-only | vs CIM-only | energy | vs NPU-only | vs CIM-only | ${pipeline ? 'interval | ' : ''}layers NPU/CIM |`);
console.log(`|---|---|---:|---:|---:|---:|---:|---:|${pipeline ? '---:|' : ''}---:|`);
for (const n of nets) {
  const layers = validateNetwork(JSON.parse(readFileSync(join(__dirname, '..', 'experiments', 'networks', `${n}.json`), 'utf8'))).layers;
  const rows = compareSchemes(layers, base);
  const npu = rows.find((r) => r.scheme === 'npu-only')!;
  const cim = rows.find((r) => r.scheme === 'cim-only')!;
  for (const r of rows) {
    console.log(`| ${n} | ${r.scheme} | ${fmt(r.latencyS, 's')} | ${pct(r.latencyS, npu.latencyS)} | ${pct(r.latencyS, cim.latencyS)} | ` +
      `${fmt(r.energyJ, 'J')} | ${pct(r.energyJ, npu.energyJ)} | ${pct(r.energyJ, cim.energyJ)} | ${pipeline ? fmt(r.intervalS, 's') + ' | ' : ''}${r.layersOnNpu}/${r.layersOnCim} |`);
  }
  const best = rows.find((r) => r.assignment);
  if (best?.assignment) console.error(`${n} per-block-best: ${Object.entries(best.assignment).map(([b, e]) => `${b}=${e}`).join(' ')}`);
}
