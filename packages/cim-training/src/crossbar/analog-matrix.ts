import type { Rng } from '@cosearch/core';
import { applyPulses, applyStuck, sampleDevices } from '../devices/population';
import type { DeviceArray, DeviceModel, DeviceParams } from '../devices/types';

/** What one programming call did: pulses, devices touched, and the row-parallel write time. */
export interface ProgramStats {
  pulses: number;
  devicesProgrammed: number;
  weightsProgrammed: number;
  /** Σ over rows of the largest pulse count in the row (columns program in parallel, rows in turn). */
  rowSerialPulses: number;
  /** Largest pulse count anywhere (the time of one array-wide bulk programming step). */
  maxPulses: number;
}

/**
 * A [rows × cols] weight matrix stored as conductances of differential pairs,
 * w = wScale·(g⁺ − g⁻), g normalised to the device range (Nandakumar et al. 2020). With
 * `differential: false` a single device per weight is read against a fixed mid-range reference
 * column: w = 2·wScale·(g − ½). Each device has its chip's own parameters (d2d, stuck).
 *
 * Sign convention of a weight update of n pulses (n > 0 raises w): potentiate G⁺ or depress G⁻,
 * whichever has more room toward its bound (n < 0: depress G⁺ or potentiate G⁻). This uses both
 * LTP and LTD curves and keeps pairs away from saturation without refresh cycles.
 */
export class AnalogMatrix {
  readonly size: number;
  readonly gPlus: Float32Array;
  readonly gMinus: Float32Array;
  readonly devPlus: DeviceArray;
  readonly devMinus: DeviceArray;
  private readonly nPlus: Int32Array;
  private readonly nMinus: Int32Array;

  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly wScale: number,
    readonly model: DeviceModel,
    readonly params: DeviceParams,
    readonly differential: boolean,
    chipRng: Rng,
  ) {
    this.size = rows * cols;
    this.devPlus = sampleDevices(params, this.size, chipRng.fork('plus'));
    this.devMinus = sampleDevices(params, this.size, chipRng.fork('minus'));
    this.gPlus = new Float32Array(this.size).fill(0.5);
    this.gMinus = new Float32Array(this.size).fill(0.5);
    this.nPlus = new Int32Array(this.size);
    this.nMinus = new Int32Array(this.size);
  }

  /** Weight change of one nominal pulse (the granularity in weight units). */
  get dwMin(): number {
    return this.model.granularity(this.params) * this.wScale * (this.differential ? 1 : 2);
  }

  /** Programs target weights with program-and-verify accuracy: g = target + N(0, σ²), σ = programmingNoise/√2 per device. */
  programTo(w: Float32Array, rng: Rng, programmingNoise = this.params.programmingNoise): void {
    const sd = programmingNoise / Math.SQRT2;
    for (let i = 0; i < this.size; i++) {
      // differential: g± = ½ ± w/(2·wScale); single device: g = ½ + w/(2·wScale) (reference ½)
      const half = w[i] / (2 * this.wScale);
      const p = 0.5 + half;
      const m = 0.5 - half;
      this.gPlus[i] = clamp(p + (sd > 0 ? sd * rng.normal() : 0), this.devPlus.gLo[i], this.devPlus.gHi[i]);
      this.gMinus[i] = this.differential ? clamp(m + (sd > 0 ? sd * rng.normal() : 0), this.devMinus.gLo[i], this.devMinus.gHi[i]) : 0.5;
    }
    applyStuck(this.gPlus, this.devPlus);
    if (this.differential) applyStuck(this.gMinus, this.devMinus);
  }

  /** Weights as read once (read noise N(0, readNoise²) per device and read when `rng` is given). */
  read(rng?: Rng, out = new Float32Array(this.size)): Float32Array {
    const rn = rng ? this.params.readNoise : 0;
    const k = this.differential ? this.wScale : 2 * this.wScale;
    const ref = this.differential ? null : 0.5;
    for (let i = 0; i < this.size; i++) {
      let d = this.gPlus[i] - (ref ?? this.gMinus[i]);
      if (rn > 0) d += rn * (this.differential ? Math.SQRT2 : 1) * rng!.normal();
      out[i] = k * d;
    }
    return out;
  }

  /** Applies signed weight-pulse counts n (length rows·cols); returns what was programmed. */
  applyWeightPulses(n: Int32Array, rng: Rng): ProgramStats {
    const { gPlus, gMinus, devPlus, devMinus, nPlus, nMinus } = this;
    nPlus.fill(0);
    nMinus.fill(0);
    let weights = 0;
    let rowSerial = 0;
    let maxPulses = 0;
    for (let r = 0; r < this.rows; r++) {
      let rowMax = 0;
      for (let c = 0; c < this.cols; c++) {
        const i = r * this.cols + c;
        const k = n[i];
        if (k === 0) continue;
        weights++;
        const a = k < 0 ? -k : k;
        if (a > rowMax) rowMax = a;
        if (!this.differential) {
          nPlus[i] = k;
          continue;
        }
        const roomPlus = k > 0 ? devPlus.gHi[i] - gPlus[i] : gPlus[i] - devPlus.gLo[i];
        const roomMinus = k > 0 ? gMinus[i] - devMinus.gLo[i] : devMinus.gHi[i] - gMinus[i];
        if (roomPlus >= roomMinus) nPlus[i] = k;
        else nMinus[i] = -k;
      }
      rowSerial += rowMax;
      if (rowMax > maxPulses) maxPulses = rowMax;
    }
    let pulses = applyPulses(this.model, this.params, gPlus, nPlus, devPlus, rng);
    if (this.differential) pulses += applyPulses(this.model, this.params, gMinus, nMinus, devMinus, rng);
    return { pulses, devicesProgrammed: weights, weightsProgrammed: weights, rowSerialPulses: rowSerial, maxPulses };
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
