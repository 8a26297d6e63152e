import { ConfigError } from '@cosearch/core';
import { analyseMapping } from './analyse';
import { parseDirectives } from './parse';
import { getMappingTemplate } from './templates';
import type { Mapping, MappingHardware, MappingLayer } from './types';
import { validateMapping } from './validate';

const hw: MappingHardware = {
  numPes: 128, nocBandwidthElemsPerCycle: 16, nocHopLatencyCycles: 1, multicast: true, spatialReduction: true,
  offchipBandwidthElemsPerCycle: 8, l1SizeElems: 64, l2SizeElems: 4096, doubleBuffering: true, simdLanes: 1,
};
const layer: MappingLayer = { name: 'L1', kind: 'conv', dims: { N: 1, K: 64, C: 64, R: 3, S: 3, Y: 58, X: 58 }, strideY: 1, strideX: 1 };
const m = (text: string): Mapping => ({ name: 'u', appliesTo: ['conv'], directives: parseDirectives(text) });
const kcp = getMappingTemplate('maestro-kcp-ws-v1').build('conv', { rows: 8, cols: 16 });
const err = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('validateMapping', () => {
  it('accepts a mapping whose tiles fit and returns its double-buffered requirements', () => {
    // KCP_WS on a 3×3 layer: a PE holds a 3×3 input window, 9 weights and 1 output (×2 buffers);
    // the GLB tile is 64·3·3 inputs + 2·64·9 weights + 2 outputs (×2).
    expect(validateMapping(layer, kcp, hw)).toEqual({ l1Elems: 2 * (9 + 9 + 1), l2Elems: 2 * (576 + 1152 + 2) });
    expect(analyseMapping(layer, kcp, hw).l2RequirementElems).toBe(3460);
  });

  it('rejects tiles that do not fit the register file or the global buffer', () => {
    expect(err(() => validateMapping(layer, kcp, { ...hw, l1SizeElems: 8 }))).toBe(
      "invalid mapping maestro-kcp-ws-v1 PE tile (layer L1): got 38, expected at most the register file's 8 elements (double-buffered input + filter + output tile)");
    expect(err(() => validateMapping(layer, kcp, { ...hw, l2SizeElems: 1000 }))).toMatch(/global-buffer tile \(layer L1\): got 3460, expected at most the global buffer's 1000 elements/);
  });

  it('rejects a cluster above the PEs and a spatial size above the dimension', () => {
    expect(err(() => validateMapping(layer, m('SpatialMap(1,1) K; Cluster(256, P); SpatialMap(1,1) C;'), hw)))
      .toBe('invalid mapping u directive 2 Cluster(256): got 256, expected at most the 128 PEs of the array');
    expect(err(() => validateMapping(layer, m('Cluster(64, P); Cluster(65, P);'), hw))).toMatch(/Cluster\(65\): got 65, expected at most the enclosing cluster's 64 PEs/);
    expect(err(() => validateMapping(layer, m('SpatialMap(128,128) K;'), hw))).toMatch(/SpatialMap\(128,128\) K size: got 128, expected at most K = 64 of layer L1/);
  });

  it('rejects a dimension the layer does not have, a second map of one dimension, and a wrong layer kind', () => {
    expect(err(() => validateMapping(layer, m('SpatialMap(1,1) M;'), hw))).toMatch(/SpatialMap\(1,1\) M: got "M", expected a dimension of conv layer L1/);
    const gemm: MappingLayer = { name: 'fc', kind: 'gemm', dims: { M: 4, N: 4, K: 4 }, strideY: 1, strideX: 1 };
    expect(err(() => validateMapping(gemm, { ...m('SpatialMap(1,1) Y;'), appliesTo: ['gemm'] }, hw))).toMatch(/got "Y", expected a dimension of GEMM layer fc \(M, N, K\)/);
    expect(err(() => validateMapping(layer, m('SpatialMap(1,1) K; TemporalMap(2,2) K;'), hw))).toMatch(/one map per dimension per cluster level/);
    expect(err(() => validateMapping(gemm, kcp, hw))).toMatch(/invalid mapping maestro-kcp-ws-v1: got "gemm", expected a layer of kind conv/);
  });

  it('rejects overlapping or gapped tiles and windows smaller than the filter', () => {
    expect(err(() => validateMapping(layer, m('TemporalMap(4,2) K;'), hw))).toMatch(/TemporalMap\(4,2\) K offset: got 2, expected the tile size 4/);
    expect(err(() => validateMapping(layer, m('TemporalMap(2,1) Y;'), hw))).toMatch(/TemporalMap\(2,1\) Y size: got 2, expected at least the 3 filter rows/);
    expect(err(() => validateMapping(layer, m('TemporalMap(5,1) Y;'), hw))).toMatch(/offset: got 1, expected an offset that moves the tile by its 3 output rows/);
  });

  it('rejects bad hardware fields', () => {
    expect(err(() => validateMapping(layer, kcp, { ...hw, numPes: 0 }))).toMatch(/hardware.numPes: got 0/);
    expect(err(() => validateMapping(layer, kcp, { ...hw, simdLanes: 0 }))).toMatch(/hardware.simdLanes: got 0/);
    expect(err(() => validateMapping(layer, kcp, { ...hw, nocBandwidthElemsPerCycle: 0 }))).toBe(
      'invalid hardware.nocBandwidthElemsPerCycle: got 0, expected a number > 0 (Infinity = unconstrained)');
    expect(validateMapping(layer, kcp, { ...hw, nocBandwidthElemsPerCycle: Infinity, l2SizeElems: Infinity }).l2Elems).toBe(3460);
  });
});
