import { SearchSpace, type Candidate, type Choice, type Constraint, type Decision } from '@cosearch/core';
import type { HardwareConfig, Scheme, Topology } from './config';
import { templateOfDataflow, universalTemplateNames } from './mapper/templates';
import { maxFrequencyHz } from './dvfs';
import { losslessAdcBits } from './crossbar';
import { totalAreaMm2 } from './area';
import { getHardwarePreset } from './presets';
import { validateHardwareConfig } from './validate';

/** Choices of each hardware decision; every list is optional (defaults below). */
export interface HardwareSpaceOptions {
  /** Config the candidate modifies (default 'edge-npu-cim-v1'); fixes the DVFS law and the engines present. */
  base?: HardwareConfig;
  /**
   * NPU mapping choices: template names and "auto" (default: the templates that apply to every
   * layer kind, and "auto").
   */
  mappings?: string[];
  /** Legacy: adds an `hw.dataflow` decision (setting it also sets the mapping to the dataflow's template). */
  dataflows?: string[];
  peRows?: number[];
  peCols?: number[];
  glbKiB?: number[];
  cimTiles?: number[];
  /** Crossbar rows = cols. */
  xbarSize?: number[];
  adcBits?: number[];
  /** Bits per CIM cell (opt-in decision `hw.cellBits`: fewer bits = more weight slices and columns). */
  cellBits?: number[];
  columnsPerAdc?: number[];
  schemes?: Scheme[];
  voltagesV?: number[];
  frequenciesHz?: number[];
  topologies?: Topology[];
  nocLinkBits?: number[];
  nocVirtualChannels?: number[];
  nocBufferFlits?: number[];
  /** Block labels: adds one `engine.<block>` decision each (phase 'system'), used by scheme 'per-layer'. */
  blocks?: string[];
  /** Adds an 'area-budget' constraint on the candidate's total area, mm². */
  maxAreaMm2?: number;
  /**
   * 'shared' (default): one V/f point (`sys.voltageV`, `sys.frequencyHz`) for every domain;
   * 'separate': `sys.<domain>VoltageV` / `sys.<domain>FrequencyHz` for npu, cim and noc.
   */
  dvfsDomains?: 'shared' | 'separate';
}

/** GLB bytes per PE below which the array starves (rule of thumb: Eyeriss ≈ 650, TPU v1 ≈ 380, NVDLA-small ≈ 2000). */
export const MIN_GLB_BYTES_PER_PE = 64;

const d = (name: string, phase: string, choices: readonly Choice[], description: string): Decision => ({ name, phase, choices, description });

/**
 * The hardware fragment of the joint search space: phase 'hardware' (NPU mapping and array,
 * GLB, CIM tiles, crossbar size, ADC) and phase 'system' (execution scheme, V/f point shared by the
 * domains or one per domain, NoC topology/width/VCs/buffers, per-block engines), with the
 * constraints that make a combination infeasible. `applyHardwareCandidate` turns a candidate into a config.
 */
export function hardwareSpace(options: HardwareSpaceOptions = {}): SearchSpace {
  const base = options.base ?? getHardwarePreset('edge-npu-cim-v1');
  const decisions: Decision[] = [];
  const constraints: Constraint[] = [];
  if (base.npu) {
    if (options.dataflows) decisions.push(d('hw.dataflow', 'hardware', options.dataflows, 'NPU dataflow (its mapping template)'));
    decisions.push(
      d('hw.mapping', 'hardware', options.mappings ?? [...universalTemplateNames(), 'auto'], 'NPU mapping: a template, or auto (the mapper picks per layer)'),
      d('hw.peRows', 'hardware', options.peRows ?? [8, 12, 16, 32], 'NPU PE array rows'),
      d('hw.peCols', 'hardware', options.peCols ?? [8, 14, 16, 32], 'NPU PE array columns'),
      d('hw.glbKiB', 'hardware', options.glbKiB ?? [32, 64, 128, 256, 512], 'NPU global buffer, KiB'),
    );
    constraints.push({
      name: 'glb-too-small',
      decisions: ['hw.glbKiB', 'hw.peRows', 'hw.peCols'],
      check: (c) => {
        if (c['hw.glbKiB'] === undefined || c['hw.peRows'] === undefined || c['hw.peCols'] === undefined) return null;
        const pes = (c['hw.peRows'] as number) * (c['hw.peCols'] as number);
        const need = (pes * MIN_GLB_BYTES_PER_PE) / 1024;
        return (c['hw.glbKiB'] as number) < need ? `${c['hw.glbKiB']} KiB GLB < ${need} KiB for ${pes} PEs (${MIN_GLB_BYTES_PER_PE} B/PE)` : null;
      },
    });
  }
  if (base.cim) {
    decisions.push(
      d('hw.cimTiles', 'hardware', options.cimTiles ?? [64, 256, 1024, 4096], 'CIM crossbar arrays'),
      d('hw.xbarSize', 'hardware', options.xbarSize ?? [64, 128, 256], 'crossbar rows = columns'),
      d('hw.adcBits', 'hardware', options.adcBits ?? [3, 4, 5, 6, 7, 8], 'ADC resolution, bits'),
      d('hw.columnsPerAdc', 'hardware', options.columnsPerAdc ?? [1, 4, 8, 16], 'columns sharing one ADC'),
      ...(options.cellBits ? [d('hw.cellBits', 'hardware', options.cellBits, 'bits per CIM cell')] : []),
    );
    const cim = base.cim;
    constraints.push({
      name: 'adc-above-lossless',
      decisions: ['hw.adcBits', 'hw.xbarSize', ...(options.cellBits ? ['hw.cellBits'] : [])],
      check: (c) => {
        if (c['hw.adcBits'] === undefined || c['hw.xbarSize'] === undefined) return null;
        if (options.cellBits && c['hw.cellBits'] === undefined) return null;
        const max = losslessAdcBits(c['hw.xbarSize'] as number, cim.dacBits, (c['hw.cellBits'] as number | undefined) ?? cim.cellBits);
        return (c['hw.adcBits'] as number) > max ? `${c['hw.adcBits']}-bit ADC exceeds the lossless ${max} bits of a ${c['hw.xbarSize']}-row column` : null;
      },
    });
  }
  const schemes: Scheme[] = options.schemes ?? (base.npu && base.cim
    ? ['npu-only', 'cim-only', 'cim-static', 'greedy-edp', ...(options.blocks?.length ? ['per-layer' as const] : [])]
    : base.npu ? ['npu-only'] : ['cim-only']);
  const dv = base.dvfs;
  const volts = options.voltagesV ?? [0.6, 0.7, 0.8, 0.9, 1.0];
  const freqs = options.frequenciesHz ?? [200e6, 400e6, 600e6, 800e6, 1e9];
  const vfPairs: [string, string, string][] = options.dvfsDomains === 'separate'
    ? (['npu', 'cim', 'noc'] as const).filter((dom) => dom === 'noc' || base[dom] !== undefined).map((dom) => [`sys.${dom}VoltageV`, `sys.${dom}FrequencyHz`, dom])
    : [['sys.voltageV', 'sys.frequencyHz', 'every domain']];
  decisions.push(d('sys.scheme', 'system', schemes, 'execution scheme (engine per layer)'));
  for (const [v, f, dom] of vfPairs) {
    decisions.push(d(v, 'system', volts, `supply of ${dom}, V`), d(f, 'system', freqs, `clock of ${dom}, Hz`));
  }
  decisions.push(
    d('sys.nocTopology', 'system', options.topologies ?? ['mesh', 'torus', 'ring'], 'NoC topology'),
    d('sys.nocLinkBits', 'system', options.nocLinkBits ?? [32, 64, 128, 256], 'NoC link width = flit size, bits'),
    d('sys.nocVcs', 'system', options.nocVirtualChannels ?? [1, 2, 4], 'virtual channels per port'),
    d('sys.nocBufferFlits', 'system', options.nocBufferFlits ?? [2, 4, 8], 'buffer depth per VC, flits'),
  );
  for (const b of options.blocks ?? []) {
    decisions.push(d(`engine.${b}`, 'system', base.npu ? ['npu', 'cim'] : ['cim'], `engine of block ${b} (scheme per-layer)`));
  }
  for (const [vName, fName, dom] of vfPairs) {
    constraints.push({
      name: vfPairs.length > 1 ? `vf-infeasible-${dom}` : 'vf-infeasible',
      decisions: [vName, fName],
      check: (c) => {
        if (c[vName] === undefined || c[fName] === undefined) return null;
        const v = c[vName] as number;
        const fMax = maxFrequencyHz(v, dv.nominalVoltageV, dv.thresholdVoltageV, dv.alpha, dv.maxFrequencyAtNominalHz);
        return (c[fName] as number) > fMax * (1 + 1e-9) ? `${(c[fName] as number) / 1e6} MHz > f_max(${v} V) = ${(fMax / 1e6).toFixed(0)} MHz` : null;
      },
    });
  }
  if (options.maxAreaMm2 !== undefined) {
    const budget = options.maxAreaMm2;
    const names = decisions.filter((x) => x.phase === 'hardware' || x.name.startsWith('sys.noc')).map((x) => x.name);
    // For decisions not yet assigned, the choice with the least area (each varied alone from the
    // base): the check then tests a lower bound, so a sequential sampler never reaches a dead end.
    const cheapest: Candidate = {};
    for (const n of names) {
      const dec = decisions.find((x) => x.name === n)!;
      let best = dec.choices[0];
      let bestArea = Infinity;
      for (const ch of dec.choices) {
        const a = totalAreaMm2(applyDecisions(base, { [n]: ch }));
        if (a < bestArea) { bestArea = a; best = ch; }
      }
      cheapest[n] = best;
    }
    constraints.push({
      name: 'area-budget',
      decisions: names,
      check: (c) => {
        const full: Candidate = { ...cheapest };
        for (const n of names) if (c[n] !== undefined) full[n] = c[n] as Choice;
        const a = totalAreaMm2(applyDecisions(base, full));
        return a > budget ? `area ${a.toFixed(2)} mm² > budget ${budget} mm²${names.every((n) => c[n] !== undefined) ? '' : ' (lower bound)'}` : null;
      },
    });
  }
  return new SearchSpace(decisions, constraints);
}

/**
 * Writes the candidate's hardware decisions into a copy of `base` (no validation). Only the
 * sections a decision touches are copied (shallow spreads); `base` is never modified.
 */
function applyDecisions(base: HardwareConfig, c: Candidate): HardwareConfig {
  const num = (k: string) => c[k] as number;
  const has = (k: string) => c[k] !== undefined;
  const hw: HardwareConfig = { ...base };
  if (base.npu && (has('hw.dataflow') || has('hw.mapping') || has('hw.peRows') || has('hw.peCols') || has('hw.glbKiB'))) {
    const npu = (hw.npu = { ...base.npu });
    if (has('hw.dataflow')) {
      npu.dataflow = c['hw.dataflow'] as string;
      npu.mapping = templateOfDataflow(npu.dataflow);
    }
    if (has('hw.mapping')) npu.mapping = c['hw.mapping'] as string;
    if (has('hw.peRows')) npu.peRows = num('hw.peRows');
    if (has('hw.peCols')) npu.peCols = num('hw.peCols');
    if (has('hw.glbKiB')) npu.glbBytes = num('hw.glbKiB') * 1024;
  }
  if (base.cim && (has('hw.cimTiles') || has('hw.xbarSize') || has('hw.adcBits') || has('hw.columnsPerAdc') || has('hw.cellBits'))) {
    const cim = (hw.cim = { ...base.cim });
    if (has('hw.cimTiles')) cim.tiles = num('hw.cimTiles');
    if (has('hw.xbarSize')) cim.rows = cim.cols = num('hw.xbarSize');
    if (has('hw.adcBits')) cim.adcBits = num('hw.adcBits');
    if (has('hw.cellBits')) cim.cellBits = num('hw.cellBits');
    if (has('hw.columnsPerAdc')) cim.columnsPerAdc = Math.min(num('hw.columnsPerAdc'), cim.cols);
  }
  hw.dvfs = { ...base.dvfs };
  for (const dom of ['npu', 'cim', 'noc'] as const) {
    const p = (hw.dvfs[dom] = { ...base.dvfs[dom] });
    if (has('sys.voltageV')) p.voltageV = num('sys.voltageV');
    if (has('sys.frequencyHz')) p.frequencyHz = num('sys.frequencyHz');
    if (has(`sys.${dom}VoltageV`)) p.voltageV = num(`sys.${dom}VoltageV`);
    if (has(`sys.${dom}FrequencyHz`)) p.frequencyHz = num(`sys.${dom}FrequencyHz`);
  }
  const noc = (hw.noc = { ...base.noc });
  if (has('sys.nocTopology')) noc.topology = c['sys.nocTopology'] as Topology;
  if (has('sys.nocLinkBits')) noc.linkWidthBits = noc.flitBits = num('sys.nocLinkBits');
  if (has('sys.nocVcs')) noc.virtualChannels = num('sys.nocVcs');
  if (has('sys.nocBufferFlits')) noc.bufferDepthFlits = num('sys.nocBufferFlits');
  const mapping = (hw.mapping = { ...base.mapping, assignment: { ...base.mapping.assignment } });
  if (has('sys.scheme')) mapping.scheme = c['sys.scheme'] as Scheme;
  for (const k in c) {
    if (k.startsWith('engine.')) mapping.assignment[k.slice('engine.'.length)] = c[k] as 'npu' | 'cim';
  }
  return hw;
}

/**
 * A config from `base` with the candidate's hardware decisions applied (`hw.*`, `sys.*`,
 * `engine.<block>`; other keys, e.g. network decisions, are ignored). The result is validated:
 * an infeasible V/f point throws a `ConfigError` naming `dvfs.<domain>.frequencyHz`.
 */
export function applyHardwareCandidate(base: HardwareConfig, candidate: Readonly<Candidate>): HardwareConfig {
  return validateHardwareConfig(applyDecisions(base, candidate as Candidate));
}
