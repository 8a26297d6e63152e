import { ConfigError, NotFoundError } from '@cosearch/core';
import { getHardwarePreset, hardwarePresets, loadHardwareConfig, validateHardwareConfig, validateNetwork } from './index';

const raw = () => JSON.parse(JSON.stringify(getHardwarePreset('edge-npu-cim-v1'))) as Record<string, any>;

describe('validateHardwareConfig', () => {
  it('accepts every preset as JSON round trip', () => {
    for (const name of hardwarePresets.names()) {
      const cfg = getHardwarePreset(name);
      expect(validateHardwareConfig(JSON.parse(JSON.stringify(cfg)))).toEqual(cfg);
    }
  });

  it.each([
    [(o: any) => { o.npu.peRows = 0; }, /invalid npu\.peRows: got 0, expected an integer >= 1/],
    [(o: any) => { o.npu.dataflow = 'magic'; }, /invalid npu\.dataflow: got "magic", expected one of .*row-stationary-v1/],
    [(o: any) => { o.cim.adcBits = 2.5; }, /invalid cim\.adcBits/],
    [(o: any) => { o.cim.gMaxSiemens = 1e-9; }, /invalid cim\.gMaxSiemens.*> gMinSiemens/],
    [(o: any) => { o.noc.topology = 'star'; }, /invalid noc\.topology: got "star", expected one of "mesh", "torus", "ring"/],
    [(o: any) => { o.noc.placement.cim = [4, 0]; }, /invalid noc\.placement\.cim.*0\.\.3/],
    [(o: any) => { o.mapping.scheme = 'fastest'; }, /invalid mapping\.scheme/],
    [(o: any) => { o.mapping.assignment = { attn1: 'gpu' }; }, /invalid mapping\.assignment\.attn1: got "gpu"/],
    [(o: any) => { o.npu.typo = 1; }, /invalid npu\.typo: got 1, expected a known field/],
    [(o: any) => { delete o.npu; delete o.cim; }, /an npu section, a cim section, or both/],
    [(o: any) => { delete o.cim; }, /invalid mapping\.scheme: got "cim-static", expected "npu-only"/],
    [(o: any) => { o.npu.mapping = 'magic'; }, /invalid npu\.mapping: got "magic", expected one of "auto", .*"maestro-kcp-ws-v1"/],
    [(o: any) => { o.npu.mapperObjective = 'speed'; }, /invalid npu\.mapperObjective: got "speed", expected one of "latency", "energy", "edp"/],
    [(o: any) => { o.npu.mapping = 'SpatialMap(1,1) Q; TemporalMap(4,4) C'; }, /npu\.mapping directive 1/],
    [(o: any) => { o.npu.mapping = 'SpatialMap(1,1) K; Cluster(300, P); SpatialMap(1,1) C'; }, /invalid npu\.mapping: got "SpatialMap.*Cluster\(300\) above the 256 PEs/],
    [(o: any) => { o.npu.distribution.hops = -1; }, /invalid npu\.distribution\.hops: got -1/],
    [(o: any) => { o.npu.distribution.bandwidthBitsPerCycle = 0; }, /invalid npu\.distribution\.bandwidthBitsPerCycle: got 0/],
    [(o: any) => { o.npu.glbBandwidthBitsPerCycle = 64; }, /invalid npu\.glbBandwidthBitsPerCycle: got 64, expected absent when npu\.distribution\.bandwidthBitsPerCycle is given/],
  ])('names the wrong field, its value and what is allowed (%#)', (edit, message) => {
    const o = raw();
    edit(o);
    expect(() => validateHardwareConfig(o)).toThrow(ConfigError);
    expect(() => validateHardwareConfig(o)).toThrow(message);
  });

  it('old configs load: npu.glbBandwidthBitsPerCycle is the distribution bandwidth, the mapping is the dataflow\'s template', () => {
    const o = raw();
    o.npu.glbBandwidthBitsPerCycle = 256;
    delete o.npu.distribution;
    delete o.npu.mapping;
    delete o.npu.mapperObjective;
    const hw = validateHardwareConfig(o);
    expect(hw.npu!.distribution).toEqual({ bandwidthBitsPerCycle: 256, hops: 1, hopLatencyCycles: 1, multicast: true, spatialReduction: true });
    expect(hw.npu!.mapping).toBe('weight-stationary-v1');
    expect(hw.npu!.mapperObjective).toBe('edp');
  });

  it('"extends" starts from a preset and deep-merges the rest; errors still name the field', () => {
    const hw = loadHardwareConfig({ extends: 'edge-npu-cim-v1', name: 'mine', cim: { adcBits: 6 }, noc: { placement: { cim: [3, 3] } } });
    const preset = getHardwarePreset('edge-npu-cim-v1');
    expect(hw.cim!.adcBits).toBe(6);
    expect(hw.cim!.rows).toBe(preset.cim!.rows);
    expect(hw.noc.placement).toEqual({ ...preset.noc.placement, cim: [3, 3] });
    expect(hw.name).toBe('mine');
    expect(() => loadHardwareConfig({ extends: 'edge-npu-cim-v1', npu: { peRows: -1 } })).toThrow(/invalid npu\.peRows: got -1/);
    expect(() => loadHardwareConfig({ extends: 'nope' })).toThrow(/unknown hardware preset "nope"/);
    expect(() => validateHardwareConfig({ extends: 'edge-npu-cim-v1' })).toThrow(/invalid extends/);
  });

  it('unknown presets list the known ones', () => {
    expect(() => getHardwarePreset('nope')).toThrow(NotFoundError);
    expect(() => getHardwarePreset('nope')).toThrow(/edge-npu-cim-v1/);
  });

  it('network files: layer errors name the layer field', () => {
    expect(() => validateNetwork({ name: 'x', layers: [{ kind: 'dense', name: 'fc', batch: 1, inFeatures: 0, outFeatures: 3 }] })).toThrow(/layers\[0\]\.inFeatures/);
    expect(validateNetwork([{ kind: 'dense', name: 'fc', batch: 1, inFeatures: 4, outFeatures: 3 }]).layers).toHaveLength(1);
  });
});
