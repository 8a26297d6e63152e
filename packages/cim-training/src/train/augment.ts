import type { Rng } from '@cosearch/core';

/**
 * Copies one NHWC image shifted by (dy, dx) pixels (down, right), zero-filled where the shift
 * uncovers the border: out[y][x] = in[y − dy][x − dx].
 */
export function shiftImage(src: Float32Array, dst: Float32Array, h: number, w: number, c: number, dy: number, dx: number): void {
  dst.fill(0);
  for (let y = 0; y < h; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= h) continue;
    for (let x = 0; x < w; x++) {
      const sx = x - dx;
      if (sx < 0 || sx >= w) continue;
      const o = (y * w + x) * c;
      const s = (sy * w + sx) * c;
      for (let k = 0; k < c; k++) dst[o + k] = src[s + k];
    }
  }
}

/**
 * Random-translation augmentation of a training batch (n NHWC images): each image is shifted by
 * an independent integer offset, uniform in [−maxShift, maxShift] on each axis, drawn from `rng`
 * (so a run stays reproducible). maxShift 0 returns the batch unchanged. The small-translation
 * augmentation of MNIST CNNs (Simard et al., ICDAR 2003) makes up for the embedded set's 8000
 * training images; only the digital input pipeline changes, not the crossbar.
 */
export function shiftBatch(images: Float32Array, n: number, h: number, w: number, c: number, maxShift: number, rng: Rng): Float32Array {
  if (maxShift <= 0) return images;
  const per = h * w * c;
  const out = new Float32Array(n * per);
  for (let i = 0; i < n; i++) {
    const dy = rng.int(2 * maxShift + 1) - maxShift;
    const dx = rng.int(2 * maxShift + 1) - maxShift;
    shiftImage(images.subarray(i * per, (i + 1) * per), out.subarray(i * per, (i + 1) * per), h, w, c, dy, dx);
  }
  return out;
}
