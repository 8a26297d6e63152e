/**
 * @cosearch/hardware mapper benchmark: CPU time per layer of the mapper (`npu.mapping: "auto"`),
 * cold (searched from scratch) and memoised (same layer shape and engine parameters again), and
 * of one fixed-mapping analysis, over the distinct MAC-layer shapes of example networks.
 * Also prints how much of each space the bound pruned.
 * Run: npm run bench -- hardware-mapper
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { canonicalShape, findMapping, getHardwarePreset, validateNetwork, type HardwareConfig, type MapperObjective } from '@cosearch/hardware';
import type { LayerSpec } from '@cosearch/core';

const root = join(__dirname, '..', '..');
const net = (name: string): LayerSpec[] =>
  validateNetwork(JSON.parse(readFileSync(join(root, 'experiments', 'networks', `${name}.json`), 'utf8'))).layers;

/** One MAC layer per distinct canonical shape (what the memo sees), in network order. */
function distinct(layers: LayerSpec[]): LayerSpec[] {
  const seen = new Set<string>();
  return layers.filter((l) => {
    const s = canonicalShape(l);
    if (s === null) return false;
    const k = JSON.stringify(s);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const cpuUs = (fn: () => void): number => {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return c.user + c.system;
};

const configs: [string, HardwareConfig][] = [
  ['eyeriss-65nm-v1', getHardwarePreset('eyeriss-65nm-v1')],
  ['edge-npu-cim-v1', getHardwarePreset('edge-npu-cim-v1')],
];
const networks: [string, LayerSpec[]][] = [['resnet50', net('resnet50')], ['mobilenetv2', net('mobilenetv2')], ['hybrid-cnn-vit', net('hybrid-cnn-vit-cifar')]];

// Warm-up: JIT the engine and the mapper on a layer not measured below.
for (let i = 0; i < 3; i++) findMapping(net('lenet5')[0], configs[0][1], { memo: false });

console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (2 cores, shared); CPU ms per layer, distinct MAC-layer shapes of each network`);
console.log('network          config            objective  layers  cold ms/layer (median, max)  memo µs/layer  space  analysed  pruned  infeasible');
for (const [nn, layers] of networks) {
  const ls = distinct(layers);
  for (const [cn, hw] of configs) {
    for (const objective of ['latency', 'edp', 'energy'] as MapperObjective[]) {
      const cold: number[] = [];
      let memo = 0, space = 0, analysed = 0, pruned = 0, infeasible = 0;
      for (const l of ls) {
        let r = findMapping(l, hw, { objective, memo: false });
        cold.push(cpuUs(() => { r = findMapping(l, hw, { objective, memo: false }); }) / 1000);
        findMapping(l, hw, { objective });
        memo += cpuUs(() => { for (let k = 0; k < 100; k++) findMapping(l, hw, { objective }); }) / 100;
        space += r.spaceSize; analysed += r.analysed; pruned += r.pruned; infeasible += r.infeasible;
      }
      cold.sort((a, b) => a - b);
      const med = cold[Math.floor(cold.length / 2)];
      console.log(
        `${nn.padEnd(16)} ${cn.padEnd(17)} ${objective.padEnd(9)} ${String(ls.length).padStart(7)}  ${med.toFixed(2).padStart(12)}, ${cold[cold.length - 1].toFixed(2).padStart(8)}        ` +
          `${(memo / ls.length).toFixed(1).padStart(12)}  ${(space / ls.length).toFixed(0).padStart(5)}  ${(analysed / ls.length).toFixed(0).padStart(8)}  ${(pruned / ls.length).toFixed(0).padStart(6)}  ${(infeasible / ls.length).toFixed(0).padStart(10)}`,
      );
    }
  }
}
