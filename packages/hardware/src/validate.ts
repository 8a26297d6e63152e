import {
  ConfigError, asObject, booleanField, numberField, oneOf, rejectUnknownKeys, stringField, type Obj,
} from '@cosearch/core';
import type {
  AssignedEngine, CimConfig, DistributionConfig, DvfsConfig, HardwareConfig, MappingConfig, NocConfig, NpuConfig, OperatingPoint, Placement,
} from './config';
import { dataflowRegistry } from './dataflows/registry';
import { maxFrequencyHz } from './dvfs';
import { customTemplate, isDirectiveText, mappingTemplateNames, templateOfDataflow } from './mapper/templates';

const POS = { above: 0 };
const POS_INT = { min: 1, integer: true };

function technology(o: Obj, p: string): HardwareConfig['technology'] {
  rejectUnknownKeys(o, p, ['nodeNm', 'leakageWPerMm2']);
  return { nodeNm: numberField(o, 'nodeNm', p, { min: 5, max: 180 }), leakageWPerMm2: numberField(o, 'leakageWPerMm2', p, { min: 0 }, 0) };
}

function point(o: Obj, p: string): OperatingPoint {
  rejectUnknownKeys(o, p, ['voltageV', 'frequencyHz']);
  return { voltageV: numberField(o, 'voltageV', p, { above: 0, max: 2 }), frequencyHz: numberField(o, 'frequencyHz', p, POS) };
}

/** DVFS: each domain's frequency must not exceed f_max(V) of the alpha-power law. */
function dvfs(o: Obj, p: string): DvfsConfig {
  rejectUnknownKeys(o, p, ['nominalVoltageV', 'thresholdVoltageV', 'alpha', 'maxFrequencyAtNominalHz', 'npu', 'cim', 'noc']);
  const d: DvfsConfig = {
    nominalVoltageV: numberField(o, 'nominalVoltageV', p, { above: 0, max: 2 }),
    thresholdVoltageV: numberField(o, 'thresholdVoltageV', p, { min: 0, max: 1 }),
    alpha: numberField(o, 'alpha', p, { min: 1, max: 2 }),
    maxFrequencyAtNominalHz: numberField(o, 'maxFrequencyAtNominalHz', p, POS),
    npu: point(asObject(o.npu, `${p}.npu`), `${p}.npu`),
    cim: point(asObject(o.cim, `${p}.cim`), `${p}.cim`),
    noc: point(asObject(o.noc, `${p}.noc`), `${p}.noc`),
  };
  for (const domain of ['npu', 'cim', 'noc'] as const) {
    const op = d[domain];
    const fMax = maxFrequencyHz(op.voltageV, d.nominalVoltageV, d.thresholdVoltageV, d.alpha, d.maxFrequencyAtNominalHz);
    if (op.frequencyHz > fMax * (1 + 1e-9)) {
      throw new ConfigError(`${p}.${domain}.frequencyHz`, op.frequencyHz,
        `<= f_max(${op.voltageV} V) = ${(fMax / 1e6).toFixed(0)} MHz (alpha-power law); raise ${p}.${domain}.voltageV or lower the frequency`);
    }
  }
  return d;
}

/**
 * The distribution network: `npu.distribution`, or for old configs the GLB ↔ array bandwidth
 * `npu.glbBandwidthBitsPerCycle` (one of the two names, not both) with default hops and latency.
 */
function distribution(o: Obj, p: string): DistributionConfig {
  const legacy = o.glbBandwidthBitsPerCycle !== undefined ? numberField(o, 'glbBandwidthBitsPerCycle', p, POS) : undefined;
  const dp = `${p}.distribution`;
  const d = o.distribution === undefined ? {} : asObject(o.distribution, dp);
  rejectUnknownKeys(d, dp, ['bandwidthBitsPerCycle', 'hops', 'hopLatencyCycles', 'multicast', 'spatialReduction']);
  if (legacy !== undefined && d.bandwidthBitsPerCycle !== undefined) {
    throw new ConfigError(`${p}.glbBandwidthBitsPerCycle`, legacy, `absent when ${dp}.bandwidthBitsPerCycle is given (it is the old name of that field)`);
  }
  if (legacy === undefined && d.bandwidthBitsPerCycle === undefined) {
    throw new ConfigError(`${dp}.bandwidthBitsPerCycle`, undefined, 'a number > 0 (bits per NPU cycle; old configs: npu.glbBandwidthBitsPerCycle)');
  }
  return {
    bandwidthBitsPerCycle: legacy ?? numberField(d, 'bandwidthBitsPerCycle', dp, POS),
    // One hop of one cycle per level by default (MAESTRO's defaults: --noc_hops=1, --noc_hop_latency=1).
    hops: numberField(d, 'hops', dp, { min: 0, integer: true }, 1),
    hopLatencyCycles: numberField(d, 'hopLatencyCycles', dp, { min: 0 }, 1),
    multicast: booleanField(d, 'multicast', dp, true),
    spatialReduction: booleanField(d, 'spatialReduction', dp, true),
  };
}

/** A template name, "auto", or directive text (parsed here so a syntax error names the field). */
function mappingField(v: unknown, path: string): string {
  if (typeof v === 'string' && isDirectiveText(v)) {
    customTemplate(v);
    return v;
  }
  return oneOf(v, path, ['auto', ...mappingTemplateNames()]);
}

function npu(o: Obj, p: string): NpuConfig {
  rejectUnknownKeys(o, p, ['dataflow', 'mapping', 'mapperObjective', 'peRows', 'peCols', 'rfBytes', 'glbBytes', 'glbBandwidthBitsPerCycle', 'distribution',
    'doubleBuffering', 'macEnergyJ', 'rfEnergyJPerBit', 'glbEnergyJPerBit']);
  const dataflow = oneOf(o.dataflow, `${p}.dataflow`, dataflowRegistry.names());
  const cfg: NpuConfig = {
    dataflow,
    mapping: o.mapping === undefined ? templateOfDataflow(dataflow) : mappingField(o.mapping, `${p}.mapping`),
    mapperObjective: o.mapperObjective === undefined ? 'edp' : oneOf(o.mapperObjective, `${p}.mapperObjective`, ['latency', 'energy', 'edp'] as const),
    peRows: numberField(o, 'peRows', p, POS_INT),
    peCols: numberField(o, 'peCols', p, POS_INT),
    rfBytes: numberField(o, 'rfBytes', p, POS_INT),
    glbBytes: numberField(o, 'glbBytes', p, POS_INT),
    distribution: distribution(o, p),
    doubleBuffering: booleanField(o, 'doubleBuffering', p, true),
  };
  for (const k of ['macEnergyJ', 'rfEnergyJPerBit', 'glbEnergyJPerBit'] as const) {
    if (o[k] !== undefined) cfg[k] = numberField(o, k, p, POS);
  }
  // A written mapping's numeric clusters must fit the array (layer-dependent checks run per layer).
  if (isDirectiveText(cfg.mapping)) {
    const pes = cfg.peRows * cfg.peCols;
    for (const d of customTemplate(cfg.mapping).build(customTemplate(cfg.mapping).appliesTo[0], { rows: cfg.peRows, cols: cfg.peCols }).directives) {
      if (d.kind === 'cluster' && typeof d.size === 'number' && d.size > pes) {
        throw new ConfigError(`${p}.mapping`, cfg.mapping, `a mapping whose clusters fit the array (Cluster(${d.size}) above the ${pes} PEs of ${cfg.peRows}×${cfg.peCols})`);
      }
    }
  }
  return cfg;
}

function cim(o: Obj, p: string): CimConfig {
  rejectUnknownKeys(o, p, ['cellTech', 'tiles', 'rows', 'cols', 'cellBits', 'adcBits', 'dacBits', 'columnsPerAdc', 'gMinSiemens', 'gMaxSiemens',
    'readVoltageV', 'readPulseS', 'differential', 'writeEnergyPerCellJ', 'writeTimePerRowS', 'bufferBytes', 'adcEnergyJ']);
  const cfg: CimConfig = {
    cellTech: oneOf(o.cellTech, `${p}.cellTech`, ['rram', 'sram'] as const),
    tiles: numberField(o, 'tiles', p, POS_INT),
    rows: numberField(o, 'rows', p, POS_INT),
    cols: numberField(o, 'cols', p, POS_INT),
    cellBits: numberField(o, 'cellBits', p, { min: 1, max: 8, integer: true }),
    adcBits: numberField(o, 'adcBits', p, { min: 1, max: 16, integer: true }),
    dacBits: numberField(o, 'dacBits', p, { min: 1, max: 8, integer: true }),
    columnsPerAdc: numberField(o, 'columnsPerAdc', p, POS_INT),
    gMinSiemens: numberField(o, 'gMinSiemens', p, { min: 0 }),
    gMaxSiemens: numberField(o, 'gMaxSiemens', p, POS),
    readVoltageV: numberField(o, 'readVoltageV', p, POS),
    readPulseS: numberField(o, 'readPulseS', p, POS),
    differential: booleanField(o, 'differential', p, true),
    writeEnergyPerCellJ: numberField(o, 'writeEnergyPerCellJ', p, { min: 0 }),
    writeTimePerRowS: numberField(o, 'writeTimePerRowS', p, { min: 0 }),
    bufferBytes: numberField(o, 'bufferBytes', p, POS_INT),
  };
  if (cfg.gMaxSiemens <= cfg.gMinSiemens) throw new ConfigError(`${p}.gMaxSiemens`, cfg.gMaxSiemens, `> gMinSiemens (${cfg.gMinSiemens})`);
  if (cfg.columnsPerAdc > cfg.cols) throw new ConfigError(`${p}.columnsPerAdc`, cfg.columnsPerAdc, `<= cols (${cfg.cols})`);
  if (o.adcEnergyJ !== undefined) cfg.adcEnergyJ = numberField(o, 'adcEnergyJ', p, POS);
  return cfg;
}

function coord(v: unknown, p: string, k: number): [number, number] {
  const ok = Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x) && x >= 0 && x < k);
  if (!ok) throw new ConfigError(p, v, `[x, y] router coordinates, integers 0..${k - 1}`);
  return [v[0], v[1]] as [number, number];
}

function noc(o: Obj, p: string): NocConfig {
  rejectUnknownKeys(o, p, ['topology', 'k', 'linkWidthBits', 'flitBits', 'packetFlits', 'routerStages', 'virtualChannels', 'bufferDepthFlits', 'linkLengthMm', 'placement']);
  const k = numberField(o, 'k', p, { min: 1, max: 64, integer: true });
  const pl = asObject(o.placement, `${p}.placement`);
  rejectUnknownKeys(pl, `${p}.placement`, ['npu', 'cim', 'dram']);
  const placement: Placement = {
    npu: coord(pl.npu, `${p}.placement.npu`, k), cim: coord(pl.cim, `${p}.placement.cim`, k), dram: coord(pl.dram, `${p}.placement.dram`, k),
  };
  return {
    topology: oneOf(o.topology, `${p}.topology`, ['mesh', 'torus', 'ring'] as const),
    k,
    linkWidthBits: numberField(o, 'linkWidthBits', p, POS_INT),
    flitBits: numberField(o, 'flitBits', p, POS_INT),
    packetFlits: numberField(o, 'packetFlits', p, POS_INT),
    routerStages: numberField(o, 'routerStages', p, POS_INT),
    virtualChannels: numberField(o, 'virtualChannels', p, POS_INT),
    bufferDepthFlits: numberField(o, 'bufferDepthFlits', p, POS_INT),
    linkLengthMm: numberField(o, 'linkLengthMm', p, POS),
    placement,
  };
}

function mapping(o: Obj, p: string, hasNpu: boolean, hasCim: boolean): MappingConfig {
  rejectUnknownKeys(o, p, ['scheme', 'assignment', 'defaultEngine', 'transferVia', 'pipeline']);
  const scheme = oneOf(o.scheme, `${p}.scheme`, ['npu-only', 'cim-only', 'cim-static', 'per-layer', 'greedy-edp'] as const);
  const engines: AssignedEngine[] = [...(hasNpu ? ['npu' as const] : []), ...(hasCim ? ['cim' as const] : [])];
  if (scheme === 'npu-only' && !hasNpu) throw new ConfigError(`${p}.scheme`, scheme, 'a scheme this chip supports (it has no npu section)');
  if (scheme !== 'npu-only' && !hasCim) throw new ConfigError(`${p}.scheme`, scheme, '"npu-only" (this chip has no cim section)');
  const assignment: Record<string, AssignedEngine> = {};
  if (o.assignment !== undefined) {
    const a = asObject(o.assignment, `${p}.assignment`);
    for (const [key, v] of Object.entries(a)) assignment[key] = oneOf(v, `${p}.assignment.${key}`, engines);
  }
  const dflt = o.defaultEngine === undefined ? engines[0] : oneOf(o.defaultEngine, `${p}.defaultEngine`, engines);
  return {
    scheme,
    assignment,
    defaultEngine: dflt,
    transferVia: o.transferVia === undefined ? 'noc' : oneOf(o.transferVia, `${p}.transferVia`, ['noc', 'dram'] as const),
    pipeline: booleanField(o, 'pipeline', p, false),
  };
}

/** Objects merge key by key; anything else (numbers, strings, arrays) in `over` replaces `base`. */
function deepMerge(base: unknown, over: unknown): unknown {
  const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(base) || !isObj(over)) return over;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

/**
 * Validates an untrusted hardware config (e.g. a parsed JSON file) and returns it typed. Errors
 * name the field path, the value and what is allowed (`ConfigError`). An infeasible DVFS point
 * (f above the alpha-power-law f_max(V)) is rejected here. `{ "extends": "<preset>", ... }` starts
 * from a preset and deep-merges the other fields into it (`extendsPreset` resolves the name).
 */
export function validateHardwareConfig(raw: unknown, extendsPreset?: (name: string) => HardwareConfig): HardwareConfig {
  let o = asObject(raw, 'hardware');
  if (o.extends !== undefined) {
    if (typeof o.extends !== 'string' || !extendsPreset) throw new ConfigError('extends', o.extends, 'the name of a hardware preset');
    const { extends: name, ...rest } = o;
    o = asObject(deepMerge(extendsPreset(name as string), rest), 'hardware');
  }
  rejectUnknownKeys(o, '', ['name', 'technology', 'dvfs', 'npu', 'cim', 'vector', 'dram', 'noc', 'mapping']);
  if (o.npu === undefined && o.cim === undefined) throw new ConfigError('npu', undefined, 'an npu section, a cim section, or both');
  const vec = asObject(o.vector, 'vector');
  rejectUnknownKeys(vec, 'vector', ['lanes']);
  const dr = asObject(o.dram, 'dram');
  rejectUnknownKeys(dr, 'dram', ['bandwidthBytesPerS', 'energyJPerBit']);
  const cfg: HardwareConfig = {
    name: stringField(o, 'name', '', 'custom'),
    technology: technology(asObject(o.technology, 'technology'), 'technology'),
    dvfs: dvfs(asObject(o.dvfs, 'dvfs'), 'dvfs'),
    vector: { lanes: numberField(vec, 'lanes', 'vector', POS_INT) },
    dram: { bandwidthBytesPerS: numberField(dr, 'bandwidthBytesPerS', 'dram', POS), energyJPerBit: numberField(dr, 'energyJPerBit', 'dram', { min: 0 }) },
    noc: noc(asObject(o.noc, 'noc'), 'noc'),
    mapping: mapping(asObject(o.mapping, 'mapping'), 'mapping', o.npu !== undefined, o.cim !== undefined),
  };
  if (o.npu !== undefined) cfg.npu = npu(asObject(o.npu, 'npu'), 'npu');
  if (o.cim !== undefined) cfg.cim = cim(asObject(o.cim, 'cim'), 'cim');
  return cfg;
}
