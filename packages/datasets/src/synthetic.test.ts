import { ConfigError } from '@cosearch/core';
import { classCounts, loadDataset, syntheticPrototype, SYNTHETIC_DEFAULTS } from './index';

describe('synthetic', () => {
  it('default: 8×8×1, 4 balanced classes, 320/40/40, values in [0,1]', () => {
    const d = loadDataset({ name: 'synthetic' });
    expect([d.train.n, d.val.n, d.test.n]).toEqual([320, 40, 40]);
    expect([d.train.height, d.train.width, d.train.channels, d.train.numClasses]).toEqual([8, 8, 1, 4]);
    expect(classCounts(d.val.labels, 4)).toEqual([10, 10, 10, 10]);
    expect(d.train.images.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('is deterministic per seed and changes with the seed', () => {
    const a = loadDataset({ name: 'synthetic', seed: 7 });
    const b = loadDataset({ name: 'synthetic', seed: 7 });
    const c = loadDataset({ name: 'synthetic', seed: 8 });
    const bytes = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
    expect(bytes(a.train.images).equals(bytes(b.train.images))).toBe(true);
    expect(bytes(a.train.images).equals(bytes(c.train.images))).toBe(false);
  });

  it('is learnable: nearest-prototype classification of the test split is ≥ 90% correct', () => {
    const o = { ...SYNTHETIC_DEFAULTS, numClasses: 6, channels: 3, samples: 600 };
    const d = loadDataset({ name: 'synthetic', options: { numClasses: 6, channels: 3, samples: 600 } });
    const protos = Array.from({ length: 6 }, (_, c) => syntheticPrototype(c, o));
    const s = 8 * 8 * 3;
    let correct = 0;
    for (let k = 0; k < d.test.n; k++) {
      let best = -1, bestD = Infinity;
      protos.forEach((p, c) => {
        let dist = 0;
        for (let j = 0; j < s; j++) dist += (d.test.images[k * s + j] - p[j]) ** 2;
        if (dist < bestD) { bestD = dist; best = c; }
      });
      if (best === d.test.labels[k]) correct++;
    }
    expect(correct / d.test.n).toBeGreaterThanOrEqual(0.9);
    // ...and not trivially noise-free: samples differ from their prototype.
    expect(d.test.images[0]).not.toBeCloseTo(protos[d.test.labels[0]][0], 3);
  });

  it('prototype of class 0 is a horizontal grating: constant down each column', () => {
    const p = syntheticPrototype(0, SYNTHETIC_DEFAULTS);
    for (let x = 0; x < 8; x++) for (let y = 1; y < 8; y++) expect(p[y * 8 + x]).toBeCloseTo(p[x], 6);
    expect(p[0]).toBeCloseTo(0.5, 6); // sin(0) = 0 → 0.5
    expect(p[1]).toBeCloseTo(0.5 + 0.4 * Math.sin((2 * Math.PI * 2) / 8), 6);
  });

  it('rejects bad options naming the field', () => {
    expect(() => loadDataset({ name: 'synthetic', options: { numClasses: 1 } })).toThrow(ConfigError);
    expect(() => loadDataset({ name: 'synthetic', options: { numClasses: 1 } })).toThrow(/dataset\.options\.numClasses: got 1/);
    expect(() => loadDataset({ name: 'synthetic', options: { colour: 1 } })).toThrow(/dataset\.options\.colour/);
  });
});
