import { asObject, checkNumber, ConfigError, type CimTileParams } from '@cosearch/core';
import { resolveDevice } from '../devices/presets';
import type { DeviceParams } from '../devices/types';

/**
 * ADC bits that keep a column sum exact (ISAAC, Shafiee et al., ISCA 2016, §5):
 * log2(rows) + b_dac + b_cell, minus 1 when either the DAC or the cell is 1 bit. The same rule
 * as @cosearch/hardware's `losslessAdcBits` (restated here: cim-training may not import the
 * hardware package; a test that the two agree belongs where both are wired, in the runner).
 */
export function losslessAdcBits(rows: number, dacBits: number, cellBits: number): number {
  return Math.ceil(Math.log2(rows)) + dacBits + cellBits - (dacBits === 1 || cellBits === 1 ? 1 : 0);
}

/**
 * Conductance states one device can be programmed to: `levels` is the number of pulses from
 * G_min to G_max (DeviceParams), so a device has levels + 1 distinguishable states, and a cell
 * of c bits needs 2^c of them: c ≤ ⌊log2(levels + 1)⌋ (rram-neurram-v1: 16 states → 4 bits).
 */
export function maxCellBits(device: DeviceParams): number {
  return Math.floor(Math.log2(Math.round(device.levels) + 1) + 1e-9);
}

/** The largest column sum a tile can produce, in unit products: rows·(2^dac − 1)·(2^cell − 1). */
export function maxColumnSum(rowsUsed: number, dacBits: number, cellBits: number): number {
  return rowsUsed * (2 ** dacBits - 1) * (2 ** cellBits - 1);
}

/**
 * ADC step (LSB) in unit products for a column with `rowsUsed` connected rows. Convention
 * (stated in the README): the full scale is the largest possible column sum of those rows
 * (times `fullScaleFrac`), split into 2^b − 1 uniform steps (NeuroSim's uniform partial-sum
 * quantisation, ISAAC's full-scale sizing), but never finer than one unit product: an ADC with
 * codes to spare resolves single steps exactly, so b ≥ losslessAdcBits reproduces the digital
 * sum. Codes are round-to-nearest (halves up) and clipped to [0, 2^b − 1]. `sliceTop`: the
 * digit at G_max of the column's slice (default a full cell, 2^c − 1; see `sliceTops`) — the
 * full-scale current is the same, counted in that slice's digits.
 */
export function adcStep(rowsUsed: number, tile: Pick<CimTileParams, 'adcBits' | 'dacBits' | 'cellBits'>, fullScaleFrac = 1, sliceTop = 2 ** tile.cellBits - 1): number {
  return Math.max(1, (fullScaleFrac * rowsUsed * (2 ** tile.dacBits - 1) * sliceTop) / (2 ** tile.adcBits - 1));
}

/** Tile, device and precisions after validation. */
export interface ResolvedTile {
  tile: CimTileParams;
  device: DeviceParams;
  deviceName: string;
  inputBits: number;
  weightBits: number;
}

/**
 * Checks that the accuracy model can realise these tile parameters; throws a ConfigError naming
 * the field, the value and what is allowed (e.g. 0 ADC bits, more bits per cell than the device
 * has states for, more DAC bits than activation bits).
 */
export function validateTile(tileRaw: unknown, deviceRaw: DeviceParams | string, inputBits: unknown, weightBits: unknown): ResolvedTile {
  const o = asObject(tileRaw, 'tile');
  const device = resolveDevice(deviceRaw);
  const deviceName = typeof deviceRaw === 'string' ? deviceRaw : 'the device';
  const inB = checkNumber(inputBits, 'inputBits', { integer: true, min: 2, max: 16 });
  const wB = checkNumber(weightBits, 'weightBits', { integer: true, min: 2, max: 16 });
  const int1 = (k: string, max?: number) => checkNumber(o[k], `tile.${k}`, { integer: true, min: 1, ...(max !== undefined ? { max } : {}) });
  const rows = int1('rows');
  const cols = int1('cols');
  const cMax = maxCellBits(device);
  const cellBits = checkNumber(o.cellBits, 'tile.cellBits', { integer: true, min: 1 });
  if (cellBits > cMax) {
    throw new ConfigError('tile.cellBits', cellBits, `an integer from 1 to ${cMax} (${deviceName} has ${Math.round(device.levels) + 1} conductance states = ${cMax} bits per cell)`);
  }
  const adcBits = checkNumber(o.adcBits, 'tile.adcBits', { integer: true, min: 1, max: 24 });
  const dacBits = checkNumber(o.dacBits, 'tile.dacBits', { integer: true, min: 1 });
  if (dacBits > inB) throw new ConfigError('tile.dacBits', dacBits, `an integer from 1 to inputBits (${inB}): a DAC slice cannot hold more bits than the activation`);
  const columnsPerAdc = int1('columnsPerAdc');
  const gMinSiemens = checkNumber(o.gMinSiemens, 'tile.gMinSiemens', { min: 0 });
  const gMaxSiemens = checkNumber(o.gMaxSiemens, 'tile.gMaxSiemens', { above: gMinSiemens });
  const readVoltageV = checkNumber(o.readVoltageV, 'tile.readVoltageV', { above: 0 });
  const readPulseS = checkNumber(o.readPulseS, 'tile.readPulseS', { above: 0 });
  if (typeof o.differential !== 'boolean') throw new ConfigError('tile.differential', o.differential, 'true or false');
  const tile: CimTileParams = { rows, cols, cellBits, adcBits, dacBits, columnsPerAdc, gMinSiemens, gMaxSiemens, readVoltageV, readPulseS, differential: o.differential };
  return { tile, device, deviceName, inputBits: inB, weightBits: wB };
}

/** Weight slices per sign: magnitude bits (b_w − 1) on differential pairs, else b_w offset bits. */
export function weightSlices(tile: Pick<CimTileParams, 'cellBits' | 'differential'>, weightBits: number): number {
  return Math.ceil((tile.differential ? weightBits - 1 : weightBits) / tile.cellBits);
}

/**
 * Digit range of each weight slice (least significant first): slice j holds t_j = min(c,
 * m − j·c) of the m stored bits (m = b_w − 1 magnitude bits on differential pairs, b_w offset
 * bits single-ended), so its largest digit is 2^t_j − 1. A slice with fewer bits than the cell
 * (the top slice when c does not divide m, e.g. 3 magnitude bits on a 4-bit cell) is programmed
 * over the device's whole range, digit d at g = d/(2^t_j − 1): its largest digit sits at G_max,
 * as NeuRRAM maps max|W| to the full conductance range, so the programming error (a fraction of
 * the range) is not inflated by unused levels.
 */
export function sliceTops(tile: Pick<CimTileParams, 'cellBits' | 'differential'>, weightBits: number): number[] {
  const m = tile.differential ? weightBits - 1 : weightBits;
  return Array.from({ length: weightSlices(tile, weightBits) }, (_, j) => 2 ** Math.min(tile.cellBits, m - j * tile.cellBits) - 1);
}

/** Input slices applied one after another: ⌈b_in / b_dac⌉ (bit-serial when b_dac = 1). */
export function inputSlices(dacBits: number, inputBits: number): number {
  return Math.ceil(inputBits / dacBits);
}
