import { CosearchError } from './errors';
import type { HardwareModel, HardwareModelResult, KnobMetric } from './hardware-model';
import { conv2d, depthwise2d, layerMacs, type LayerSpec } from './layers';
import { Rng } from './rng';

/**
 * The conformance suite every hardware model — built-in or a user's — must pass (issue 13 item
 * 4; DESIGN: "one conformance suite for all models"): finite positive outputs, MACs exact (each
 * row = core `layerMacs`, total = Σ), determinism (same input → identical output, also from
 * fresh copies and after other evaluations; inputs never mutated), every documented knob moves
 * its outputs in the stated direction, sampled candidates of the model's search space apply and
 * evaluate, and bad configs fail with one line.
 *
 * Use from jest: `runHardwareModelConformance(model, { configs: [cfg] })`, or call
 * `checkHardwareModel(model, fixtures)`, which returns the failures (empty = conforms).
 */
export interface HardwareModelFixtures<Cfg = unknown> {
  /** Validated configs to check (at least one); knobs run on the first. */
  configs: readonly Cfg[];
  /** Networks to evaluate (default: `[conformanceNetwork()]`); knobs run on the first. */
  networks?: readonly (readonly LayerSpec[])[];
  /** Options handed to `searchSpace` (with `base` = each config) and the number of candidates sampled (default 6). */
  spaceOptions?: Record<string, unknown>;
  candidates?: number;
  /** Raw configs `validateConfig` must reject with a one-line `CosearchError` matching `message`. */
  invalid?: readonly { raw: unknown; message: RegExp }[];
  seed?: number;
}

/** A small network with every layer kind (one of each, shapes consistent), batch 1. */
export function conformanceNetwork(): LayerSpec[] {
  const c1 = conv2d({ name: 'c1', inChannels: 3, outChannels: 16, inHeight: 16, inWidth: 16, kernel: 3 });
  const c2 = conv2d({ name: 'c2', inChannels: 16, outChannels: 24, inHeight: 16, inWidth: 16, kernel: 3, stride: 2 });
  const dw = depthwise2d({ name: 'dw', channels: 24, inHeight: 8, inWidth: 8, kernel: 3 });
  return [
    c1,
    { kind: 'norm', op: 'batchnorm', name: 'bn1', elements: 16 * 16 * 16 },
    { kind: 'activation', fn: 'relu', name: 'act1', elements: 16 * 16 * 16 },
    c2,
    dw,
    { kind: 'add', name: 'res', elements: 24 * 8 * 8 },
    { kind: 'dense', name: 'qkv', batch: 64, inFeatures: 24, outFeatures: 48 },
    { kind: 'matmul', name: 'qk', batch: 2, m: 64, k: 8, n: 64 },
    { kind: 'softmax', name: 'sm', rows: 128, cols: 64 },
    { kind: 'pool', op: 'avg', name: 'gap', batch: 1, channels: 24, inHeight: 8, inWidth: 8, kernelH: 8, kernelW: 8, outHeight: 1, outWidth: 1 },
    { kind: 'dense', name: 'fc', batch: 1, inFeatures: 24, outFeatures: 10 },
  ];
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Totals finite and > 0; one row per layer, in order; rows finite, ≥ 0, MAC layers > 0; latency = Σ rows. */
export function checkOutputs(r: HardwareModelResult, layers: readonly LayerSpec[], where: string): string[] {
  const f: string[] = [];
  for (const k of ['latencyS', 'energyJ', 'areaMm2', 'powerW'] as const) {
    if (!finite(r[k]) || r[k] <= 0) f.push(`${where}: ${k} = ${r[k]}, expected a finite number > 0`);
  }
  if (!Array.isArray(r.perLayer) || r.perLayer.length !== layers.length) {
    return [...f, `${where}: perLayer has ${r.perLayer?.length} rows for ${layers.length} layers`];
  }
  let latency = 0;
  r.perLayer.forEach((row, i) => {
    const at = `${where}: perLayer[${i}] (${layers[i].name})`;
    if (row.name !== layers[i].name) f.push(`${at}: name ${JSON.stringify(row.name)}, expected the layer's name`);
    if (typeof row.engine !== 'string' || !row.engine) f.push(`${at}: engine ${JSON.stringify(row.engine)}, expected a non-empty string`);
    for (const k of ['latencyS', 'energyJ'] as const) {
      if (!finite(row[k]) || row[k] < 0) f.push(`${at}: ${k} = ${row[k]}, expected a finite number >= 0`);
    }
    if (layerMacs(layers[i]) > 0 && !(row.latencyS > 0 && row.energyJ > 0)) f.push(`${at}: a MAC layer with latencyS ${row.latencyS}, energyJ ${row.energyJ} (expected > 0)`);
    if (row.source !== undefined && row.source !== 'measured' && row.source !== 'estimated') f.push(`${at}: source ${JSON.stringify(row.source)}, expected "measured" or "estimated"`);
    latency += row.latencyS;
  });
  if (Math.abs(latency - r.latencyS) > 1e-9 * Math.max(latency, r.latencyS)) f.push(`${where}: latencyS ${r.latencyS} ≠ Σ perLayer latencyS ${latency} (layers run in sequence)`);
  const rowEnergy = r.perLayer.reduce((s, x) => s + x.energyJ, 0);
  if (rowEnergy > r.energyJ * (1 + 1e-9)) f.push(`${where}: Σ perLayer energyJ ${rowEnergy} > energyJ ${r.energyJ}`);
  return f;
}

/** Each row's MACs = core `layerMacs` of its layer, and `macs` = their sum, exactly. */
export function checkMacs(r: HardwareModelResult, layers: readonly LayerSpec[], where: string): string[] {
  const f: string[] = [];
  let total = 0;
  layers.forEach((l, i) => {
    const want = layerMacs(l);
    total += want;
    const got = r.perLayer[i]?.macs;
    if (got !== want) f.push(`${where}: perLayer[${i}] (${l.name}) macs ${got}, core layerMacs ${want}`);
  });
  if (r.macs !== total) f.push(`${where}: macs ${r.macs}, Σ core layerMacs ${total}`);
  return f;
}

/** A deep copy when the value can be cloned (plain data, Maps, typed arrays), else the value itself. */
function copy<T>(v: T): T {
  try {
    return structuredClone(v);
  } catch {
    return v;
  }
}

function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x instanceof Map ? [...x.entries()] : x));
}

/**
 * Same (layers, config) → identical JSON: twice in a row, from deep copies (cold memos), and after
 * evaluating other networks; the inputs are not mutated.
 */
export function checkDeterminism<Cfg>(model: HardwareModel<Cfg>, cfg: Cfg, networks: readonly (readonly LayerSpec[])[], where: string): string[] {
  const f: string[] = [];
  networks.forEach((layers, n) => {
    const cfgBefore = stable(cfg);
    const layersBefore = stable(layers);
    const a = stable(model.evaluate(layers, cfg));
    const b = stable(model.evaluate(layers, cfg));
    const c = stable(model.evaluate(copy(layers), copy(cfg)));
    for (const other of networks) model.evaluate(other, cfg);
    const d = stable(model.evaluate(layers, cfg));
    if (a !== b) f.push(`${where}: network ${n}: two evaluations in a row differ`);
    if (a !== c) f.push(`${where}: network ${n}: evaluating deep copies of the inputs gives a different result`);
    if (a !== d) f.push(`${where}: network ${n}: the result changes after evaluating other networks`);
    if (stable(cfg) !== cfgBefore) f.push(`${where}: network ${n}: evaluate mutated the config`);
    if (stable(layers) !== layersBefore) f.push(`${where}: network ${n}: evaluate mutated the layers`);
  });
  return f;
}

const metricOf = (r: HardwareModelResult, m: KnobMetric): number => r[m];

/** Every declared knob, low → high on `cfg`, moves each listed output in its stated direction on `layers`. */
export function checkKnobs<Cfg>(model: HardwareModel<Cfg>, cfg: Cfg, layers: readonly LayerSpec[]): string[] {
  const f: string[] = [];
  if (!model.knobs || model.knobs.length === 0) return [`${model.id}: declares no knobs (HardwareModel.knobs)`];
  for (const k of model.knobs) {
    const before = stable(cfg);
    let lo: HardwareModelResult, hi: HardwareModelResult;
    try {
      lo = model.evaluate(layers, k.set(cfg, false));
      hi = model.evaluate(layers, k.set(cfg, true));
    } catch (e) {
      f.push(`knob ${k.name}: ${(e as Error).message}`);
      continue;
    }
    if (stable(cfg) !== before) f.push(`knob ${k.name}: set() mutated the config it was given`);
    for (const e of k.effects) {
      const d = (metricOf(hi, e.metric) - metricOf(lo, e.metric)) * e.direction;
      const ok = e.strict === false ? d >= -1e-12 * Math.abs(metricOf(lo, e.metric)) : d > 0;
      if (!ok) {
        f.push(`knob ${k.name}: ${e.metric} went ${metricOf(lo, e.metric)} → ${metricOf(hi, e.metric)} (low → high), documented ${e.direction > 0 ? 'up' : 'down'}${e.strict === false ? ' or unchanged' : ''}`);
      }
    }
  }
  return f;
}

/** Seeded samples of `searchSpace({ base: cfg })`: each applies (without mutating cfg) and evaluates to finite positive totals. */
export function checkSearchSpace<Cfg>(model: HardwareModel<Cfg>, cfg: Cfg, layers: readonly LayerSpec[], fx: HardwareModelFixtures<Cfg>, where: string): string[] {
  const f: string[] = [];
  const space = model.searchSpace({ ...(fx.spaceOptions ?? {}), base: cfg });
  if (space.decisions.length === 0) return [`${where}: searchSpace has no decisions`];
  const rng = new Rng(fx.seed ?? 2026);
  const before = stable(cfg);
  for (let i = 0; i < (fx.candidates ?? 6); i++) {
    const cand = space.sample(rng);
    try {
      const r = model.evaluate(layers, model.applyCandidate(cfg, cand));
      f.push(...checkOutputs(r, layers, `${where}: candidate ${JSON.stringify(cand)}`).slice(0, 3));
    } catch (e) {
      f.push(`${where}: candidate ${JSON.stringify(cand)}: ${(e as Error).message}`);
    }
  }
  if (stable(cfg) !== before) f.push(`${where}: applyCandidate mutated the base config`);
  return f;
}

/** Each invalid raw config is rejected by `validateConfig` with a one-line `CosearchError` matching its pattern. */
export function checkInvalidConfigs<Cfg>(model: HardwareModel<Cfg>, invalid: HardwareModelFixtures<Cfg>['invalid'] = []): string[] {
  const f: string[] = [];
  invalid.forEach(({ raw, message }, i) => {
    try {
      model.validateConfig(raw);
      f.push(`invalid[${i}]: validateConfig accepted it`);
    } catch (e) {
      const m = (e as Error).message;
      if (!(e instanceof CosearchError)) f.push(`invalid[${i}]: threw ${(e as Error).name}, expected a CosearchError: ${m}`);
      else if (m.includes('\n')) f.push(`invalid[${i}]: message has several lines: ${m}`);
      else if (!message.test(m)) f.push(`invalid[${i}]: message ${JSON.stringify(m)} does not match ${message}`);
    }
  });
  return f;
}

function networksOf<Cfg>(fx: HardwareModelFixtures<Cfg>): readonly (readonly LayerSpec[])[] {
  return fx.networks && fx.networks.length ? fx.networks : [conformanceNetwork()];
}

/** Runs every check; returns the failures (empty when the model conforms). */
export function checkHardwareModel<Cfg>(model: HardwareModel<Cfg>, fx: HardwareModelFixtures<Cfg>): string[] {
  if (!fx.configs.length) return ['fixtures.configs is empty: give at least one validated config'];
  const nets = networksOf(fx);
  const f: string[] = [];
  fx.configs.forEach((cfg, c) => {
    const before = stable(cfg);
    nets.forEach((layers, n) => {
      const where = `config ${c}, network ${n}`;
      try {
        const r = model.evaluate(layers, cfg);
        f.push(...checkOutputs(r, layers, where), ...checkMacs(r, layers, where));
      } catch (e) {
        f.push(`${where}: evaluate threw ${(e as Error).message}`);
      }
    });
    if (stable(cfg) !== before) f.push(`config ${c}: evaluate mutated the config`);
    f.push(...checkDeterminism(model, cfg, nets, `config ${c}`));
    f.push(...checkSearchSpace(model, cfg, nets[0], fx, `config ${c}`));
  });
  f.push(...checkKnobs(model, fx.configs[0], nets[0]));
  f.push(...checkInvalidConfigs(model, fx.invalid));
  return f;
}

/** Registers the suite as jest tests (call inside a test file; uses jest's global describe/it). */
export function runHardwareModelConformance<Cfg>(model: HardwareModel<Cfg>, fx: HardwareModelFixtures<Cfg>): void {
  const g = globalThis as unknown as { describe: (n: string, f: () => void) => void; it: (n: string, f: () => void) => void };
  const fail = (f: string[]) => {
    if (f.length) throw new Error(`${model.id}: ${f.length} conformance failure(s):\n${f.slice(0, 20).join('\n')}`);
  };
  const nets = networksOf(fx);
  g.describe(`hardware model conformance: ${model.id}`, () => {
    g.it('outputs are finite and positive, one row per layer, MACs exact', () => {
      fail(fx.configs.flatMap((cfg, c) => nets.flatMap((layers, n) => {
        const r = model.evaluate(layers, cfg);
        return [...checkOutputs(r, layers, `config ${c}, network ${n}`), ...checkMacs(r, layers, `config ${c}, network ${n}`)];
      })));
    });
    g.it('deterministic, inputs not mutated', () => fail(fx.configs.flatMap((cfg, c) => checkDeterminism(model, cfg, nets, `config ${c}`))));
    g.it('every documented knob moves its outputs in the stated direction', () => fail(checkKnobs(model, fx.configs[0], nets[0])));
    g.it('sampled search-space candidates apply and evaluate', () => fail(fx.configs.flatMap((cfg, c) => checkSearchSpace(model, cfg, nets[0], fx, `config ${c}`))));
    if (fx.invalid?.length) g.it('bad configs fail with one line naming the field', () => fail(checkInvalidConfigs(model, fx.invalid)));
  });
}
