import type { DeviceModel } from './types';

/**
 * Soft-bounds device (aihwkit SoftBoundsDevice): the step shrinks linearly as g approaches the
 * bound it moves toward. With range r = gHi − gLo and step dg at mid-range (aihwkit dw_min at
 * w = 0), one up pulse is Δg = 2·dg·(gHi − g)/r, so the distance to the bound shrinks by the
 * factor (1 − 2dg/r) per pulse and n pulses give, in closed form:
 *   up:   g_n = gHi − (gHi − g₀)·(1 − 2dgUp/r)^n
 *   down: g_n = gLo + (g₀ − gLo)·(1 − 2dgDown/r)^|n|
 */
export const softBoundsModel: DeviceModel = {
  name: 'soft-bounds-v1',
  description: 'step proportional to the distance from the bound (aihwkit SoftBounds), closed-form geometric n-pulse update',
  update(g, n, dev) {
    for (let i = 0; i < g.length; i++) {
      const k = n[i];
      if (k === 0) continue;
      const lo = dev.gLo[i];
      const hi = dev.gHi[i];
      const r = hi - lo;
      const g0 = g[i] < lo ? lo : g[i] > hi ? hi : g[i];
      if (k > 0) {
        const f = Math.max(0, 1 - (2 * dev.dgUp[i]) / r);
        g[i] = hi - (hi - g0) * Math.pow(f, k);
      } else {
        const f = Math.max(0, 1 - (2 * dev.dgDown[i]) / r);
        g[i] = lo + (g0 - lo) * Math.pow(f, -k);
      }
    }
  },
  granularity: (p) => p.dgMin,
};
