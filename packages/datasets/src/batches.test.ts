import { Rng } from '@cosearch/core';
import { batches, batchCount } from './index';
import type { ImageSet } from './index';

/** A set whose sample i has every pixel equal to i and label i mod 3, so batches can be traced. */
function traced(n: number, s = 4): ImageSet {
  const images = new Float32Array(n * s);
  for (let i = 0; i < n; i++) images.fill(i, i * s, (i + 1) * s);
  return { images, labels: Int32Array.from({ length: n }, (_, i) => i % 3), n, height: 2, width: 2, channels: 1, numClasses: 3 };
}

describe('batches', () => {
  it('covers every sample exactly once per epoch, with matching images and labels', () => {
    const set = traced(103);
    const seen: number[] = [];
    const sizes: number[] = [];
    for (const b of batches(set, 10, new Rng(1))) {
      sizes.push(b.n);
      for (let i = 0; i < b.n; i++) {
        const id = b.images[i * 4];
        expect(b.images.subarray(i * 4, i * 4 + 4).every((v) => v === id)).toBe(true);
        expect(b.labels[i]).toBe(id % 3);
        expect(b.indices[i]).toBe(id);
        seen.push(id);
      }
    }
    expect(sizes).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3]);
    expect(seen.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    expect(seen).not.toEqual(Array.from({ length: 103 }, (_, i) => i)); // shuffled
    expect(batchCount(103, 10)).toBe(11);
  });

  it('drops the short last batch when asked', () => {
    const out = [...batches(traced(25), 10, new Rng(2), { dropLast: true })];
    expect(out.map((b) => b.n)).toEqual([10, 10]);
    expect(batchCount(25, 10, true)).toBe(2);
  });

  it('is reproducible from the rng seed and differs across epochs of one stream', () => {
    const order = (rng: Rng) => [...batches(traced(50), 7, rng)].flatMap((b) => [...b.indices]);
    expect(order(new Rng(9))).toEqual(order(new Rng(9)));
    const r = new Rng(9);
    expect(order(r)).not.toEqual(order(r));
  });

  it('rejects a bad batch size', () => {
    expect(() => batches(traced(5), 0, new Rng(1))).toThrow(/batchSize: got 0, expected a positive integer/);
    expect(() => batches(traced(5), 2.5, new Rng(1))).toThrow(/batchSize: got 2\.5/);
  });
});
