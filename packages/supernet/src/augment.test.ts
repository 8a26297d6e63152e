import { Rng } from '@cosearch/core';
import { randomShift } from './augment';

/** n images of h×w×c, pixel value = 1 + its flat index within the image (so moves are traceable). */
function ramp(n: number, h: number, w: number, c: number): Float32Array {
  const a = new Float32Array(n * h * w * c);
  for (let i = 0; i < a.length; i++) a[i] = 1 + (i % (h * w * c));
  return a;
}

describe('randomShift', () => {
  test('is seeded, shape-preserving and leaves its input alone', () => {
    const x = ramp(5, 6, 7, 2);
    const copy = x.slice();
    const a = randomShift(x, 5, 6, 7, 2, 2, new Rng(4));
    const b = randomShift(x, 5, 6, 7, 2, 2, new Rng(4));
    const c = randomShift(x, 5, 6, 7, 2, 2, new Rng(5));
    expect(a.length).toBe(x.length);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Array.from(x)).toEqual(Array.from(copy));
    expect(Array.from(randomShift(x, 5, 6, 7, 2, 0, new Rng(4)))).toEqual(Array.from(x));
  });

  test('every image is its input translated by one (dy, dx) within the bound, zero-filled', () => {
    const [n, h, w, c, k] = [40, 5, 6, 2, 2];
    const x = ramp(n, h, w, c);
    const y = randomShift(x, n, h, w, c, k, new Rng(11));
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      // Find the offset that explains image i: out[y][x] = in[y − dy][x − dx] or 0 outside.
      let found: string | null = null;
      for (let dy = -k; dy <= k && !found; dy++) {
        for (let dx = -k; dx <= k && !found; dx++) {
          let ok = true;
          for (let r = 0; r < h && ok; r++) {
            for (let q = 0; q < w && ok; q++) {
              for (let ch = 0; ch < c && ok; ch++) {
                const sr = r - dy, sq = q - dx;
                const want = sr >= 0 && sr < h && sq >= 0 && sq < w ? x[i * h * w * c + (sr * w + sq) * c + ch] : 0;
                ok = y[i * h * w * c + (r * w + q) * c + ch] === want;
              }
            }
          }
          if (ok) found = `${dy},${dx}`;
        }
      }
      expect(found).not.toBeNull();
      seen.add(found!);
    }
    // 40 draws from 25 offsets: several distinct ones, including a non-zero one.
    expect(seen.size).toBeGreaterThan(5);
  });

  test('a hand case: shift (1, −1) of a 3×3 image', () => {
    // Find a seed whose first draw is dy = +1, dx = −1 with maxShift 1 (int(3) − 1).
    let seed = 0;
    for (; ; seed++) {
      const r = new Rng(seed);
      if (r.int(3) - 1 === 1 && r.int(3) - 1 === -1) break;
    }
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(randomShift(x, 1, 3, 3, 1, 1, new Rng(seed)))).toEqual([0, 0, 0, 2, 3, 0, 5, 6, 0]);
  });

  test('rejects a mismatched shape', () => {
    expect(() => randomShift(new Float32Array(10), 1, 3, 3, 1, 1, new Rng(0))).toThrow(RangeError);
  });
});
