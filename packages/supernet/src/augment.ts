import type { Rng } from '@cosearch/core';

/**
 * Random-translation augmentation (the classic MNIST recipe, e.g. Simard et al. 2003 use
 * small shifts/elastic distortions): every image of an NHWC batch moves by an integer offset
 * (dy, dx), each drawn uniformly from [−maxShift, maxShift], with zero fill (the background of
 * MNIST-like data). Returns a new array of the same shape; the input is not modified. All
 * randomness comes from `rng`, so a seeded generator gives the same batch every time.
 */
export function randomShift(
  images: Float32Array, n: number, height: number, width: number, channels: number, maxShift: number, rng: Rng,
): Float32Array {
  const per = height * width * channels;
  if (images.length !== n * per) throw new RangeError(`randomShift: ${images.length} values for ${n}×${height}×${width}×${channels}`);
  if (maxShift === 0) return images.slice();
  const out = new Float32Array(images.length);
  const row = width * channels;
  for (let i = 0; i < n; i++) {
    const dy = rng.int(2 * maxShift + 1) - maxShift;
    const dx = rng.int(2 * maxShift + 1) - maxShift;
    const base = i * per;
    // Destination columns [x0, x1) read source columns shifted by −dx; rows likewise.
    const x0 = Math.max(0, dx), x1 = Math.min(width, width + dx);
    if (x1 <= x0) continue;
    for (let y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
      const dst = base + y * row + x0 * channels;
      const src = base + (y - dy) * row + (x0 - dx) * channels;
      out.set(images.subarray(src, src + (x1 - x0) * channels), dst);
    }
  }
  return out;
}
