import { Rng } from '@cosearch/core';
import { shiftBatch, shiftImage } from './augment';

describe('random-shift augmentation', () => {
  // 3×3 single-channel image 1..9, row-major
  const img = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);

  it('shiftImage moves pixels by (dy, dx) and zero-fills the uncovered border (by hand)', () => {
    const out = new Float32Array(9);
    shiftImage(img, out, 3, 3, 1, 1, 0);
    expect(Array.from(out)).toEqual([0, 0, 0, 1, 2, 3, 4, 5, 6]);
    shiftImage(img, out, 3, 3, 1, 0, -1);
    expect(Array.from(out)).toEqual([2, 3, 0, 5, 6, 0, 8, 9, 0]);
    shiftImage(img, out, 3, 3, 1, -1, 1);
    expect(Array.from(out)).toEqual([0, 4, 5, 0, 7, 8, 0, 0, 0]);
    shiftImage(img, out, 3, 3, 1, 0, 0);
    expect(Array.from(out)).toEqual(Array.from(img));
  });

  it('keeps channels of a pixel together', () => {
    const rgb = Float32Array.from([1, 10, 2, 20, 3, 30, 4, 40]); // 2×2×2
    const out = new Float32Array(8);
    shiftImage(rgb, out, 2, 2, 2, 0, 1);
    expect(Array.from(out)).toEqual([0, 0, 1, 10, 0, 0, 3, 30]);
  });

  it('shiftBatch: 0 = unchanged; each image is one of its own shifts within ±maxShift; seeded', () => {
    const n = 200;
    const batch = new Float32Array(n * 9);
    for (let i = 0; i < n; i++) batch.set(img, i * 9);
    expect(shiftBatch(batch, n, 3, 3, 1, 0, new Rng(1))).toBe(batch);
    const a = shiftBatch(batch, n, 3, 3, 1, 1, new Rng(7));
    expect(Array.from(shiftBatch(batch, n, 3, 3, 1, 1, new Rng(7)))).toEqual(Array.from(a));
    const shifts = new Map<string, Float32Array>();
    const tmp = new Float32Array(9);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        shiftImage(img, tmp, 3, 3, 1, dy, dx);
        shifts.set(Array.from(tmp).join(','), tmp.slice());
      }
    }
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const key = Array.from(a.subarray(i * 9, (i + 1) * 9)).join(',');
      expect(shifts.has(key)).toBe(true);
      seen.add(key);
    }
    expect(seen.size).toBe(9); // all 9 offsets occur in 200 draws
    expect(Array.from(batch.subarray(0, 9))).toEqual(Array.from(img)); // input untouched
  });
});
