import type { Rng } from '@cosearch/core';
import { applyStuck, sampleDevices } from '../devices/population';
import type { DeviceParams } from '../devices/types';
import { sliceTops } from './params';

/** One layer's weight codes as programmed onto one chip's bit-sliced conductances. */
export interface ProgrammedSlices {
  /**
   * Conductances in digit units of their slice, g·top_j (g = (G − G_min)/(G_max − G_min),
   * top_j = `sliceTop`), laid out [G, F, nPW, O] with column group pw = polarity·nW + slice j
   * (polarity 0 = G⁺, 1 = G⁻).
   */
  digits: Float32Array;
  /** Largest digit of each column group's slice, 2^t_j − 1 (`sliceTops`): the digit at G_max. */
  sliceTop: Float64Array;
  /** Shift-add weight of each column group: ±2^(j·c) (G⁻ negative). */
  coef: Float64Array;
  /** Offset of the stored code (single-ended: 2^(b−1) − 1; differential: 0). */
  weightOffset: number;
  /** True when every device landed exactly on its digit (no noise, no stuck device, no clipping). */
  onGrid: boolean;
}

export interface ProgramOptions {
  cellBits: number;
  differential: boolean;
  /** Weight slices per polarity. */
  slices: number;
  /** Std of the pair's conductance difference per slice, fraction of the device range (each device σ/√2). */
  programmingNoise: number;
  device: DeviceParams;
}

/**
 * Bit-slices signed integer weight codes over cells of `cellBits` and writes them on one chip:
 * differential: |w_int| on G⁺ (w > 0) or G⁻ (w < 0), the other device at G_min; single-ended:
 * w_int + (2^(b−1) − 1) on one device (its reference is digital). Slice j holds digit
 * ⌊|w|/2^(j·c)⌋ mod 2^c as the normalised conductance digit/top_j, top_j = 2^t_j − 1 for the
 * t_j ≤ c bits the slice carries (`sliceTops`: a top slice with fewer bits than the cell still
 * spans G_min…G_max). Each device of the chip
 * comes from the device model's population (`sampleDevices`: its own bounds [gLo, gHi] and
 * stuck flag, seeded), is written with N(0, (σ/√2)²) of the range (program-and-verify, as
 * `AnalogMatrix.programTo` and `programWeights`), clipped to its bounds, then stuck devices
 * are pinned (`applyStuck`).
 */
export function programSlices(codes: Int32Array, weightBits: number, G: number, F: number, O: number, o: ProgramOptions, rng: Rng): ProgrammedSlices {
  const nPol = o.differential ? 2 : 1;
  const nW = o.slices;
  const nPW = nPol * nW;
  const base = 2 ** o.cellBits;
  const tops = sliceTops({ cellBits: o.cellBits, differential: o.differential }, weightBits);
  if (tops.length !== nW) throw new RangeError(`programSlices: ${nW} slices given, ${weightBits}-bit weights on ${o.cellBits}-bit cells need ${tops.length}`);
  const weightOffset = o.differential ? 0 : 2 ** (weightBits - 1) - 1;
  const size = G * F * nPW * O;
  const devices = sampleDevices(o.device, size, rng.fork('devices'));
  const noise = rng.fork('noise');
  const sd = o.programmingNoise / Math.SQRT2;
  const g = new Float32Array(size);
  for (let gf = 0; gf < G * F; gf++) {
    for (let oo = 0; oo < O; oo++) {
      const code = codes[gf * O + oo];
      for (let pol = 0; pol < nPol; pol++) {
        let mag = o.differential ? (pol === 0 ? Math.max(code, 0) : Math.max(-code, 0)) : code + weightOffset;
        for (let j = 0; j < nW; j++) {
          const i = (gf * nPW + pol * nW + j) * O + oo;
          const target = (mag % base) / tops[j];
          mag = Math.floor(mag / base);
          const v = target + (sd > 0 ? sd * noise.normal() : 0);
          g[i] = v < devices.gLo[i] ? devices.gLo[i] : v > devices.gHi[i] ? devices.gHi[i] : v;
        }
      }
    }
  }
  applyStuck(g, devices);
  let onGrid = true;
  for (let i = 0; i < size; i++) {
    g[i] *= tops[Math.floor(i / O) % nW];
    if (onGrid && Math.abs(g[i] - Math.round(g[i])) > 1e-4) onGrid = false;
  }
  // a value that is on grid must also be the intended digit: re-check against the codes
  if (onGrid) onGrid = sd === 0 && !devices.stuck.some((s) => s !== 0) && gridMatches(g, codes, weightOffset, G * F, O, nPol, nW, base, o.differential);
  const coef = new Float64Array(nPW);
  for (let pol = 0; pol < nPol; pol++) for (let j = 0; j < nW; j++) coef[pol * nW + j] = (pol === 0 ? 1 : -1) * base ** j;
  const sliceTop = new Float64Array(nPW);
  for (let pol = 0; pol < nPol; pol++) for (let j = 0; j < nW; j++) sliceTop[pol * nW + j] = tops[j];
  return { digits: g, sliceTop, coef, weightOffset, onGrid };
}

function gridMatches(g: Float32Array, codes: Int32Array, off: number, GF: number, O: number, nPol: number, nW: number, base: number, diff: boolean): boolean {
  for (let gf = 0; gf < GF; gf++) {
    for (let oo = 0; oo < O; oo++) {
      const code = codes[gf * O + oo];
      for (let pol = 0; pol < nPol; pol++) {
        let v = 0;
        for (let j = nW - 1; j >= 0; j--) v = v * base + Math.round(g[(gf * nPol * nW + pol * nW + j) * O + oo]);
        const want = diff ? (pol === 0 ? Math.max(code, 0) : Math.max(-code, 0)) : code + off;
        if (v !== want) return false;
      }
    }
  }
  return true;
}
