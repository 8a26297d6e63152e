import {
  asObject, ConfigError, layerMacs, numberField, rejectUnknownKeys, type LayerSpec,
} from '@cosearch/core';
import { LINK_ENERGY_J_PER_BIT_MM_32NM, ROUTER_ENERGY_J_PER_BIT_32NM, cimCellAreaMm2, nodeEnergyScale } from '../tech';

/**
 * A spiking compute-in-memory tile (issue 18): one time step of a layer applies the presynaptic
 * spike vector to the crossbar rows as read pulses (all spiking rows at once), the columns'
 * currents charge integrate-and-fire (IF) neurons, and every output spike travels as an
 * address event (AER packet) over the NoC to the next layer's tile.
 *
 * Energy per image, per layer:
 * - crossbar read: V_read²·t_pulse·Σ G over the devices of every activated row (both devices of
 *   each differential pair); with measured activity the Σ G comes from the programmed
 *   conductances, else rows read × cols × (2·G_min + meanAbsWeight·(G_max − G_min));
 * - word-line driver: `wordlineDriverJ` per activated row;
 * - IF circuit: `integrateJ` per neuron per step (integration + comparator) + `fireJ` per output spike;
 * - NoC: every spike (input and each layer's output) is a `spikePacketBits` packet over `hops`
 *   hops: bits·((hops + 1)·E_router + hops·linkMm·E_link), the router and link energies of
 *   `tech.ts` scaled to `nodeNm`.
 * Latency per image = T × step time; one step runs the layers in sequence, a layer takes one
 * read pulse + IF evaluation per output position (a conv layer's positions share its crossbars
 * in turn) plus one NoC hop latency per layer. Power = energy / latency.
 * Area: crossbars (⌈rows/R⌉·⌈cols/C⌉ arrays of R×C pairs, 2 cells each) + one IF circuit per column.
 */
export interface SpikingTileConfig {
  /** Time steps T per image. */
  steps: number;
  /** Physical crossbar size (rows × columns of differential pairs). */
  crossbarRows: number;
  crossbarCols: number;
  gMinSiemens: number;
  gMaxSiemens: number;
  readVoltageV: number;
  readPulseS: number;
  /** Mean |w|/max|w| of the weights (sets the conductances when no measured Σ G is given). */
  meanAbsWeight: number;
  wordlineDriverJ: number;
  integrateJ: number;
  fireJ: number;
  /** IF evaluation time after the read pulse (compare, fire, reset). */
  ifDelayS: number;
  spikePacketBits: number;
  hops: number;
  linkLengthMm: number;
  hopLatencyS: number;
  nodeNm: number;
  /** IF circuit area per column. */
  ifAreaMm2: number;
  /** Default activity when none is measured: spike probability per input per step, first layer and the rest. */
  inputSpikeRate: number;
  hiddenSpikeRate: number;
}

/**
 * Defaults. Sources:
 * - device range 1–40 µS: cim-training's `rram-neurram-v1` preset (Wan et al., Nature 2022);
 * - read 0.2 V, 10 ns: RRAM inference reads stay at 0.1–0.3 V to avoid disturb (Yu, Proc. IEEE
 *   106(2), 2018); 10 ns assumed (a few RC constants of a 128-row bit line);
 * - word-line driver 50 fJ per row activation: C_WL ≈ 128 cells × 0.3 fF + driver ≈ 50 fF at 1 V
 *   (assumed, NeuroSim-style wire capacitance ~0.2 fF/µm);
 * - IF circuit: 100 fF membrane capacitor, 0.1 pJ per fire (C·V² at 1 V), 10 fJ per
 *   integration/comparison step (assumed; analog IF neurons are 0.1–1 pJ/spike, Indiveri et al.,
 *   Front. Neurosci. 5:73, 2011); 1 ns to compare and reset (assumed);
 * - AER packet 16 bits (the source neuron's address, up to 65,536 neurons per layer; address-event
 *   representation, Boahen, IEEE TCAS-II 47(5), 2000), 1 hop, 1 mm links, router/link energy of tech.ts (REFERENCES §4) at 32 nm,
 *   2 ns per hop (router pipeline at ~1 GHz, assumed);
 * - IF area 100 µm² per column at 32 nm (assumed, capacitor-dominated);
 * - default activity 0.1 / 0.05 spikes per neuron per step: of the order measured on MNIST by
 *   experiments/spiking (ISI input ≈ 0.13 of pixel intensity; hidden layers ≈ 0.02–0.1).
 */
export const SPIKING_TILE_DEFAULTS: Readonly<SpikingTileConfig> = Object.freeze({
  steps: 32,
  crossbarRows: 128,
  crossbarCols: 128,
  gMinSiemens: 1e-6,
  gMaxSiemens: 40e-6,
  readVoltageV: 0.2,
  readPulseS: 10e-9,
  meanAbsWeight: 0.1,
  wordlineDriverJ: 50e-15,
  integrateJ: 10e-15,
  fireJ: 100e-15,
  ifDelayS: 1e-9,
  spikePacketBits: 16,
  hops: 1,
  linkLengthMm: 1,
  hopLatencyS: 2e-9,
  nodeNm: 32,
  ifAreaMm2: 100e-6,
  inputSpikeRate: 0.1,
  hiddenSpikeRate: 0.05,
});

const FIELDS = Object.keys(SPIKING_TILE_DEFAULTS);

/** Validates a partial config (a `model` field must already be stripped); errors name the field. */
export function validateSpikingTileConfig(raw: unknown = {}, path = 'spikingTile'): SpikingTileConfig {
  const o = asObject(raw, path);
  rejectUnknownKeys(o, path, FIELDS);
  const d = SPIKING_TILE_DEFAULTS;
  const pos = { above: 0 };
  const cfg: SpikingTileConfig = {
    steps: numberField(o, 'steps', path, { integer: true, min: 1 }, d.steps),
    crossbarRows: numberField(o, 'crossbarRows', path, { integer: true, min: 1 }, d.crossbarRows),
    crossbarCols: numberField(o, 'crossbarCols', path, { integer: true, min: 1 }, d.crossbarCols),
    gMinSiemens: numberField(o, 'gMinSiemens', path, { min: 0 }, d.gMinSiemens),
    gMaxSiemens: numberField(o, 'gMaxSiemens', path, pos, d.gMaxSiemens),
    readVoltageV: numberField(o, 'readVoltageV', path, pos, d.readVoltageV),
    readPulseS: numberField(o, 'readPulseS', path, pos, d.readPulseS),
    meanAbsWeight: numberField(o, 'meanAbsWeight', path, { min: 0, max: 1 }, d.meanAbsWeight),
    wordlineDriverJ: numberField(o, 'wordlineDriverJ', path, { min: 0 }, d.wordlineDriverJ),
    integrateJ: numberField(o, 'integrateJ', path, { min: 0 }, d.integrateJ),
    fireJ: numberField(o, 'fireJ', path, { min: 0 }, d.fireJ),
    ifDelayS: numberField(o, 'ifDelayS', path, { min: 0 }, d.ifDelayS),
    spikePacketBits: numberField(o, 'spikePacketBits', path, { integer: true, min: 1 }, d.spikePacketBits),
    hops: numberField(o, 'hops', path, { min: 0 }, d.hops),
    linkLengthMm: numberField(o, 'linkLengthMm', path, { min: 0 }, d.linkLengthMm),
    hopLatencyS: numberField(o, 'hopLatencyS', path, { min: 0 }, d.hopLatencyS),
    nodeNm: numberField(o, 'nodeNm', path, { min: 3, max: 180 }, d.nodeNm),
    ifAreaMm2: numberField(o, 'ifAreaMm2', path, { min: 0 }, d.ifAreaMm2),
    inputSpikeRate: numberField(o, 'inputSpikeRate', path, { min: 0, max: 1 }, d.inputSpikeRate),
    hiddenSpikeRate: numberField(o, 'hiddenSpikeRate', path, { min: 0, max: 1 }, d.hiddenSpikeRate),
  };
  if (cfg.gMaxSiemens <= cfg.gMinSiemens) throw new ConfigError(`${path}.gMaxSiemens`, cfg.gMaxSiemens, `a number > gMinSiemens (${cfg.gMinSiemens})`);
  return cfg;
}

/** Measured activity of one layer for one image (e.g. from @cosearch/spiking's `evaluateSnn`). */
export interface SpikingLayerActivity {
  /** Spikes arriving at the layer's rows (its input spikes) and spikes it emits. */
  inputSpikes: number;
  outputSpikes: number;
  /** Row activations (an input spike of a conv layer activates one row per output position it feeds). */
  rowReads: number;
  /** Σ over row activations of the row's total conductance (S); omit to use meanAbsWeight. */
  rowReadSiemens?: number;
}

export interface SpikingLayerCost {
  name: string;
  engine: 'spiking-cim';
  macs: number;
  crossbars: number;
  rows: number;
  cols: number;
  positions: number;
  neurons: number;
  latencyS: number;
  energyJ: number;
  crossbarReadJ: number;
  wordlineJ: number;
  ifJ: number;
  nocJ: number;
  spikes: number;
}

export interface SpikingTileResult {
  latencyS: number;
  energyJ: number;
  areaMm2: number;
  powerW: number;
  macs: number;
  stepTimeS: number;
  /** All spikes per image: encoder spikes + every layer's output spikes. */
  spikesPerImage: number;
  energyPerSpikeJ: number;
  breakdown: { crossbarReadJ: number; wordlineJ: number; ifJ: number; nocJ: number };
  perLayer: SpikingLayerCost[];
}

/** Crossbar geometry of a weight layer: rows (fan-in), columns, output positions, neurons. */
export function spikingLayerGeometry(l: LayerSpec): { rows: number; cols: number; positions: number; inputs: number } {
  if (l.kind === 'dense') return { rows: l.inFeatures, cols: l.outFeatures, positions: l.batch, inputs: l.inFeatures * l.batch };
  if (l.kind === 'conv') {
    const g = l.groups ?? 1;
    return {
      rows: (l.kernelH * l.kernelW * l.inChannels) / g, cols: l.outChannels, positions: l.batch * l.outHeight * l.outWidth,
      inputs: l.batch * l.inHeight * l.inWidth * l.inChannels,
    };
  }
  if (l.kind === 'depthwise') {
    return { rows: l.kernelH * l.kernelW, cols: l.channels, positions: l.batch * l.outHeight * l.outWidth, inputs: l.batch * l.inHeight * l.inWidth * l.channels };
  }
  throw new ConfigError(`layers.${l.name}.kind`, l.kind, 'conv, depthwise or dense (a spiking crossbar tile runs weight layers only)');
}

/**
 * Cost of one image on spiking CIM tiles. `activity[l]` is the measured activity of layer l;
 * without it, each input fires with `inputSpikeRate` (first layer) or `hiddenSpikeRate` per
 * step, a layer's output spikes follow the next layer's rate (the last at hiddenSpikeRate), and
 * an input spike activates on average rows·positions/inputs rows (each row of a conv layer is
 * read once per output position).
 */
export function spikingTileCost(layers: readonly LayerSpec[], cfg: SpikingTileConfig, activity?: readonly SpikingLayerActivity[]): SpikingTileResult {
  const T = cfg.steps;
  const eScale = nodeEnergyScale(cfg.nodeNm) / nodeEnergyScale(32); // tech.ts router/link figures are for 32 nm
  const packetJ = cfg.spikePacketBits * ((cfg.hops + 1) * ROUTER_ENERGY_J_PER_BIT_32NM + cfg.hops * cfg.linkLengthMm * LINK_ENERGY_J_PER_BIT_MM_32NM) * eScale;
  const pairG = 2 * cfg.gMinSiemens + cfg.meanAbsWeight * (cfg.gMaxSiemens - cfg.gMinSiemens);
  const v2t = cfg.readVoltageV * cfg.readVoltageV * cfg.readPulseS;
  const geoms = layers.map(spikingLayerGeometry);
  const perLayer: SpikingLayerCost[] = [];
  let stepTimeS = 0;
  let spikes = 0;
  let areaMm2 = 0;
  const cell = cimCellAreaMm2('rram', cfg.nodeNm);
  layers.forEach((l, i) => {
    const g = geoms[i];
    const neurons = g.cols * g.positions;
    const a = activity?.[i];
    const inRate = i === 0 ? cfg.inputSpikeRate : cfg.hiddenSpikeRate;
    const inputSpikes = a ? a.inputSpikes : inRate * g.inputs * T;
    const outputSpikes = a ? a.outputSpikes : cfg.hiddenSpikeRate * neurons * T;
    const rowReads = a ? a.rowReads : (inputSpikes * g.rows * g.positions) / g.inputs;
    const sumG = a?.rowReadSiemens !== undefined ? a.rowReadSiemens : rowReads * g.cols * pairG;
    const crossbarReadJ = v2t * sumG;
    const wordlineJ = rowReads * cfg.wordlineDriverJ;
    const ifJ = neurons * T * cfg.integrateJ + outputSpikes * cfg.fireJ;
    // the first layer's encoder spikes travel to it; every layer's output spikes travel on
    const nocJ = ((i === 0 ? inputSpikes : 0) + outputSpikes) * packetJ;
    if (i === 0) spikes += inputSpikes;
    spikes += outputSpikes;
    const layerStepS = g.positions * (cfg.readPulseS + cfg.ifDelayS) + cfg.hopLatencyS;
    stepTimeS += layerStepS;
    const crossbars = Math.ceil(g.rows / cfg.crossbarRows) * Math.ceil(g.cols / cfg.crossbarCols);
    areaMm2 += crossbars * (cfg.crossbarRows * cfg.crossbarCols * 2 * cell + cfg.crossbarCols * cfg.ifAreaMm2);
    const energyJ = crossbarReadJ + wordlineJ + ifJ + nocJ;
    perLayer.push({
      name: l.name, engine: 'spiking-cim', macs: layerMacs(l), crossbars, rows: g.rows, cols: g.cols, positions: g.positions, neurons,
      latencyS: T * layerStepS, energyJ, crossbarReadJ, wordlineJ, ifJ, nocJ, spikes: outputSpikes,
    });
  });
  const sum = (k: 'crossbarReadJ' | 'wordlineJ' | 'ifJ' | 'nocJ') => perLayer.reduce((s, p) => s + p[k], 0);
  const energyJ = perLayer.reduce((s, p) => s + p.energyJ, 0);
  const latencyS = T * stepTimeS;
  return {
    latencyS,
    energyJ,
    areaMm2,
    powerW: latencyS > 0 ? energyJ / latencyS : 0,
    macs: perLayer.reduce((s, p) => s + p.macs, 0),
    stepTimeS,
    spikesPerImage: spikes,
    energyPerSpikeJ: spikes > 0 ? energyJ / spikes : 0,
    breakdown: { crossbarReadJ: sum('crossbarReadJ'), wordlineJ: sum('wordlineJ'), ifJ: sum('ifJ'), nocJ: sum('nocJ') },
    perLayer,
  };
}
