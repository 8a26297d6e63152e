import { asObject, booleanField, numberField, rejectUnknownKeys, type CimTileParams } from '@cosearch/core';

/**
 * Crossbar tile and periphery. Field names and units are shared with the hardware package's CIM
 * tile config (rows, cols, cellBits, adcBits, dacBits, columnsPerAdc, gMinSiemens, gMaxSiemens,
 * readVoltageV, readPulseS, differential), so a co-search candidate's CIM choice can configure
 * both the cost model and this accuracy model.
 *
 * Modelled: inputs scaled per vector by their abs-max (aihwkit noise management) and quantised by
 * a DAC of `dacBits` (amplitude coding); each tile of `rows` inputs produces a partial sum that
 * gets additive output noise `outNoise` and is clipped to ±`adcRange` and quantised by an ADC of
 * `adcBits`; partial sums of tiles add digitally. Units of the analog domain: weights normalised
 * to [−1, 1] (= (G⁺ − G⁻)/(G_max − G_min)), inputs to [−1, 1]. Not modelled: IR drop, sneak
 * paths, wire resistance (IR-drop-free assumption), and the bit-slicing implied by `cellBits`.
 * `gMinSiemens`, `gMaxSiemens`, `readVoltageV`, `readPulseS` set the physical read energy only.
 */
export interface CrossbarConfig extends CimTileParams {
  /** ADC full scale in the normalised analog domain (aihwkit out_bound, default 12). */
  adcRange: number;
  /** Std of additive output noise per MVM output, normalised domain (aihwkit out_noise 0.06). */
  outNoise: number;
}

/** NeuroSim-like 128×128 tile; aihwkit's default periphery (7-bit DAC, out_noise 0.06) with an 8-bit ADC. */
export const DEFAULT_CROSSBAR: Readonly<CrossbarConfig> = Object.freeze({
  rows: 128,
  cols: 128,
  cellBits: 1,
  adcBits: 8,
  dacBits: 7,
  columnsPerAdc: 8,
  adcRange: 12,
  outNoise: 0.06,
  gMinSiemens: 1 / 1.7e6,
  gMaxSiemens: 1 / 100e3,
  readVoltageV: 0.55,
  readPulseS: 1e-9,
  differential: true,
});

const FIELDS = Object.keys(DEFAULT_CROSSBAR);

/** Validates a partial crossbar config and fills defaults. `adcBits`/`dacBits` 0 = ideal (no quantisation). */
export function validateCrossbarConfig(raw: unknown = {}, path = 'crossbar'): CrossbarConfig {
  const o = asObject(raw, path);
  rejectUnknownKeys(o, path, FIELDS);
  const d = DEFAULT_CROSSBAR;
  const int = { integer: true, min: 1 };
  return {
    rows: numberField(o, 'rows', path, int, d.rows),
    cols: numberField(o, 'cols', path, int, d.cols),
    cellBits: numberField(o, 'cellBits', path, { integer: true, min: 1, max: 8 }, d.cellBits),
    adcBits: numberField(o, 'adcBits', path, { integer: true, min: 0, max: 16 }, d.adcBits),
    dacBits: numberField(o, 'dacBits', path, { integer: true, min: 0, max: 16 }, d.dacBits),
    columnsPerAdc: numberField(o, 'columnsPerAdc', path, int, d.columnsPerAdc),
    adcRange: numberField(o, 'adcRange', path, { above: 0 }, d.adcRange),
    outNoise: numberField(o, 'outNoise', path, { min: 0 }, d.outNoise),
    gMinSiemens: numberField(o, 'gMinSiemens', path, { min: 0 }, d.gMinSiemens),
    gMaxSiemens: numberField(o, 'gMaxSiemens', path, { above: 0 }, d.gMaxSiemens),
    readVoltageV: numberField(o, 'readVoltageV', path, { above: 0 }, d.readVoltageV),
    readPulseS: numberField(o, 'readPulseS', path, { above: 0 }, d.readPulseS),
    differential: booleanField(o, 'differential', path, d.differential),
  };
}
