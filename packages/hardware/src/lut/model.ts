import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  ConfigError, DataError, asObject, oneOf, prefixConfigError, registerHardwareModel, rejectUnknownKeys, stringField, stripModelField,
  type HardwareConfigOptions, type HardwareKnob, type HardwareModel, type LayerSpec,
} from '@cosearch/core';
import type { HardwareConfig } from '../config';
import type { HardwareResult, LayerResult } from '../result';
import { evaluateModel } from '../evaluate';
import { engineCosts, type EngineCostInput } from '../engine-costs';
import { getHardwarePreset, loadHardwareConfig } from '../presets';
import { applyHardwareCandidate, hardwareSpace, type HardwareSpaceOptions } from '../space';
import { validateHardwareConfig } from '../validate';
import type { EngineCost } from '../result';
import { LUT_RULES, LutIndex, type LutRule } from './lookup';
import { parseLutCsv, type LutTable } from './table';

/**
 * The measured lookup-table model `lut-v1` (issue 13 item 5): MAC layers that run on the table's
 * engine take their latency (and energy, when the table has it) from the table, by the rules of
 * lookup.ts; everything else — vector layers, other engines, shapes a rule sends to the
 * analytical model, energy the table lacks — comes from the analytical model of `fallback`, and
 * the NoC, DRAM, leakage and area composition is the analytical model's (engine-costs.ts).
 *
 * Hardware file: `{ "model": "lut-v1", "name"?, "table": "file.csv" (relative to the JSON file),
 * "fallback": "<preset>" | { hardware config, may "extends" a preset }, "rule"?: "nearest" |
 * "interpolate" | "fallback" (default nearest), "engine"?: "npu" | "cim" (default npu) }`.
 */
export interface LutConfig {
  model: 'lut-v1';
  name: string;
  table: LutTable;
  rule: LutRule;
  /** The engine the measured device stands in for: its MAC layers are looked up. */
  engine: 'npu' | 'cim';
  fallback: HardwareConfig;
}

export type LutResult = HardwareResult & { lut: { file: string; rule: LutRule; engine: 'npu' | 'cim'; measured: number; estimated: number } };

/** Builds a config from an already parsed table (no files). */
export function lutConfig(a: { table: LutTable; fallback: HardwareConfig; rule?: LutRule; engine?: 'npu' | 'cim'; name?: string }): LutConfig {
  const engine = a.engine ?? 'npu';
  if (!a.fallback[engine]) throw new ConfigError('engine', engine, `an engine the fallback config has (${a.fallback.npu ? 'npu' : ''}${a.fallback.npu && a.fallback.cim ? ', ' : ''}${a.fallback.cim ? 'cim' : ''})`);
  return { model: 'lut-v1', name: a.name ?? 'lut', table: a.table, rule: a.rule ?? 'nearest', engine, fallback: a.fallback };
}

/** Reads and checks a CSV file (errors: `<file>: row N, column C: …`). */
export function loadLutTable(file: string): LutTable {
  if (!existsSync(file)) throw new DataError(file, 'no such file');
  return parseLutCsv(readFileSync(file, 'utf8'), file);
}

/** Validates a parsed `lut-v1` hardware file; `table` resolves against `options.baseDir` (default: the working directory). */
export function validateLutConfig(raw: unknown, path?: string, options: HardwareConfigOptions = {}): LutConfig {
  const p = path ? `${path}.` : '';
  const o = asObject(stripModelField(raw, 'lut-v1', path), path ?? 'hardware');
  rejectUnknownKeys(o, path ?? '', ['name', 'description', 'table', 'rule', 'engine', 'fallback']);
  const tableArg = stringField(o, 'table', path ?? '');
  const file = isAbsolute(tableArg) ? tableArg : resolve(options.baseDir ?? process.cwd(), tableArg);
  if (o.fallback === undefined) throw new ConfigError(`${p}fallback`, undefined, 'a hardware preset name or a hardware config object');
  const fallback = prefixConfigError(`${p}fallback`, () => (typeof o.fallback === 'string' ? getHardwarePreset(o.fallback) : loadHardwareConfig(o.fallback)));
  const rule = o.rule === undefined ? 'nearest' : oneOf(o.rule, `${p}rule`, LUT_RULES);
  const engine = o.engine === undefined ? 'npu' : oneOf(o.engine, `${p}engine`, ['npu', 'cim'] as const);
  const name = stringField(o, 'name', path ?? '', 'lut');
  // The engine check comes before reading the table (a config error is cheaper to report than a file one).
  return prefixConfigError(path, () => {
    lutConfig({ table: { file, rows: [] }, fallback, rule, engine, name });
    return lutConfig({ table: loadLutTable(file), fallback, rule, engine, name });
  });
}

interface LutData {
  index: LutIndex;
  rule: LutRule;
  engine: 'npu' | 'cim';
}

const indexes = new WeakMap<LutTable, { index: LutIndex; id: number }>();
let nextTableId = 1;

function indexFor(t: LutTable): { index: LutIndex; id: number } {
  let x = indexes.get(t);
  if (!x) {
    x = { index: new LutIndex(t), id: nextTableId++ };
    indexes.set(t, x);
  }
  return x;
}

/** A table row's figures on the analytical cost's other fields (access counts, units, NoC bytes); energy split like the analytical one. */
function lutCost(x: EngineCostInput): EngineCost | null {
  const data = x.model.data as LutData;
  if (x.engine !== data.engine) return null;
  const est = data.index.lookup(x.layer, data.rule);
  const base = x.next();
  if (est.latencyS === undefined) return { ...base, source: est.source, sourceNote: est.note };
  const energyJ = est.energyJ ?? base.energyJ;
  const energy = { ...base.energy };
  const scale = base.energyJ > 0 ? energyJ / base.energyJ : 0;
  for (const k of Object.keys(energy) as (keyof typeof energy)[]) energy[k] *= scale;
  if (base.energyJ <= 0) energy.mac = energyJ;
  const hz = x.engine === 'npu' ? x.derived.npu!.frequencyHz : x.derived.cim!.frequencyHz;
  const c: EngineCost = {
    ...base, cycles: est.latencyS * hz, latencyS: est.latencyS, energy, energyJ, bound: 'compute',
    source: est.source, sourceNote: est.energyJ === undefined ? `${est.note}; energy analytical` : est.note,
  };
  // A measured op has no analytical mapping or per-step figures.
  delete (c as { mapping?: unknown }).mapping;
  return c;
}

for (const engine of ['npu', 'cim'] as const) {
  engineCosts.register({ name: `lut-v1:${engine}`, model: 'lut-v1', engine, kinds: ['conv', 'depthwise', 'dense', 'matmul'], priority: 10, cost: lutCost });
}

export function evaluateLut(layers: readonly LayerSpec[], cfg: LutConfig): LutResult {
  const { index, id } = indexFor(cfg.table);
  const data: LutData = { index, rule: cfg.rule, engine: cfg.engine };
  const r = evaluateModel(layers, cfg.fallback, { id: 'lut-v1', token: `lut${id}|${cfg.rule}|${cfg.engine}|`, data });
  let measured = 0;
  // Rows are fresh objects of this call (only their sub-objects are memoised): labelled in place.
  for (const row of r.perLayer as LayerResult[]) {
    if (row.source === 'measured') measured++;
    else if (!row.source) {
      row.source = 'estimated';
      row.sourceNote = row.engine === 'vector' ? 'vector unit: analytical' : `${row.engine} is not the table's engine: analytical`;
    }
  }
  return Object.assign(r, { lut: { file: cfg.table.file, rule: cfg.rule, engine: cfg.engine, measured, estimated: r.perLayer.length - measured } });
}

/** A knob on the fallback config (a copy, revalidated). */
function fallbackKnob(name: string, set: (h: HardwareConfig, high: boolean) => void, effects: HardwareKnob['effects']): HardwareKnob<LutConfig> {
  return {
    name: `fallback.${name}`,
    effects,
    set: (cfg, high) => {
      const h = structuredClone(cfg.fallback);
      set(h, high);
      return { ...cfg, fallback: validateHardwareConfig(h) };
    },
  };
}

/**
 * Measured rows do not move with hardware knobs (they are what the device did); the estimated
 * parts do. These hold on any network with MAC and vector layers.
 */
export const LUT_KNOBS: readonly HardwareKnob<LutConfig>[] = [
  fallbackKnob('vector.lanes', (h, hi) => { h.vector.lanes = hi ? 256 : 1; }, [{ metric: 'latencyS', direction: -1 }, { metric: 'areaMm2', direction: 1 }]),
  fallbackKnob('technology.leakageWPerMm2', (h, hi) => { h.technology.leakageWPerMm2 = hi ? 0.1 : 0; }, [{ metric: 'energyJ', direction: 1 }]),
  fallbackKnob('dvfs.npu.voltageV', (h, hi) => { h.dvfs.npu = { voltageV: hi ? 1.0 : 0.7, frequencyHz: 400e6 }; }, [{ metric: 'energyJ', direction: 1 }]),
];

export const lutModel: HardwareModel<LutConfig, LutResult> = {
  id: 'lut-v1',
  description: 'measured per-op latency/energy table (CSV) with stated rules for other shapes; analytical fallback and NoC/DRAM/leakage',
  validateConfig: validateLutConfig,
  searchSpace: (options = {}) => {
    const base = options.base as LutConfig | undefined;
    return hardwareSpace({ ...(options as HardwareSpaceOptions), base: base ? base.fallback : getHardwarePreset('edge-npu-cim-v1') });
  },
  applyCandidate: (cfg, candidate) => ({ ...cfg, fallback: applyHardwareCandidate(cfg.fallback, candidate) }),
  evaluate: evaluateLut,
  knobs: LUT_KNOBS,
};

registerHardwareModel(lutModel);
