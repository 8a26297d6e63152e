import { ConfigError, Rng, conv2d } from '@cosearch/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyHardwareCandidate, evaluate, getHardwarePreset, hardwareSpace, validateNetwork } from './index';

const hybrid = validateNetwork(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'experiments', 'networks', 'hybrid-cnn-vit-cifar.json'), 'utf8'))).layers;

describe('hardwareSpace', () => {
  it('has hardware and system phases and masks V/f pairs above f_max(V)', () => {
    const space = hardwareSpace();
    expect(space.phases()).toEqual(['hardware', 'system']);
    const mask = space.feasibleMask({ 'sys.voltageV': 0.6 }, 'sys.frequencyHz');
    // f_max(0.6 V) = 481 MHz on the edge preset: 200 and 400 MHz allowed.
    expect(mask).toEqual([true, true, false, false, false]);
    expect(space.violations({ 'sys.voltageV': 0.6, 'sys.frequencyHz': 1e9 })[0]).toMatch(/vf-infeasible/);
  });

  it('separate DVFS domains get their own V/f decisions and constraints', () => {
    const space = hardwareSpace({ dvfsDomains: 'separate' });
    expect(space.names()).toEqual(expect.arrayContaining(['sys.npuVoltageV', 'sys.cimFrequencyHz', 'sys.nocVoltageV']));
    expect(space.has('sys.voltageV')).toBe(false);
    expect(space.isFeasible({ 'sys.cimVoltageV': 0.6, 'sys.cimFrequencyHz': 600e6 })).toBe(false);
    const hw = applyHardwareCandidate(getHardwarePreset('edge-npu-cim-v1'), { 'sys.cimVoltageV': 0.7, 'sys.cimFrequencyHz': 400e6 });
    expect(hw.dvfs.cim).toEqual({ voltageV: 0.7, frequencyHz: 400e6 });
    expect(hw.dvfs.npu).toEqual(getHardwarePreset('edge-npu-cim-v1').dvfs.npu);
  });

  it('rejects a GLB too small for the array and an ADC above the lossless resolution', () => {
    const space = hardwareSpace();
    expect(space.isFeasible({ 'hw.glbKiB': 32, 'hw.peRows': 32, 'hw.peCols': 32 })).toBe(false);
    expect(space.isFeasible({ 'hw.glbKiB': 64, 'hw.peRows': 32, 'hw.peCols': 32 })).toBe(true);
    // 64 rows, 1-bit DAC, 2-bit cells → 6 + 1 + 2 − 1 = 8 lossless bits.
    expect(space.isFeasible({ 'hw.adcBits': 8, 'hw.xbarSize': 64 })).toBe(true);
    expect(hardwareSpace({ adcBits: [9], xbarSize: [64] }).isFeasible({ 'hw.adcBits': 9, 'hw.xbarSize': 64 })).toBe(false);
  });

  it('cell bits are an opt-in decision: the lossless bound and the crossbar count follow the chosen cell', () => {
    expect(hardwareSpace().decisions.map((x) => x.name)).not.toContain('hw.cellBits');
    const space = hardwareSpace({ cellBits: [1, 3], adcBits: [9], xbarSize: [64] });
    // 64 rows, 1-bit DAC: 1-bit cells → 6 + 1 + 1 − 1 = 7 lossless bits (9 too many); 3-bit cells → 6 + 1 + 3 = 10
    expect(space.isFeasible({ 'hw.adcBits': 9, 'hw.xbarSize': 64, 'hw.cellBits': 1 })).toBe(false);
    expect(space.isFeasible({ 'hw.adcBits': 9, 'hw.xbarSize': 64, 'hw.cellBits': 3 })).toBe(true);
    const base = getHardwarePreset('edge-npu-cim-v1');
    const cells = (b: number) => applyHardwareCandidate(base, { 'hw.cellBits': b, 'sys.scheme': 'cim-only' });
    expect(cells(3).cim!.cellBits).toBe(3);
    const net = [conv2d({ name: 'c', inChannels: 16, outChannels: 64, inHeight: 8, inWidth: 8, kernel: 3, bits: 8 })];
    // 8-bit weights: 8 slices of 1-bit cells vs 3 of 3-bit cells → more columns, crossbars and area
    expect(evaluate(net, cells(1)).perLayer[0].crossbars).toBeGreaterThan(evaluate(net, cells(3)).perLayer[0].crossbars);
  });

  it('sampled candidates apply, validate and evaluate to finite metrics; same candidate → same result', () => {
    const space = hardwareSpace({ blocks: ['attn1', 'conv1'], maxAreaMm2: 20 });
    const rng = new Rng(7);
    const base = getHardwarePreset('edge-npu-cim-v1');
    for (let i = 0; i < 20; i++) {
      const cand = space.sample(rng);
      const hw = applyHardwareCandidate(base, cand);
      const r = evaluate(hybrid, hw);
      expect(Number.isFinite(r.latencyS) && Number.isFinite(r.energyJ)).toBe(true);
      expect(r.areaMm2).toBeLessThanOrEqual(20);
      expect(evaluate(hybrid, applyHardwareCandidate(base, cand))).toEqual(r);
    }
  });

  it('the mapping decision offers every template with a mapping for each layer kind, and auto', () => {
    const d = hardwareSpace().decisions.find((x) => x.name === 'hw.mapping')!;
    expect(d.choices).toEqual(['weight-stationary-v1', 'output-stationary-v1', 'row-stationary-v1', 'input-stationary-v1', 'systolic-ws-v1', 'auto']);
    expect(hardwareSpace().has('hw.dataflow')).toBe(false);
    const hw = applyHardwareCandidate(getHardwarePreset('edge-npu-cim-v1'), { 'hw.mapping': 'auto' });
    expect(hw.npu!.mapping).toBe('auto');
    expect(evaluate(hybrid, hw).perLayer.filter((r) => r.engine === 'npu').every((r) => r.mapping!.chosenBy === 'mapper')).toBe(true);
  });

  it('applyHardwareCandidate writes each decision and leaves the base untouched', () => {
    const base = getHardwarePreset('edge-npu-cim-v1');
    const before = JSON.stringify(base);
    const hw = applyHardwareCandidate(base, {
      'hw.dataflow': 'row-stationary-v1', 'hw.peRows': 32, 'hw.glbKiB': 128, 'hw.cimTiles': 256, 'hw.xbarSize': 256,
      'hw.adcBits': 6, 'sys.scheme': 'per-layer', 'sys.voltageV': 0.7, 'sys.frequencyHz': 600e6, 'sys.nocTopology': 'torus',
      'sys.nocLinkBits': 64, 'engine.attn1': 'npu', 'network.depth': 3,
    });
    expect(hw.npu!.dataflow).toBe('row-stationary-v1');
    // Legacy decision: a dataflow also selects its mapping template.
    expect(hw.npu!.mapping).toBe('row-stationary-v1');
    expect(hw.npu!.peRows).toBe(32);
    expect(hw.npu!.glbBytes).toBe(128 * 1024);
    expect(hw.cim!.rows).toBe(256);
    expect(hw.cim!.cols).toBe(256);
    expect(hw.dvfs.cim).toEqual({ voltageV: 0.7, frequencyHz: 600e6 });
    expect(hw.noc.topology).toBe('torus');
    expect(hw.noc.flitBits).toBe(64);
    expect(hw.mapping.assignment).toEqual({ attn1: 'npu' });
    expect(base.npu!.peRows).toBe(16);
    expect(JSON.stringify(base)).toBe(before);
    expect(() => applyHardwareCandidate(base, { 'sys.voltageV': 0.6, 'sys.frequencyHz': 1e9 })).toThrow(ConfigError);
  });
});
