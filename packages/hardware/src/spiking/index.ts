export {
  SPIKING_TILE_DEFAULTS, validateSpikingTileConfig, spikingTileCost, spikingLayerGeometry,
  type SpikingTileConfig, type SpikingLayerActivity, type SpikingLayerCost, type SpikingTileResult,
} from './tile';
export { spikingTileModel, SPIKING_TILE_MODEL_ID, SPIKING_TILE_KNOBS, SPIKING_TILE_SPACE_DEFAULTS, applySpikingTileCandidate } from './model';
export { PAPER_SPIKING_FIGURES } from './paper';
