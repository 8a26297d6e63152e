/**
 * Device-level types. Conductances are handled in *normalised* units g = (G − G_min)/(G_max − G_min)
 * of the preset's nominal range, so g ∈ [0, 1] for a nominal device; `gMinSiemens`/`gMaxSiemens`
 * give the physical scale (used for energy and reports). A pulse count n is signed: n > 0
 * potentiates (LTP, SET direction), n < 0 depresses (LTD, RESET direction).
 */
export interface DeviceParams {
  /** Device *model* id in `deviceModelRegistry` (the update physics), e.g. 'soft-bounds-v1'. */
  model: string;
  /** Nominal conductance range of one device (siemens). */
  gMinSiemens: number;
  gMaxSiemens: number;
  /**
   * Nominal step of one pulse as a fraction of the range (constant step: every pulse; soft
   * bounds: the step at mid-range, as aihwkit's dw_min). For the NeuroSim model: 1/levels.
   */
  dgMin: number;
  /** Pulses from G_min to G_max (NeuroSim "number of levels"; used by the nonlinear model). */
  levels: number;
  /** Up/down asymmetry a: step up = dgMin·(1 + a), step down = dgMin·(1 − a). */
  upDownAsymmetry: number;
  /** NeuroSim nonlinearity labels of the LTP and LTD curves (|label|, 0 = linear). */
  nlLtp: number;
  nlLtd: number;
  /** Device-to-device relative std of the step (aihwkit dw_min_dtod), fixed per chip. */
  dgStdD2d: number;
  /** Device-to-device std of each bound, as a fraction of the range, fixed per chip. */
  boundsStdD2d: number;
  /** Cycle-to-cycle write noise: std per √pulse as a fraction of the range. */
  c2cStd: number;
  /** Probability that a device is stuck at G_min / at G_max (per chip). */
  stuckAtMinProb: number;
  stuckAtMaxProb: number;
  /** Read noise: std of one read of a device, as a fraction of the range. */
  readNoise: number;
  /** Std of a program-and-verify write to a target (inference programming), fraction of range. */
  programmingNoise: number;
  /** Energy and duration of one programming pulse (joule, second). */
  pulseEnergyJ: number;
  pulseLatencyS: number;
  /** Where the numbers come from. */
  citation: string;
}

/**
 * Per-device parameters of one simulated chip (device-to-device variation and faults), drawn once
 * from `DeviceParams` with a seeded Rng and then fixed: steps up/down, lower/upper bounds of g,
 * and a stuck flag (0 free, −1 stuck at G_min, +1 stuck at G_max).
 */
export interface DeviceArray {
  readonly size: number;
  readonly dgUp: Float32Array;
  readonly dgDown: Float32Array;
  readonly gLo: Float32Array;
  readonly gHi: Float32Array;
  readonly stuck: Int8Array;
}

/**
 * The physics of one device family: applies n pulses in closed form (no per-pulse loop), noise
 * free; cycle-to-cycle noise, clipping of noise and stuck devices are applied generically by
 * `applyPulses` (population.ts). Must satisfy: applying n pulses once equals applying one pulse
 * n times (checked by the conformance suite), and g stays within [gLo, gHi].
 */
export interface DeviceModel {
  readonly name: string;
  readonly description: string;
  /** In place: g[i] ← state after n[i] pulses (n[i] = 0 leaves g[i] unchanged). */
  update(g: Float32Array, n: ArrayLike<number>, dev: DeviceArray, params: DeviceParams): void;
  /** Mean change of g from one pulse at mid-range (the device granularity, normalised units). */
  granularity(params: DeviceParams): number;
}
