/**
 * @cosearch/hardware mapping engine (issue 13): CPU time of `analyseMapping` for one fixed
 * mapping template over the first 50 MAC layers of real networks (ResNet-50, MobileNetV2,
 * hybrid CNN/ViT), on a 12 × 14 array with a finite NoC and GLB (the edge cases of a
 * non-power-of-two array are the slow path). Warm = the same mapping objects; new object = a
 * fresh mapping object with the same directives (found by content); cold = a PE count never seen
 * before on every network pass (every layer compiles and analyses every level again).
 * Target (issue 13): a fixed mapping under 1 ms per 50-layer network.
 * Run: npm run bench -- hardware-mappings
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import {
  analyseMapping, mappingLayerFromSpec, mappingTemplates, validateNetwork, type Mapping, type MappingHardware, type MappingLayer,
} from '@cosearch/hardware';

const root = join(__dirname, '..', '..');
const net = (name: string): MappingLayer[] =>
  validateNetwork(JSON.parse(readFileSync(join(root, 'experiments', 'networks', `${name}.json`), 'utf8'))).layers
    .map(mappingLayerFromSpec).filter((l): l is MappingLayer => l !== null).slice(0, 50);

const hw: MappingHardware = {
  numPes: 168, nocBandwidthElemsPerCycle: 16, nocHopLatencyCycles: 1, multicast: true, spatialReduction: true,
  offchipBandwidthElemsPerCycle: 8, l1SizeElems: 512, l2SizeElems: 108 * 1024, doubleBuffering: true, simdLanes: 1,
};

/** Lowest CPU µs per call over 5 windows of ≈60 ms, after a 200 ms warm-up (load on this machine varies). */
function cpuMicros(fn: () => void): number {
  const end = Date.now() + 200;
  while (Date.now() < end) fn();
  let best = Infinity;
  for (let w = 0; w < 5; w++) {
    const c0 = process.cpuUsage();
    const t0 = Date.now();
    let n = 0;
    while (Date.now() - t0 < 60) {
      fn();
      n++;
    }
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / n);
  }
  return best;
}

let pass = 0;
console.log(`load average ${loadavg()[0].toFixed(1)} on this machine; CPU µs per 50-layer network (per layer)`);
for (const name of ['resnet50', 'mobilenetv2', 'hybrid-cnn-vit-cifar']) {
  const layers = net(name);
  console.log(`${name}: ${layers.length} MAC layers`);
  for (const t of mappingTemplates) {
    const usable = layers.filter((l) => t.appliesTo.includes(l.kind));
    if (usable.length < layers.length / 2) continue;
    const maps = usable.map((l) => t.build(l.kind, { rows: 12, cols: 14 }));
    const warm = cpuMicros(() => usable.forEach((l, i) => analyseMapping(l, maps[i], hw)));
    const fresh = cpuMicros(() => usable.forEach((l, i) => analyseMapping(l, { ...maps[i] } as Mapping, hw)));
    const cold = cpuMicros(() => {
      const h = { ...hw, numPes: 168 + (pass++ % 1_000_000) };
      usable.forEach((l, i) => analyseMapping(l, maps[i], h));
    });
    const per = usable.length;
    const f = (x: number): string => `${x.toFixed(0).padStart(5)} µs (${(x / per).toFixed(1)}/layer)`;
    console.log(`  ${t.name.padEnd(22)} ${per} layers  warm ${f(warm)}  new object ${f(fresh)}  cold ${f(cold)}`);
  }
}
