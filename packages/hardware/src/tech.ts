/**
 * Technology table: per-operation energies and areas at a process node, nominal voltage.
 * Pure functions, numbers in → numbers out. Sources in comments; README §Formulas lists them.
 */

/** Energy per op relative to 45 nm (Stillmaker & Baas 2017, Integration 58). 90/130 nm are a
 *  log-log extrapolation with the 45→65 nm slope (0.585), flagged as such in the README. */
const NODE_SCALE: ReadonlyArray<readonly [number, number]> = [
  [7, 0.094], [16, 0.17], [22, 0.29], [28, 0.51], [32, 0.66], [45, 1], [65, 1.24], [90, 1.50], [130, 1.86],
];

/** Energy scaling factor of a node vs 45 nm (log-log interpolation, clamped extrapolation slope). */
export function nodeEnergyScale(nodeNm: number): number {
  const t = NODE_SCALE;
  let i = 0;
  while (i < t.length - 2 && nodeNm > t[i + 1][0]) i++;
  const [x0, y0] = t[i];
  const [x1, y1] = t[i + 1];
  const slope = Math.log(y1 / y0) / Math.log(x1 / x0);
  return y0 * Math.exp(slope * Math.log(nodeNm / x0));
}

/** Area scaling vs 45 nm: ideal (node/45)². */
export function nodeAreaScale(nodeNm: number): number {
  return (nodeNm / 45) ** 2;
}

/** Integer multiplier energy at 45 nm, pJ: Horowitz ISSCC 2014 int8 0.2 pJ, ∝ a·b (int32 → 3.2 vs 3.1 published). */
export function multEnergyPj45(aBits: number, bBits: number): number {
  return (0.2 * aBits * bBits) / 64;
}

/** Integer adder energy at 45 nm, pJ: Horowitz int8 add 0.03 pJ, ∝ width (int32 → 0.12 vs 0.1). */
export function addEnergyPj45(bits: number): number {
  return (0.03 * bits) / 8;
}

/** One MAC (a×b multiply + (a+b)-bit accumulate) at a node, J. */
export function macEnergyJ(aBits: number, bBits: number, nodeNm: number): number {
  return (multEnergyPj45(aBits, bBits) + addEnergyPj45(aBits + bBits)) * nodeEnergyScale(nodeNm) * 1e-12;
}

/** An add of `bits` at a node, J (vector unit, shift-add). */
export function addEnergyJ(bits: number, nodeNm: number): number {
  return addEnergyPj45(bits) * nodeEnergyScale(nodeNm) * 1e-12;
}

/**
 * SRAM read energy per bit, J: Horowitz (45 nm) 64-bit reads of 8 KB ≈ 10 pJ, 32 KB ≈ 20 pJ,
 * 1 MB ≈ 100 pJ, fitted as 10 pJ·(capacity/8 KB)^0.5 per 64 bits (gives 20 and 113 pJ).
 */
export function sramEnergyJPerBit(capacityBytes: number, nodeNm: number): number {
  const per64Pj = 10 * Math.sqrt(capacityBytes / 8192);
  return (per64Pj / 64) * nodeEnergyScale(nodeNm) * 1e-12;
}

/** SRAM area, mm²: ≈1 µm² per bit at 45 nm including periphery (6T cell 0.35 µm² at ~35 % array efficiency). */
export function sramAreaMm2(capacityBytes: number, nodeNm: number): number {
  return capacityBytes * 8 * 1.0e-6 * nodeAreaScale(nodeNm);
}

/** Flip-flop register file area, mm²: ≈4× SRAM per bit (latch-based storage). */
export function registerAreaMm2(capacityBytes: number, nodeNm: number): number {
  return 4 * sramAreaMm2(capacityBytes, nodeNm);
}

/** MAC unit area, mm²: ≈280 µm² for 8×8 bit at 45 nm (array-multiplier gate count), ∝ a·b. */
export function macAreaMm2(aBits: number, bBits: number, nodeNm: number): number {
  return 280e-6 * ((aBits * bBits) / 64) * nodeAreaScale(nodeNm);
}

/** ISAAC (Shafiee et al. ISCA 2016, 32 nm, 1.28 GS/s) SAR ADC energy per conversion for 4…10 bits, pJ. */
const ISAAC_ADC_PJ = [0.79, 0.99, 1.2, 1.42, 1.67, 1.97, 2.38];

/**
 * SAR ADC energy per conversion, J: the ISAAC table at 4…10 bits (geometric interpolation for
 * fractional bits), extrapolated by ×1.2 per bit outside it (the table's average step), scaled to
 * the node by the digital factor (the 22 nm Murmann-survey points 0.46/0.53/0.85 pJ at 4/6/8 bit
 * agree within ±30 %).
 */
export function adcEnergyJ(bits: number, nodeNm: number): number {
  let pj: number;
  if (bits <= 4) pj = ISAAC_ADC_PJ[0] * 1.2 ** (bits - 4);
  else if (bits >= 10) pj = ISAAC_ADC_PJ[6] * 1.2 ** (bits - 10);
  else {
    const i = Math.floor(bits) - 4;
    const f = bits - Math.floor(bits);
    pj = f === 0 ? ISAAC_ADC_PJ[i] : ISAAC_ADC_PJ[i] * (ISAAC_ADC_PJ[i + 1] / ISAAC_ADC_PJ[i]) ** f;
  }
  return pj * 1e-12 * (nodeEnergyScale(nodeNm) / nodeEnergyScale(32));
}

/** SAR ADC area, mm²: ISAAC 8-bit 1200 µm² at 32 nm, capacitor DAC ∝ 2^b, analog area ∝ node (not node²). */
export function adcAreaMm2(bits: number, nodeNm: number): number {
  return 1200e-6 * 2 ** (bits - 8) * (nodeNm / 32);
}

/** Input DAC energy per row drive, J: ISAAC 1-bit DAC 0.42 pJ; a b-bit DAC drives 2^b − 1 unit levels. */
export function dacEnergyJ(bits: number, nodeNm: number): number {
  return 0.42e-12 * (2 ** bits - 1) * (nodeEnergyScale(nodeNm) / nodeEnergyScale(32));
}

/** DAC area, mm²: ISAAC 8×128 1-bit DAC array 0.00017 mm² at 32 nm → 0.166 µm² each, ∝ 2^b − 1. */
export function dacAreaMm2(bits: number, nodeNm: number): number {
  return 0.166e-6 * (2 ** bits - 1) * (nodeNm / 32);
}

/** Crossbar cell area, mm²: 1T1R RRAM ≈ 30 F² (NeuRRAM-class), 8T SRAM bit-cell ≈ 150 F². */
export function cimCellAreaMm2(tech: 'rram' | 'sram', nodeNm: number): number {
  const f2 = tech === 'rram' ? 30 : 150;
  return f2 * (nodeNm * 1e-6) ** 2;
}

/** NoC router energy per bit per hop at 32 nm, J (REFERENCES §4: 0.12–0.2 pJ/bit; midpoint). */
export const ROUTER_ENERGY_J_PER_BIT_32NM = 0.16e-12;
/** Link energy per bit per mm at 32 nm, full swing, J (REFERENCES §4: 0.44 pJ/bit/mm). */
export const LINK_ENERGY_J_PER_BIT_MM_32NM = 0.44e-12;
