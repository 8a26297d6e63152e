/**
 * DVFS: alpha-power-law maximum frequency, V² dynamic-energy scaling and voltage-dependent
 * leakage. Pure functions.
 */

/**
 * Maximum frequency at supply V (Sakurai & Newton, JSSC 1990): gate delay ∝ V / (V − V_th)^α, so
 * f_max(V) = f_nom · g(V)/g(V_nom) with g(V) = (V − V_th)^α / V. Zero at or below V_th.
 */
export function maxFrequencyHz(voltageV: number, nominalVoltageV: number, thresholdVoltageV: number, alpha: number, fMaxNominalHz: number): number {
  if (voltageV <= thresholdVoltageV) return 0;
  const g = (v: number) => (v - thresholdVoltageV) ** alpha / v;
  return (fMaxNominalHz * g(voltageV)) / g(nominalVoltageV);
}

/** Dynamic energy per operation scales as C·V² (independent of f): factor vs the nominal voltage. */
export function dynamicEnergyScale(voltageV: number, nominalVoltageV: number): number {
  return (voltageV / nominalVoltageV) ** 2;
}

/**
 * Leakage power factor vs nominal: P = V·I_leak, with I_leak growing exponentially with V through
 * drain-induced barrier lowering (Roy et al., Proc. IEEE 2003): I ∝ exp(κ·(V − V_nom)), κ = 2 /V
 * (≈ η/(n·v_T) with DIBL η ≈ 0.08, n ≈ 1.5, v_T = 26 mV). So P(V)/P(V_nom) = (V/V_nom)·e^{κ(V−V_nom)}.
 */
export const LEAKAGE_KAPPA_PER_V = 2;
export function leakagePowerScale(voltageV: number, nominalVoltageV: number): number {
  return (voltageV / nominalVoltageV) * Math.exp(LEAKAGE_KAPPA_PER_V * (voltageV - nominalVoltageV));
}
