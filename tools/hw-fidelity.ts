/**
 * Prints the NPU model's figures against the Eyeriss references (hardware README, "What the tests
 * check"): the Timeloop Eyeriss-like layers (cycles under the mapping Timeloop found, compute-bound;
 * pJ/MAC of the mapper's energy-best mapping on the preset) and the Eyeriss chip on AlexNet
 * CONV1–5 at batch 4 (frames/s, power, active PEs per layer) under several `npu.mapping` choices.
 * Run: node --conditions=@cosearch/source --import tsx tools/hw-fidelity.ts
 */
import { evaluate, getHardwarePreset, type HardwareConfig, type MapperObjective } from '@cosearch/hardware';
import { TIMELOOP_RS, alexnetConv, eyerissChip, timeloopLayer, timeloopReference } from '../packages/hardware/src/__fixtures__/eyeriss';

const pct = (v: number, ref: number) => `${v >= ref ? '+' : ''}${((100 * (v - ref)) / ref).toFixed(0)} %`;
const eyeriss = (edit: (h: HardwareConfig) => void): HardwareConfig => {
  const hw = getHardwarePreset('eyeriss-65nm-v1');
  edit(hw);
  return hw;
};

console.log('Timeloop Eyeriss-like layers (eyeriss-65nm-v1)');
console.log('layer                  cycles (Timeloop mapping, compute-bound)  Timeloop   pJ/MAC (auto, energy)  Timeloop  mapping chosen');
for (const r of timeloopReference.layers) {
  const l = timeloopLayer(r);
  const c = evaluate([l], eyeriss((h) => {
    h.npu!.mapping = TIMELOOP_RS;
    h.npu!.distribution.bandwidthBitsPerCycle = 1e12;
    h.npu!.distribution.hopLatencyCycles = 0;
    h.dram.bandwidthBytesPerS = 1e18;
  })).perLayer[0];
  const e = evaluate([l], eyeriss((h) => { h.npu!.mapping = 'auto'; h.npu!.mapperObjective = 'energy'; })).perLayer[0];
  const pJ = (e.energyJ / e.macs) * 1e12;
  console.log(`${r.name.padEnd(22)} ${String(c.cycles).padStart(10)} (${pct(c.cycles, r.cycles)})${' '.repeat(24)}${String(r.cycles).padStart(9)}   ${pJ.toFixed(2).padStart(6)} (${pct(pJ, r.pJPerMac)})${' '.repeat(8)}${r.pJPerMac.toFixed(2).padStart(8)}  ${e.mapping!.name}`);
}

const b = eyerissChip.batch;
const layers = alexnetConv();
console.log(`\nEyeriss chip, AlexNet CONV1–5, batch ${b}, ${eyerissChip.bits}-bit: ${eyerissChip.framesPerS} frames/s at ${eyerissChip.powerW * 1e3} mW (JSSC 2017)`);
console.log('npu.mapping              objective  frames/s         power            active PEs conv1..conv5');
const choices: [string, MapperObjective][] = [['row-stationary-v1', 'edp'], ['row-stationary-sets-v1', 'edp'], ['maestro-yrp-rs-v1', 'edp'], ['weight-stationary-v1', 'edp'], ['auto', 'latency'], ['auto', 'edp'], ['auto', 'energy']];
for (const [m, objective] of choices) {
  let r;
  try {
    r = evaluate(layers, eyeriss((h) => { h.npu!.mapping = m; h.npu!.mapperObjective = objective; }));
  } catch (e) {
    console.log(`${m.padEnd(24)} ${objective.padEnd(9)}  ${(e as Error).message}`);
    continue;
  }
  const fps = b / r.latencyS;
  console.log(`${m.padEnd(24)} ${objective.padEnd(9)}  ${fps.toFixed(1).padStart(5)} (${pct(fps, eyerissChip.framesPerS).padStart(6)})  ${(r.powerW * 1e3).toFixed(0).padStart(4)} mW (${pct(r.powerW, eyerissChip.powerW).padStart(6)})  ${r.perLayer.map((x) => x.activeUnits.toFixed(0)).join(' / ')}`);
}
