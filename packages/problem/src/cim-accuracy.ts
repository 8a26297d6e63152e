import { ConfigError, Rng, hashString, type CimTileParams } from '@cosearch/core';
import { createTileSimulator, programWeights, resolveDevice, validateTile } from '@cosearch/cim-training';
import { archKey, evaluateSubnet, layerOfParam, type LinearOverride, type Supernet, type SubnetArch } from '@cosearch/supernet';
import type { ImageSet } from '@cosearch/datasets';
import type { CimAccuracy } from './cosearch-config';

/** Accuracy of a design with its CIM-mapped layers simulated: mean ± std over chips, and the clean accuracy. */
export interface CimAccuracyResult {
  accuracy: number;
  std: number;
  clean: number;
}

/** What decides a CIM accuracy (the memo key): arch, CIM layer set, tile parameters, device and bits. */
export function cimAccuracyKey(arch: SubnetArch, cimLayers: readonly string[], tile: CimTileParams | null, cim: CimAccuracy): string {
  const t = tile
    ? [tile.rows, tile.cols, tile.cellBits, tile.adcBits, tile.dacBits, tile.columnsPerAdc, tile.gMinSiemens, tile.gMaxSiemens, tile.differential ? 1 : 0].join(',')
    : '-';
  return `cim:${cim.model}:${archKey(arch)}:${[...cimLayers].sort().join(',')}:${t}:${cim.device}:${cim.inputBits}/${cim.weightBits}:${cim.programmingNoise}/${cim.stuckProbability}/${cim.readNoise}:${cim.adcRange}:${cim.samples}`;
}

export type CimAccuracyFn = (arch: SubnetArch, cimLayers: readonly string[], tile: CimTileParams | null, clean: number) => Promise<CimAccuracyResult>;

/**
 * The accuracy model of `accuracy.cim`, memoised per worker by `cimAccuracyKey`:
 * - `tile-v1` (default): the CIM-mapped layers run through cim-training's tile simulator with the
 *   candidate's own tile (`cimTileParams` of its hardware config): DAC-sliced activations,
 *   bit-sliced differential weights, crossbar row tiles, an ADC per column partial sum,
 *   shift-and-add, and programming noise / stuck devices sampled per simulated chip;
 * - `weights-v1` (the earlier model): only the weights of CIM-mapped layers are replaced by
 *   their read-back from a programmed array (`programWeights`); the tile does not matter.
 * Each chip's randomness forks from a hash of the key, so the same design gets the same figure
 * in any worker and in any order. Layer names are the supernet's LayerSpec names (the runner
 * joins them to parameters with the supernet's own `layerOfParam`).
 */
export function createCimAccuracy(net: Supernet, evalSet: ImageSet, calibration: ImageSet, cim: CimAccuracy): CimAccuracyFn {
  const memo = new Map<string, CimAccuracyResult>();
  const device = resolveDevice(cim.device);
  return async (arch, cimLayers, tile, clean) => {
    const key = cimAccuracyKey(arch, cimLayers, tile, cim);
    const hit = memo.get(key);
    if (hit) return hit;
    const onCim = new Set(cimLayers);
    const root = new Rng(hashString(key) | 0);
    const accs: number[] = [];
    for (let chip = 0; chip < cim.chips; chip++) {
      const chipRng = root.fork(`chip-${chip}`);
      if (cim.model === 'tile-v1') {
        if (!tile) throw new Error('accuracy.cim.model "tile-v1" needs a hardware config with a CIM engine');
        const sim = createTileSimulator({
          tile, device, inputBits: cim.inputBits, weightBits: cim.weightBits, rng: chipRng, layers: onCim,
          ...(cim.programmingNoise !== null ? { programmingNoise: cim.programmingNoise } : {}),
          ...(cim.stuckProbability !== null ? { stuckProbability: cim.stuckProbability } : {}),
          readNoise: cim.readNoise,
          adcRange: cim.adcRange,
        });
        try {
          const linearOverride: LinearOverride = (op, x, w) => sim.linear(op, x, w);
          const r = await evaluateSubnet(net, arch, evalSet, { calibration, linearOverride });
          accs.push(r.accuracy);
        } finally {
          sim.dispose();
        }
      } else {
        const r = await evaluateSubnet(net, arch, evalSet, {
          calibration,
          weightTransform: (name, w) => {
            const layer = layerOfParam(net.config, name);
            return layer !== undefined && onCim.has(layer)
              ? programWeights(w, {
                  device, rng: chipRng.fork(name), weightBits: cim.weightBits,
                  ...(cim.programmingNoise !== null ? { programmingNoise: cim.programmingNoise } : {}),
                  ...(cim.stuckProbability !== null ? { stuckProbability: cim.stuckProbability } : {}),
                })
              : w;
          },
        });
        accs.push(r.accuracy);
      }
    }
    const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
    const std = Math.sqrt(accs.reduce((a, b) => a + (b - mean) ** 2, 0) / accs.length);
    const out = { accuracy: mean, std, clean };
    memo.set(key, out);
    return out;
  };
}

/**
 * Fails at config time, with one line naming the experiment field, for tile parameters the
 * accuracy model cannot realise (0 ADC bits, more bits per cell than the device has states,
 * more DAC bits than activation bits, ...): `fieldOf` maps the tile field to the config path.
 */
export function checkCimTile(tile: CimTileParams, cim: CimAccuracy, fieldOf: (tileField: string) => string): void {
  try {
    validateTile(tile, cim.device, cim.inputBits, cim.weightBits);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const f = err.field.startsWith('tile.') ? fieldOf(err.field.slice(5)) : `accuracy.cim.${err.field}`;
    throw new ConfigError(f, err.value, err.allowed);
  }
}
