import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { conformanceNetwork, getHardwareModel, resolveHardwareModel, runHardwareModelConformance, type LayerSpec } from '@cosearch/core';
import { evaluate, evaluateLut, getHardwarePreset, lutConfig, lutModel, parseLutCsv, type HardwareConfig, type LutConfig } from '../index';

/**
 * A test fixture table (figures typed in for the rule checks; NOT a measurement — the measured
 * example is experiments/hardware/lut-wasm/). Rows 3–6 (line numbers) describe layers c1, dw and
 * qkv of core's conformanceNetwork() exactly, plus one dense 1×100×100.
 */
const HEADER = 'kind,batch,inChannels,outChannels,channels,inHeight,inWidth,kernelH,kernelW,strideH,strideW,outHeight,outWidth,groups,inFeatures,outFeatures,m,k,n,bits,latency_s,energy_j';
const CSV = [
  '# fixture for lut.test.ts',
  HEADER,
  'conv,1,3,16,,16,16,3,3,1,1,16,16,1,,,,,,8,1e-4,2e-6',
  'depthwise,1,,,24,8,8,3,3,1,1,8,8,,,,,,,8,2e-5,',
  'dense,64,,,,,,,,,,,,,24,48,,,,8,3e-5,1e-6',
  'dense,1,,,,,,,,,,,,,100,100,,,,8,5e-6,',
].join('\n');

const table = parseLutCsv(CSV, 'fixture.csv');
function npuOnly(): HardwareConfig {
  const hw = getHardwarePreset('edge-npu-cim-v1');
  hw.mapping.scheme = 'npu-only';
  return hw;
}
const cfg = (rule: LutConfig['rule'], engine: 'npu' | 'cim' = 'npu', fallback = npuOnly()) => lutConfig({ table, fallback, rule, engine });
const net = conformanceNetwork();
const at = (name: string) => net.findIndex((l) => l.name === name);

const cimOnly = getHardwarePreset('edge-npu-cim-v1');
cimOnly.mapping.scheme = 'cim-only';
runHardwareModelConformance(lutModel, {
  configs: [cfg('nearest'), cfg('interpolate'), cfg('fallback'), cfg('nearest', 'cim', cimOnly)],
  invalid: [
    { raw: { model: 'lut-v1', table: 'no-such-table.csv', fallback: 'edge-npu-cim-v1' }, message: /no-such-table\.csv: no such file$/ },
    { raw: { model: 'lut-v1', table: 'x.csv', fallback: 'edge-npu-cim-v1', rule: 'cubic' }, message: /^invalid rule: got "cubic", expected one of "nearest", "interpolate", "fallback"$/ },
    { raw: { model: 'lut-v1', table: 'x.csv', fallback: { extends: 'edge-npu-cim-v1', npu: { peRows: 0 } } }, message: /^invalid fallback\.npu\.peRows: got 0/ },
    { raw: { model: 'lut-v1', table: 'x.csv', fallback: 'neurram-130nm-v1' }, message: /^invalid engine: got "npu", expected an engine the fallback config has \(cim\)$/ },
  ],
});

describe('lut-v1 rules (hand calculations on the fixture table)', () => {
  const ref = evaluate(net, npuOnly());

  it('exact rows are measured: the row latency; its energy, else the analytical energy', () => {
    const r = evaluateLut(net, cfg('nearest'));
    const c1 = r.perLayer[at('c1')], dw = r.perLayer[at('dw')], qkv = r.perLayer[at('qkv')];
    expect([c1.source, c1.sourceNote]).toEqual(['measured', 'exact row 3']);
    expect(c1.engineLatencyS).toBe(1e-4);
    // Engine energy = the row's 2 µJ (split like the analytical breakdown), NoC energy on top.
    expect(c1.energyJ - c1.energy.noc).toBeCloseTo(2e-6, 18);
    expect([dw.source, dw.sourceNote]).toEqual(['measured', 'exact row 4; energy analytical']);
    expect(dw.engineLatencyS).toBe(2e-5);
    expect(dw.energyJ).toBeCloseTo(ref.perLayer[at('dw')].energyJ, 18);
    expect(qkv.engineLatencyS).toBe(3e-5);
    expect(r.lut).toEqual({ file: 'fixture.csv', rule: 'nearest', engine: 'npu', measured: 3, estimated: 8 });
  });

  it('nearest: the closest row of the same kind × MACs ratio', () => {
    const r = evaluateLut(net, cfg('nearest'));
    // c2: 221,184 MACs; the only conv row is c1 (110,592 MACs) → 2 × 1e-4 s, 2 × 2 µJ.
    const c2 = r.perLayer[at('c2')];
    expect([c2.source, c2.sourceNote]).toEqual(['estimated', 'nearest row 3 × MACs 2.00']);
    expect(c2.engineLatencyS).toBeCloseTo(2e-4, 18);
    expect(c2.energyJ - c2.energy.noc).toBeCloseTo(4e-6, 18);
    // fc 1×24×10: Σ|ln| to row 5 (64,24,48) = ln 64 + ln 4.8 = 5.73; to row 6 (1,100,100) = ln(100/24) + ln 10 = 3.73 → row 6,
    // 5e-6 × 240 / 10,000 = 1.2e-7 s.
    const fc = r.perLayer[at('fc')];
    expect(fc.sourceNote).toBe('nearest row 6 × MACs 0.02; energy analytical');
    expect(fc.engineLatencyS).toBeCloseTo(1.2e-7, 20);
  });

  it('interpolate: piecewise-linear in MACs, end points scaled beyond', () => {
    const big: LayerSpec = { kind: 'dense', name: 'big', batch: 1, inFeatures: 200, outFeatures: 200 };
    const r = evaluateLut([...net, big], cfg('interpolate'));
    // 40,000 MACs between (10,000, 5e-6) and (73,728, 3e-5): 5e-6 + 30,000/63,728 · 2.5e-5.
    expect(r.perLayer[net.length].engineLatencyS).toBeCloseTo(5e-6 + (30000 / 63728) * 2.5e-5, 18);
    expect(r.perLayer[net.length].sourceNote).toBe('interpolated in MACs between rows 6 and 5; energy analytical');
    expect(r.perLayer[at('fc')].engineLatencyS).toBeCloseTo(1.2e-7, 20);
    expect(r.perLayer[at('fc')].sourceNote).toBe('beyond rows 6 × MACs 0.02; energy analytical');
  });

  it('fallback rule, other kinds, other bits and vector layers use the analytical model', () => {
    const r = evaluateLut(net, cfg('fallback'));
    expect(r.perLayer[at('c2')].sourceNote).toBe('rule fallback: analytical');
    expect(r.perLayer[at('c2')].engineLatencyS).toBe(ref.perLayer[at('c2')].engineLatencyS);
    const n = evaluateLut(net, cfg('nearest'));
    expect(n.perLayer[at('qk')].sourceNote).toBe('no matmul rows at 8 bits: analytical');
    expect(n.perLayer[at('qk')].latencyS).toBe(ref.perLayer[at('qk')].latencyS);
    expect([n.perLayer[at('sm')].source, n.perLayer[at('sm')].sourceNote]).toEqual(['estimated', 'vector unit: analytical']);
    const wide = net.map((l) => (l.name === 'qkv' ? { ...l, inputBits: 16, weightBits: 16 } : l));
    expect(evaluateLut(wide, cfg('nearest')).perLayer[at('qkv')].sourceNote).toBe('no dense rows at 16 bits: analytical');
  });
});

describe('lut CSV errors name the file, row and column', () => {
  const bad = (lines: string[]) => () => parseLutCsv([HEADER, ...lines].join('\n'), 't.csv');
  const row = 'conv,1,3,16,,16,16,3,3,1,1,16,16,1,,,,,,8,1e-4,';
  it.each([
    [[row.replace('1e-4', 'abc')], 't.csv: row 2, column latency_s: got "abc", expected a number > 0'],
    [[row.replace('1e-4', '-1e-5')], 't.csv: row 2, column latency_s: got "-1e-5", expected a number > 0'],
    [[row, row.replace(',16,16,3', ',16,x,3')], 't.csv: row 3, column inWidth: got "x", expected an integer > 0'],
    [[row.replace('conv', 'lstm')], 't.csv: row 2, column kind: got "lstm", expected one of conv, depthwise, dense, matmul'],
    [[row, row], 't.csv: row 3, column kind: same kind, shape and bits as row 2'],
    [[row.replace(',8,1e-4', ',64,1e-4')], 't.csv: row 2, column bits: got "64", expected an integer > 0 and <= 32'],
    [[row.replace(/,$/, ',0')], 't.csv: row 2, column energy_j: got "0", expected a number > 0 (or empty)'],
  ])('%j', (lines, message) => expect(bad(lines)).toThrow(message as string));

  it('a missing column, in the header or for one kind', () => {
    expect(() => parseLutCsv('kind,batch,bits,energy_j\n', 'h.csv')).toThrow('h.csv: row 1, column latency_s: missing column (header)');
    expect(() => parseLutCsv('kind,batch,inFeatures,outFeatures,bits,latency_s,energy_j\ndense,1,2,3,8,1e-6,\nmatmul,1,2,3,8,1e-6,', 'k.csv'))
      .toThrow('k.csv: row 3, column m: missing column');
  });
});

describe('lut-v1 hardware files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-lut-'));
  fs.mkdirSync(path.join(dir, 'tables'));
  fs.writeFileSync(path.join(dir, 'tables', 'fx.csv'), CSV);

  it('resolve through the model registry, the table relative to the file', () => {
    expect(getHardwareModel('lut-v1')).toBe(lutModel);
    const raw = { model: 'lut-v1', name: 'fx', table: 'tables/fx.csv', fallback: { extends: 'edge-npu-cim-v1', mapping: { scheme: 'npu-only' } }, rule: 'interpolate' };
    const { model, config } = resolveHardwareModel(raw, { baseDir: dir });
    const c = config as LutConfig;
    expect([model.id, c.name, c.rule, c.engine, c.table.rows.length]).toEqual(['lut-v1', 'fx', 'interpolate', 'npu', 4]);
    expect(c.table.file).toBe(path.join(dir, 'tables', 'fx.csv'));
    expect(() => resolveHardwareModel({ ...raw, table: 'fx.csv' }, { baseDir: dir })).toThrow(`${path.join(dir, 'fx.csv')}: no such file`);
    expect(() => resolveHardwareModel({ ...raw, speed: 1 }, { baseDir: dir, path: 'hardware' })).toThrow(/^invalid hardware\.speed: got 1, expected a known field/);
  });
});
