/**
 * CPU time of one `lut-v1` evaluation against `analytical-v1` on the same network and fallback
 * config, in the same process: warm (same config object: memo hits) and cold (a fresh copy of the
 * table each call: no memoised cost, the lookup index rebuilt). Process CPU time / calls, best of
 * 5 windows; the machine is shared, so figures carry noise.
 *
 *   node --conditions=@cosearch/source --import tsx tools/lut/speed.ts
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { resolveHardwareModel } from '@cosearch/core';
import { evaluate, evaluateLut, validateNetwork, type LutConfig } from '@cosearch/hardware';

const file = 'experiments/hardware/lut-wasm.json';
const cfg = resolveHardwareModel(JSON.parse(readFileSync(file, 'utf8')), { baseDir: dirname(file) }).config as LutConfig;
const net = validateNetwork(JSON.parse(readFileSync('experiments/hardware/lut-wasm/supernet-mnist-largest-fp32.json', 'utf8')));

function cpuUs(f: () => void, windowMs = 200): number {
  let best = Infinity;
  for (let w = 0; w < 5; w++) {
    const c0 = process.cpuUsage();
    const t0 = Date.now();
    let n = 0;
    while (Date.now() - t0 < windowMs) {
      f();
      n++;
    }
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / n);
  }
  return best;
}

cpuUs(() => evaluateLut(net.layers, cfg), 300); // warm-up
let calls = 1;
const rows: [string, number][] = [
  ['analytical-v1 warm (fallback config)', cpuUs(() => evaluate(net.layers, cfg.fallback))],
  ['analytical-v1 cold (new NPU parameters per call)', cpuUs(() => evaluate(net.layers, { ...cfg.fallback, npu: { ...cfg.fallback.npu!, glbBytes: cfg.fallback.npu!.glbBytes + 64 * (calls++ % 100000) } }))],
  ['lut-v1 warm', cpuUs(() => evaluateLut(net.layers, cfg))],
  ['lut-v1 cold (new table object per call)', cpuUs(() => evaluateLut(net.layers, { ...cfg, table: { ...cfg.table } }))],
];
console.log(`${net.name}: ${net.layers.length} layers, ${cfg.table.rows.length} table rows`);
for (const [name, us] of rows) console.log(`${name.padEnd(50)} ${us.toFixed(1).padStart(8)} µs CPU per network`);
