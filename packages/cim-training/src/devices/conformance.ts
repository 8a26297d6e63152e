import { Rng } from '@cosearch/core';
import { nominalDevices, sampleDevices } from './population';
import type { DeviceArray, DeviceModel, DeviceParams } from './types';

/**
 * Conformance checks every device model must pass (run for the built-ins in
 * conformance.test.ts; call it from your own jest test for a custom model):
 *  1. n pulses in closed form = one pulse applied n times (up and down, nominal and varied chips);
 *  2. (n₁ then n₂) = n₁ + n₂ for pulses of one sign;
 *  3. n = 0 leaves g unchanged; up never decreases g, down never increases it;
 *  4. g stays within the device's bounds for huge pulse counts;
 *  5. one pulse at mid-range moves g by the model's granularity (within a factor of 2).
 * Returns the list of failures (empty = conformant). Noise-free: the model's `update` only.
 */
export function checkDeviceModel(model: DeviceModel, params: DeviceParams, seed = 1): string[] {
  const failures: string[] = [];
  const rng = new Rng(seed);
  const size = 64;
  const tol = 1e-4;
  const chips: [string, DeviceArray][] = [
    ['nominal', nominalDevices(params, size)],
    ['varied', sampleDevices({ ...params, stuckAtMinProb: 0, stuckAtMaxProb: 0, dgStdD2d: Math.max(params.dgStdD2d, 0.2), boundsStdD2d: Math.max(params.boundsStdD2d, 0.03) }, size, rng)],
  ];
  for (const [label, dev] of chips) {
    const g0 = new Float32Array(size);
    const n = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      g0[i] = dev.gLo[i] + (dev.gHi[i] - dev.gLo[i]) * rng.next();
      n[i] = (1 + rng.int(40)) * (i % 2 === 0 ? 1 : -1);
    }
    const closed = Float32Array.from(g0);
    model.update(closed, n, dev, params);
    const stepped = Float32Array.from(g0);
    const one = new Int32Array(size);
    for (let step = 0; step < 40; step++) {
      for (let i = 0; i < size; i++) one[i] = step < Math.abs(n[i]) ? Math.sign(n[i]) : 0;
      model.update(stepped, one, dev, params);
    }
    for (let i = 0; i < size; i++) {
      if (Math.abs(closed[i] - stepped[i]) > tol) {
        failures.push(`${label}: ${n[i]} pulses from g=${g0[i].toFixed(4)} gave ${closed[i]} in closed form but ${stepped[i]} one by one`);
        break;
      }
    }
    const split = Float32Array.from(g0);
    const n1 = n.map((k) => Math.trunc(k / 2));
    const n2 = n.map((k, i) => k - n1[i]);
    model.update(split, n1, dev, params);
    model.update(split, n2, dev, params);
    for (let i = 0; i < size; i++) {
      if (Math.abs(split[i] - closed[i]) > tol) {
        failures.push(`${label}: n₁ then n₂ pulses differ from n₁+n₂ at device ${i}`);
        break;
      }
    }
    const same = Float32Array.from(g0);
    model.update(same, new Int32Array(size), dev, params);
    if (same.some((v, i) => v !== g0[i])) failures.push(`${label}: zero pulses changed g`);
    for (let i = 0; i < size; i++) {
      const d = closed[i] - g0[i];
      if ((n[i] > 0 && d < -1e-7) || (n[i] < 0 && d > 1e-7)) {
        failures.push(`${label}: ${n[i]} pulses moved g the wrong way (${d})`);
        break;
      }
    }
    const far = Float32Array.from(g0);
    model.update(far, n.map((k) => k * 1e5), dev, params);
    for (let i = 0; i < size; i++) {
      if (!(far[i] >= dev.gLo[i] - 1e-6 && far[i] <= dev.gHi[i] + 1e-6)) {
        failures.push(`${label}: g=${far[i]} left the bounds [${dev.gLo[i]}, ${dev.gHi[i]}]`);
        break;
      }
    }
  }
  const dev = nominalDevices(params, 2);
  const mid = new Float32Array([0.5, 0.5]);
  model.update(mid, [1, -1], dev, params);
  const step = (mid[0] - 0.5 + (0.5 - mid[1])) / 2;
  const gran = model.granularity(params);
  if (!(step > gran / 2 && step < gran * 2)) failures.push(`one pulse at mid-range moved g by ${step}, granularity says ${gran}`);
  return failures;
}
