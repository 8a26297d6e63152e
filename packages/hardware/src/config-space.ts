import { ConfigError, asObject, numberField, oneOf, rejectUnknownKeys } from '@cosearch/core';
import type { HardwareConfig, Scheme, Topology } from './config';
import { losslessAdcBits } from './crossbar';
import { dataflowRegistry } from './dataflows/registry';
import { maxFrequencyHz } from './dvfs';
import { mappingTemplates } from './mappings/templates';
import { universalTemplateNames } from './mapper/templates';
import type { HardwareSpaceOptions } from './space';

/**
 * The validator of a `hardware.space` config section (the options of `hardwareSpace`), owned
 * here because the limits are this model's: every list is checked against the base hardware
 * before anything runs, so that no choice makes every evaluation fail. One `ConfigError` naming
 * the field (`<p>.<list>[i]`), the value and what is allowed:
 *   mappings    — universal mapping templates or "auto" (a template must map every layer kind);
 *   dataflows   — registered dataflows that have a mapping template;
 *   schemes     — execution schemes the base's engines support (npu-only needs an NPU, ...);
 *   topologies  — mesh, torus, ring;
 *   voltagesV   — within the DVFS range (thresholdVoltageV, 2 V]: f_max(V) = 0 at or below the
 *                 threshold (alpha-power law, dvfs.ts), 2 V is the most an operating point takes;
 *   frequenciesHz — each ≤ f_max at the highest voltage of the list (else no V/f pair is feasible);
 *   adcBits     — integers in 1 … the lossless resolution of the largest column the space allows
 *                 (`losslessAdcBits` of the largest crossbar and cell bits; above it is wasted);
 *   cellBits, dacBits-like counts — integers in the ranges validateHardwareConfig accepts;
 *   sizes (peRows, peCols, glbKiB, cimTiles, xbarSize, columnsPerAdc, nocLinkBits, nocVirtualChannels,
 *                 nocBufferFlits) — positive integers;
 *   engine lists (peRows … for an NPU, cimTiles … for CIM) only when the base has that engine.
 * Lists are non-empty, without duplicates, and at most MAX_CHOICES long.
 */
export const MAX_CHOICES = 64;

/** Integer-valued size lists and their bounds (max: what the model's config validator accepts, or a sanity bound). */
const SIZE_LISTS = {
  peRows: { engine: 'npu', min: 1, max: 1024 },
  peCols: { engine: 'npu', min: 1, max: 1024 },
  glbKiB: { engine: 'npu', min: 1, max: 1 << 20 },
  cimTiles: { engine: 'cim', min: 1, max: 1 << 20 },
  xbarSize: { engine: 'cim', min: 2, max: 4096 },
  cellBits: { engine: 'cim', min: 1, max: 8 },
  columnsPerAdc: { engine: 'cim', min: 1, max: 4096 },
  nocLinkBits: { engine: null, min: 1, max: 4096 },
  nocVirtualChannels: { engine: null, min: 1, max: 64 },
  nocBufferFlits: { engine: null, min: 1, max: 1024 },
} as const;

export const HARDWARE_SPACE_KEYS = [
  ...Object.keys(SIZE_LISTS), 'adcBits', 'voltagesV', 'frequenciesHz', 'mappings', 'dataflows', 'schemes', 'topologies', 'blocks', 'maxAreaMm2', 'dvfsDomains',
] as const;

/** hardwareSpace's defaults for lists a check depends on (space.ts). */
const DEFAULT_XBAR_SIZES = [64, 128, 256];
const DEFAULT_VOLTAGES_V = [0.6, 0.7, 0.8, 0.9, 1.0];

const SCHEMES: readonly Scheme[] = ['npu-only', 'cim-only', 'cim-static', 'per-layer', 'greedy-edp'];
const TOPOLOGIES: readonly Topology[] = ['mesh', 'torus', 'ring'];
/** The highest supply an operating point may have (validate.ts `point`). */
const MAX_VOLTAGE_V = 2;

function list(v: unknown, p: string, what: string): unknown[] {
  if (!Array.isArray(v) || v.length === 0) throw new ConfigError(p, v, `a non-empty list of ${what}`);
  if (v.length > MAX_CHOICES) throw new ConfigError(p, `a list of ${v.length}`, `at most ${MAX_CHOICES} choices`);
  v.forEach((x, i) => {
    if (v.indexOf(x) !== i) throw new ConfigError(`${p}[${i}]`, x, 'a choice not already in the list');
  });
  return v;
}

function numbers(v: unknown, p: string, check: (x: number) => string | null, what: string): number[] {
  const l = list(v, p, what);
  l.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ConfigError(`${p}[${i}]`, x, what.replace(/s$/, ''));
    const bad = check(x);
    if (bad) throw new ConfigError(`${p}[${i}]`, x, bad);
  });
  return l as number[];
}

function names<T extends string>(v: unknown, p: string, allowed: readonly T[], what: string): T[] {
  const l = list(v, p, what);
  l.forEach((x, i) => oneOf(x, `${p}[${i}]`, allowed));
  return l as T[];
}

function needs(engine: 'npu' | 'cim' | null, base: HardwareConfig, p: string, v: unknown): void {
  if (engine && !base[engine]) throw new ConfigError(p, v, `absent: the base hardware (${base.name}) has no ${engine.toUpperCase()} engine`);
}

/** Validates `hardware.space` against the base hardware; returns `hardwareSpace` options (without `base`). */
export function validateHardwareSpace(raw: unknown, base: HardwareConfig, p = 'hardware.space'): Omit<HardwareSpaceOptions, 'base'> {
  const o = asObject(raw ?? {}, p);
  rejectUnknownKeys(o, p, HARDWARE_SPACE_KEYS);
  const out: Omit<HardwareSpaceOptions, 'base'> = {};
  for (const [k, lim] of Object.entries(SIZE_LISTS)) {
    if (o[k] === undefined) continue;
    needs(lim.engine, base, `${p}.${k}`, o[k]);
    const range = `an integer in ${lim.min} … ${lim.max}`;
    (out as Record<string, unknown>)[k] = numbers(o[k], `${p}.${k}`, (x) => (Number.isInteger(x) && x >= lim.min && x <= lim.max ? null : range), 'positive integers');
  }
  if (base.cim && out.columnsPerAdc) {
    const cols = Math.max(...(out.xbarSize ?? DEFAULT_XBAR_SIZES));
    out.columnsPerAdc.forEach((c, i) => {
      if (c > cols) throw new ConfigError(`${p}.columnsPerAdc[${i}]`, c, `<= the crossbar columns (${cols})`);
    });
  }
  if (o.adcBits !== undefined) {
    needs('cim', base, `${p}.adcBits`, o.adcBits);
    const cim = base.cim!;
    let lossless = 1;
    for (const rows of out.xbarSize ?? DEFAULT_XBAR_SIZES) for (const cell of out.cellBits ?? [cim.cellBits]) lossless = Math.max(lossless, losslessAdcBits(rows, cim.dacBits, cell));
    const top = Math.min(16, lossless);
    out.adcBits = numbers(o.adcBits, `${p}.adcBits`, (x) => (Number.isInteger(x) && x >= 1 && x <= top
      ? null
      : `an integer in 1 … ${top} (the lossless resolution of a ${Math.max(...(out.xbarSize ?? DEFAULT_XBAR_SIZES))}-row column with ${cim.dacBits}-bit DACs and up to ${Math.max(...(out.cellBits ?? [cim.cellBits]))}-bit cells)`), 'integers');
  }
  const dv = base.dvfs;
  if (o.voltagesV !== undefined) {
    out.voltagesV = numbers(o.voltagesV, `${p}.voltagesV`, (x) => (x > dv.thresholdVoltageV && x <= MAX_VOLTAGE_V
      ? null
      : `a supply in the DVFS range (${dv.thresholdVoltageV}, ${MAX_VOLTAGE_V}] V: above the ${dv.thresholdVoltageV} V threshold of ${base.name}, at most ${MAX_VOLTAGE_V} V`), 'voltages');
  }
  if (o.frequenciesHz !== undefined) {
    const volts = out.voltagesV ?? DEFAULT_VOLTAGES_V;
    const vTop = Math.max(...volts);
    const fTop = maxFrequencyHz(vTop, dv.nominalVoltageV, dv.thresholdVoltageV, dv.alpha, dv.maxFrequencyAtNominalHz);
    out.frequenciesHz = numbers(o.frequenciesHz, `${p}.frequenciesHz`, (x) => (x > 0 && x <= fTop * (1 + 1e-9)
      ? null
      : `a clock in (0, ${fTop.toExponential(3)}] Hz: f_max at the highest voltage of ${o.voltagesV !== undefined ? `${p}.voltagesV` : 'the default voltages'} (${vTop} V, alpha-power law)`), 'frequencies in Hz');
  }
  if (o.mappings !== undefined) {
    needs('npu', base, `${p}.mappings`, o.mappings);
    out.mappings = names(o.mappings, `${p}.mappings`, [...universalTemplateNames(), 'auto'], 'mapping template names');
  }
  if (o.dataflows !== undefined) {
    needs('npu', base, `${p}.dataflows`, o.dataflows);
    const withTemplate = dataflowRegistry.names().filter((d) => mappingTemplates.some((t) => t.name === d));
    out.dataflows = names(o.dataflows, `${p}.dataflows`, withTemplate, 'dataflow names');
  }
  if (o.schemes !== undefined) {
    const ok = SCHEMES.filter((s) => (s === 'npu-only' ? !!base.npu : s === 'cim-only' ? !!base.cim : !!base.npu && !!base.cim));
    out.schemes = names(o.schemes, `${p}.schemes`, ok, 'execution schemes');
  }
  if (o.topologies !== undefined) out.topologies = names(o.topologies, `${p}.topologies`, TOPOLOGIES, 'NoC topologies');
  if (o.blocks !== undefined) {
    const l = list(o.blocks, `${p}.blocks`, 'block labels');
    l.forEach((x, i) => {
      if (typeof x !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(x)) throw new ConfigError(`${p}.blocks[${i}]`, x, 'a block label (letters, digits, ".", "_", "-")');
    });
    out.blocks = l as string[];
  }
  if (o.maxAreaMm2 !== undefined) out.maxAreaMm2 = numberField(o, 'maxAreaMm2', p, { above: 0, max: 1e6 });
  if (o.dvfsDomains !== undefined) out.dvfsDomains = oneOf(o.dvfsDomains, `${p}.dvfsDomains`, ['shared', 'separate'] as const);
  return out;
}
