/**
 * How well the lut-v1 rules predict a shape the table does not hold: leave-one-out over a table
 * (each row removed in turn, its latency predicted from the others by `nearest` and
 * `interpolate`, compared with its measured latency). Prints the error per rule and kind.
 *
 *   node --conditions=@cosearch/source --import tsx tools/lut/holdout.ts [TABLE.csv]   (default: experiments/hardware/lut-wasm/table.csv)
 */
import type { LayerSpec } from '@cosearch/core';
import { LUT_SHAPE_FIELDS, LutIndex, loadLutTable, type LutRule } from '@cosearch/hardware';

const file = process.argv[2] ?? 'experiments/hardware/lut-wasm/table.csv';
const table = loadLutTable(file);
const rules: LutRule[] = ['nearest', 'interpolate'];
const errors = new Map<string, number[]>();
let skipped = 0;
for (const held of table.rows) {
  const rest = { file, rows: table.rows.filter((r) => r !== held) };
  const index = new LutIndex(rest);
  const layer = { kind: held.kind, name: `row${held.row}`, inputBits: held.bits, weightBits: held.bits } as Record<string, unknown>;
  LUT_SHAPE_FIELDS[held.kind].forEach((f, i) => (layer[f] = held.shape[i]));
  for (const rule of rules) {
    const est = index.lookup(layer as unknown as LayerSpec, rule);
    if (est.latencyS === undefined) {
      skipped++;
      continue;
    }
    const e = est.latencyS / held.latencyS - 1;
    for (const key of [`${rule}|all`, `${rule}|${held.kind}`]) errors.set(key, [...(errors.get(key) ?? []), e]);
  }
}
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
console.log(`leave-one-out on ${file} (${table.rows.length} rows): predicted / measured latency − 1`);
console.log(`${'rule'.padEnd(12)} ${'kind'.padEnd(10)} ${'rows'.padStart(4)} ${'median |err|'.padStart(13)} ${'90th |err|'.padStart(11)} ${'within ±25 %'.padStart(13)} ${'median err'.padStart(11)}`);
for (const [key, es] of [...errors.entries()].sort()) {
  const [rule, kind] = key.split('|');
  const abs = es.map(Math.abs);
  const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
  console.log(`${rule.padEnd(12)} ${kind.padEnd(10)} ${String(es.length).padStart(4)} ${pct(q(abs, 0.5)).padStart(13)} ${pct(q(abs, 0.9)).padStart(11)} ${`${abs.filter((x) => x <= 0.25).length}/${es.length}`.padStart(13)} ${pct(q(es, 0.5)).padStart(11)}`);
}
if (skipped) console.log(`(${skipped} predictions fell back to the analytical model: no other row of the same kind and bits)`);
