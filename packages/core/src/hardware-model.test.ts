import {
  ConfigError, SearchSpace, checkHardwareModel, checkNumber, conformanceNetwork, getHardwareModel, hardwareModelRegistry, layerMacs, layerOutputs,
  asObject, registerHardwareModel, resolveHardwareModel, runHardwareModelConformance, stripModelField, prefixConfigError,
  type HardwareModel, type HardwareModelResult, type LayerSpec,
} from './index';

/**
 * A toy roofline model written for these tests: MAC layers take macs / macsPerS and
 * macs × energyJPerMac; other layers outputs / vectorOpsPerS and 1 pJ per output; leakage
 * 1 mW/mm² × latency. Every figure below is a hand calculation from these formulas.
 */
interface ToyCfg { macsPerS: number; energyJPerMac: number; areaMm2: number; vectorOpsPerS: number }

function toyEvaluate(layers: readonly LayerSpec[], c: ToyCfg): HardwareModelResult {
  const perLayer = layers.map((l) => {
    const macs = layerMacs(l);
    return macs > 0
      ? { name: l.name, engine: 'mac', macs, latencyS: macs / c.macsPerS, energyJ: macs * c.energyJPerMac }
      : { name: l.name, engine: 'vector', macs: 0, latencyS: layerOutputs(l) / c.vectorOpsPerS, energyJ: layerOutputs(l) * 1e-12 };
  });
  const latencyS = perLayer.reduce((s, x) => s + x.latencyS, 0);
  const energyJ = perLayer.reduce((s, x) => s + x.energyJ, 0) + 1e-3 * c.areaMm2 * latencyS;
  return { latencyS, energyJ, areaMm2: c.areaMm2, powerW: energyJ / latencyS, macs: perLayer.reduce((s, x) => s + x.macs, 0), perLayer };
}

const toy: HardwareModel<ToyCfg> = {
  id: 'toy-roofline-v1',
  description: 'test-only roofline',
  validateConfig: (raw, path) => prefixConfigError(path, () => {
    const o = asObject(stripModelField(raw, 'toy-roofline-v1', path), 'hardware');
    return {
      macsPerS: checkNumber(o.macsPerS, 'macsPerS', { above: 0 }),
      energyJPerMac: checkNumber(o.energyJPerMac, 'energyJPerMac', { above: 0 }),
      areaMm2: checkNumber(o.areaMm2, 'areaMm2', { above: 0 }),
      vectorOpsPerS: checkNumber(o.vectorOpsPerS, 'vectorOpsPerS', { above: 0 }),
    };
  }),
  searchSpace: () => new SearchSpace([{ name: 'hw.macsPerS', phase: 'hardware', choices: [1e9, 4e9] }]),
  applyCandidate: (c, cand) => ({ ...c, ...(cand['hw.macsPerS'] !== undefined ? { macsPerS: cand['hw.macsPerS'] as number } : {}) }),
  evaluate: toyEvaluate,
  knobs: [
    { name: 'macsPerS', set: (c, hi) => ({ ...c, macsPerS: hi ? 1e10 : 1e9 }), effects: [{ metric: 'latencyS', direction: -1 }, { metric: 'energyJ', direction: -1 }] },
    { name: 'energyJPerMac', set: (c, hi) => ({ ...c, energyJPerMac: hi ? 1e-12 : 1e-13 }), effects: [{ metric: 'energyJ', direction: 1 }, { metric: 'latencyS', direction: 1, strict: false }] },
  ],
};
const cfg: ToyCfg = { macsPerS: 1e9, energyJPerMac: 1e-12, areaMm2: 2, vectorOpsPerS: 1e8 };

runHardwareModelConformance(toy, { configs: [cfg], invalid: [{ raw: { macsPerS: -1 }, message: /^invalid macsPerS: got -1/ }] });

describe('hardware model conformance suite', () => {
  it('the fixture network has every layer kind and 485,104 MACs (by hand)', () => {
    // c1 16·16·16·3·9 = 110,592; c2 (stride 2, 8×8 out) 24·64·16·9 = 221,184; dw 24·64·9 = 13,824;
    // qkv 64·24·48 = 73,728; qk 2·64·8·64 = 65,536; fc 24·10 = 240.
    const net = conformanceNetwork();
    expect(new Set(net.map((l) => l.kind)).size).toBe(9);
    expect(net.reduce((s, l) => s + layerMacs(l), 0)).toBe(485104);
    expect(toyEvaluate(net, cfg).latencyS).toBeCloseTo(485104e-9 + (16 * 16 * 16 * 2 + 24 * 64 + 128 * 64 + 24) / 1e8, 15);
  });

  it('the toy model conforms', () => expect(checkHardwareModel(toy, { configs: [cfg] })).toEqual([]));

  it('detects wrong MAC counts', () => {
    const bad = { ...toy, evaluate: (l: readonly LayerSpec[], c: ToyCfg) => { const r = toyEvaluate(l, c); r.perLayer[0].macs += 1; r.macs += 1; return r; } };
    expect(checkHardwareModel(bad, { configs: [cfg] }).join('\n')).toMatch(/perLayer\[0\] \(c1\) macs 110593, core layerMacs 110592/);
  });

  it('detects nondeterminism and hidden state', () => {
    let calls = 0;
    const bad = { ...toy, evaluate: (l: readonly LayerSpec[], c: ToyCfg) => { const r = toyEvaluate(l, c); r.energyJ *= 1 + 1e-6 * calls++; return r; } };
    expect(checkHardwareModel(bad, { configs: [cfg] }).join('\n')).toMatch(/two evaluations in a row differ/);
  });

  it('detects a knob documented in the wrong direction and a dead knob', () => {
    const wrong = { ...toy, knobs: [{ name: 'macsPerS', set: toy.knobs![0].set, effects: [{ metric: 'latencyS' as const, direction: 1 as const }] }] };
    expect(checkHardwareModel(wrong, { configs: [cfg] })).toEqual([expect.stringMatching(/^knob macsPerS: latencyS went 0\.00\d+ → 0\.000\d+ \(low → high\), documented up$/)]);
    const dead = { ...toy, knobs: [{ name: 'area', set: (c: ToyCfg) => ({ ...c }), effects: [{ metric: 'areaMm2' as const, direction: 1 as const }] }] };
    expect(checkHardwareModel(dead, { configs: [cfg] })).toEqual(['knob area: areaMm2 went 2 → 2 (low → high), documented up']);
  });

  it('detects NaN, non-positive totals, missing rows and a mutated config', () => {
    const nan = { ...toy, evaluate: (l: readonly LayerSpec[], c: ToyCfg) => ({ ...toyEvaluate(l, c), areaMm2: NaN }) };
    expect(checkHardwareModel(nan, { configs: [cfg] }).join('\n')).toMatch(/areaMm2 = NaN, expected a finite number > 0/);
    const short = { ...toy, evaluate: (l: readonly LayerSpec[], c: ToyCfg) => toyEvaluate(l.slice(1), c) };
    expect(checkHardwareModel(short, { configs: [cfg] }).join('\n')).toMatch(/perLayer has 10 rows for 11 layers/);
    const mut = { ...toy, evaluate: (l: readonly LayerSpec[], c: ToyCfg) => { const o = c as unknown as Record<string, number>; o.seen = (o.seen ?? 0) + 1; return toyEvaluate(l, c); } };
    expect(checkHardwareModel(mut, { configs: [{ ...cfg }] }).join('\n')).toMatch(/evaluate mutated the config/);
  });

  it('detects a validator that accepts a bad config or prints several lines', () => {
    const lax = { ...toy, validateConfig: (raw: unknown) => raw as ToyCfg };
    expect(checkHardwareModel(lax, { configs: [cfg], invalid: [{ raw: { macsPerS: -1 }, message: /macsPerS/ }] })).toEqual(['invalid[0]: validateConfig accepted it']);
    const noisy = { ...toy, validateConfig: (): ToyCfg => { throw new ConfigError('a\nb', 1, 'x'); } };
    expect(checkHardwareModel(noisy, { configs: [cfg], invalid: [{ raw: {}, message: /a/ }] })[0]).toMatch(/several lines/);
  });
});

describe('hardware model registry', () => {
  it('resolves a file by its model field, prefixes field errors, lists the ids on an unknown model', () => {
    registerHardwareModel(toy);
    expect(getHardwareModel('toy-roofline-v1')).toBe(toy);
    expect(hardwareModelRegistry.names()).toContain('toy-roofline-v1');
    const { model, config } = resolveHardwareModel({ model: 'toy-roofline-v1', ...cfg });
    expect(model.id).toBe('toy-roofline-v1');
    expect(config).toEqual(cfg);
    expect(() => resolveHardwareModel({ model: 'toy-roofline-v1', ...cfg, macsPerS: 0 }, { path: 'hardware' })).toThrow('invalid hardware.macsPerS: got 0, expected a number > 0');
    expect(() => resolveHardwareModel({ model: 'nope-v1' })).toThrow(/^invalid model: got "nope-v1", expected a registered hardware model \(.*toy-roofline-v1.*\)$/);
    expect(() => toy.validateConfig({ model: 'other-v1', ...cfg })).toThrow('invalid model: got "other-v1", expected "toy-roofline-v1"');
  });
});
