import { evaluate, getHardwarePreset } from './index';
import { TIMELOOP_RS, alexnetConv, eyerissChip as chip, timeloopLayer as layerOf, timeloopReference as ref } from './__fixtures__/eyeriss';

/**
 * Timeloop Eyeriss-like reference outputs (REFERENCES §4). Tolerances:
 * - cycles: exact (0.1 %) under the mapping Timeloop's mapper found, compute-bound as Timeloop's
 *   example reports them (no distribution-network or DRAM limit, no hop latency);
 * - energy per MAC: ±25 % for the mapper's energy-best mapping on the Eyeriss preset (Timeloop's
 *   mapper searches too). Our RF and inter-PE energies come from the Horowitz capacity fit and
 *   Eyeriss normalised costs instead of Accelergy's per-scratchpad table.
 */
describe('Timeloop Eyeriss-like reference', () => {
  for (const r of ref.layers) {
    it(`${r.name}: cycles exact under the mapping Timeloop found`, () => {
      const hw = getHardwarePreset('eyeriss-65nm-v1');
      hw.npu!.mapping = TIMELOOP_RS;
      hw.npu!.distribution.bandwidthBitsPerCycle = 1e12;
      hw.npu!.distribution.hopLatencyCycles = 0;
      hw.dram.bandwidthBytesPerS = 1e18;
      const row = evaluate([layerOf(r)], hw).perLayer[0];
      expect(row.macs).toBe(r.macs);
      expect(row.bound).toBe('compute');
      expect(Math.abs(row.cycles - r.cycles) / r.cycles).toBeLessThan(1e-3);
    });
  }

  const energyWithin = (r: (typeof ref.layers)[number]) => {
    const hw = getHardwarePreset('eyeriss-65nm-v1');
    hw.npu!.mapping = 'auto';
    hw.npu!.mapperObjective = 'energy';
    const row = evaluate([layerOf(r)], hw).perLayer[0];
    const pJ = (row.energyJ / row.macs) * 1e12;
    expect(Math.abs(pJ - r.pJPerMac) / r.pJPerMac).toBeLessThan(0.25);
  };
  // 5.40 pJ/MAC (−1 %) and 2.79 (−7 %) when this was written (`tools/hw-fidelity.ts` prints them).
  for (const r of ref.layers) it(`${r.name}: energy per MAC of the mapper's energy-best mapping within 25 %`, () => energyWithin(r));
});

/**
 * Eyeriss chip, AlexNet CONV1–5 (grouped conv2/4/5), batch 4, 16-bit: 35 frames/s at 278 mW
 * (JSSC 2017). The chip's row-stationary mapping puts R × Y′ on the array: 5 × 27 = 135 active
 * PEs on CONV2 (issue 13, from the chip's per-layer table).
 */
describe('Eyeriss chip: AlexNet CONV layers', () => {
  const b = chip.batch;
  const layers = alexnetConv();

  it('MACs exact; row-stationary R × Y′ uses the chip\'s 135 PEs on CONV2', () => {
    const r = evaluate(layers, getHardwarePreset('eyeriss-65nm-v1'));
    // 666 M MACs per image (AlexNet CONV layers).
    expect(Math.abs(r.macs / b - 665.8e6) / 665.8e6).toBeLessThan(0.005);
    expect(r.perLayer[1].mapping!.name).toBe('row-stationary-v1');
    expect(r.perLayer[1].activeUnits).toBe(135);
    expect(Math.abs(r.powerW - chip.powerW) / chip.powerW).toBeLessThan(0.3);
  });

  // Known miss: 18.0 frames/s (−49 %) with the preset's row-stationary-v1, which maps one R × Y′ set
  // (39 PEs on CONV3–5, where the chip replicates the set over 4 filter groups to use 156).
  // row-stationary-sets-v1 (the replicated sets) does not fit CONV1 in the 128 KiB GLB at 16 bit;
  // "auto" reaches 40.5–46.5 frames/s (+16 to +33 %) with 144–165 active PEs, while the chip loses
  // time to its 64-bit buses and off-chip link, which the preset does not describe.
  it.failing('frames/s within 15 % of the measurement (known miss)', () => {
    const r = evaluate(layers, getHardwarePreset('eyeriss-65nm-v1'));
    expect(Math.abs(b / r.latencyS - chip.framesPerS) / chip.framesPerS).toBeLessThan(0.15);
  });
});
