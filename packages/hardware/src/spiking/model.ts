import { prefixConfigError, registerHardwareModel, SearchSpace, stripModelField, type Candidate, type HardwareKnob, type HardwareModel, type LayerSpec } from '@cosearch/core';
import { spikingTileCost, validateSpikingTileConfig, type SpikingTileConfig, type SpikingTileResult } from './tile';

export const SPIKING_TILE_MODEL_ID = 'spiking-tile-v1';

/** Decisions the spiking tile adds to a joint search space, with their default choices. */
export const SPIKING_TILE_SPACE_DEFAULTS = {
  'spike.crossbar': [64, 128, 256],
  'spike.readPulseS': [5e-9, 10e-9, 20e-9],
  'spike.readVoltageV': [0.1, 0.2, 0.3],
} as const;

/** Candidate keys it understands: spike.crossbar (square size), spike.readPulseS, spike.readVoltageV, spike.steps. */
export function applySpikingTileCandidate(cfg: SpikingTileConfig, c: Readonly<Candidate>): SpikingTileConfig {
  const next: SpikingTileConfig = { ...cfg };
  if (c['spike.crossbar'] !== undefined) next.crossbarRows = next.crossbarCols = Number(c['spike.crossbar']);
  if (c['spike.readPulseS'] !== undefined) next.readPulseS = Number(c['spike.readPulseS']);
  if (c['spike.readVoltageV'] !== undefined) next.readVoltageV = Number(c['spike.readVoltageV']);
  if (c['spike.steps'] !== undefined) next.steps = Number(c['spike.steps']);
  return validateSpikingTileConfig(next);
}

function knob(name: string, set: (c: SpikingTileConfig, high: boolean) => void, effects: HardwareKnob['effects']): HardwareKnob<SpikingTileConfig> {
  return { name, effects, set: (cfg, high) => { const c = { ...cfg }; set(c, high); return validateSpikingTileConfig(c); } };
}

export const SPIKING_TILE_KNOBS: readonly HardwareKnob<SpikingTileConfig>[] = [
  knob('steps', (c, h) => { c.steps = h ? 64 : 8; }, [{ metric: 'latencyS', direction: 1 }, { metric: 'energyJ', direction: 1 }]),
  knob('readPulseS', (c, h) => { c.readPulseS = h ? 50e-9 : 5e-9; }, [{ metric: 'latencyS', direction: 1 }, { metric: 'energyJ', direction: 1 }]),
  knob('readVoltageV', (c, h) => { c.readVoltageV = h ? 0.4 : 0.1; }, [{ metric: 'energyJ', direction: 1 }]),
  knob('ifAreaMm2', (c, h) => { c.ifAreaMm2 = h ? 400e-6 : 25e-6; }, [{ metric: 'areaMm2', direction: 1 }]),
  knob('fireJ', (c, h) => { c.fireJ = h ? 1e-12 : 10e-15; }, [{ metric: 'energyJ', direction: 1 }, { metric: 'powerW', direction: 1 }]),
];

/** The spiking CIM tile behind core's hardware-model seam (default activity rates; see tile.ts). */
export const spikingTileModel: HardwareModel<SpikingTileConfig, SpikingTileResult> = {
  id: SPIKING_TILE_MODEL_ID,
  description: 'spiking CIM tile: crossbar row reads per spike, IF neurons, AER spike routing; latency = T × step time (@cosearch/hardware)',
  validateConfig: (raw, path) => prefixConfigError(path, () => validateSpikingTileConfig(stripModelField(raw ?? {}, SPIKING_TILE_MODEL_ID))),
  searchSpace: () =>
    new SearchSpace(Object.entries(SPIKING_TILE_SPACE_DEFAULTS).map(([name, choices]) => ({ name, phase: 'hardware', choices: [...choices] }))),
  applyCandidate: applySpikingTileCandidate,
  evaluate: (layers: readonly LayerSpec[], cfg: SpikingTileConfig) => spikingTileCost(layers, cfg),
  knobs: SPIKING_TILE_KNOBS,
};

registerHardwareModel(spikingTileModel);
