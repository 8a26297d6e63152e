import type { DeviceModel } from './types';

/**
 * Constant-step device (aihwkit ConstantStepDevice): every pulse moves g by a fixed step,
 * dgUp up and dgDown down (asymmetry), clipped to the device's bounds:
 *   g_n = clip(g₀ + n·dg, gLo, gHi).
 * Closed form: the n-pulse result equals n single pulses because clipping is idempotent along a
 * monotone path.
 */
export const constantStepModel: DeviceModel = {
  name: 'constant-step-v1',
  description: 'constant step per pulse (up/down asymmetry), hard bounds [gLo, gHi] (aihwkit ConstantStep)',
  update(g, n, dev) {
    for (let i = 0; i < g.length; i++) {
      const k = n[i];
      if (k === 0) continue;
      const v = g[i] + (k > 0 ? k * dev.dgUp[i] : k * dev.dgDown[i]);
      g[i] = v < dev.gLo[i] ? dev.gLo[i] : v > dev.gHi[i] ? dev.gHi[i] : v;
    }
  },
  granularity: (p) => p.dgMin,
};
