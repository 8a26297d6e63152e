import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ConfigError, DataError } from '@cosearch/core';
import { classCounts, FASHION_MNIST_DEFAULT_PATH, IDX_LABELS_MAGIC, loadDataset, parseIdx } from './index';

/** Writes an IDX file exactly as the format says: 0,0,type 0x08,ndims, big-endian dims, bytes. */
function idx(dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}

/** Sample i of a small fake set: every pixel = i mod 256 (traceable), label = i mod 10. */
function fakeSet(n: number, rows = 4, cols = 3) {
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  const pixels = new Uint8Array(n * rows * cols);
  for (let i = 0; i < n; i++) pixels.fill(i % 256, i * rows * cols, (i + 1) * rows * cols);
  return { images: idx([n, rows, cols], pixels), labels: idx([n], labels) };
}

describe('fashion-mnist (IDX)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cosearch-idx-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function writeAll(opts: { gzip?: boolean; nTrain?: number; nTest?: number } = {}) {
    const z = (b: Buffer) => (opts.gzip ? gzipSync(b) : b);
    const ext = opts.gzip ? '.gz' : '';
    const train = fakeSet(opts.nTrain ?? 200), test = fakeSet(opts.nTest ?? 50);
    writeFileSync(join(dir, `train-images-idx3-ubyte${ext}`), z(train.images));
    writeFileSync(join(dir, `train-labels-idx1-ubyte${ext}`), z(train.labels));
    writeFileSync(join(dir, `t10k-images-idx3-ubyte${ext}`), z(test.images));
    writeFileSync(join(dir, `t10k-labels-idx1-ubyte${ext}`), z(test.labels));
  }

  it.each([false, true])('reads raw and gzipped files (gzip=%s): shapes, pixel values /255, labels, splits', (gzip) => {
    writeAll({ gzip });
    const d = loadDataset({ name: 'fashion-mnist', path: dir, seed: 3 });
    expect([d.train.n, d.val.n, d.test.n]).toEqual([180, 20, 50]);
    expect([d.train.height, d.train.width, d.train.channels, d.train.numClasses]).toEqual([4, 3, 1, 10]);
    for (const s of [d.train, d.val, d.test]) {
      for (let k = 0; k < s.n; k++) {
        const v = s.images[k * 12] * 255;
        // Pixel bytes are scaled by 1/255 exactly and every pixel of a sample is the same byte.
        expect(Math.abs(v - Math.round(v))).toBeLessThan(1e-4);
        expect(s.images.subarray(k * 12, k * 12 + 12).every((x) => x === s.images[k * 12])).toBe(true);
        // Train sample i (< 256 here) carries byte i and label i mod 10.
        if (s !== d.test) expect(s.labels[k]).toBe(Math.round(v) % 10);
      }
    }
    const trainIds = new Set([...Array(d.train.n).keys()].map((k) => Math.round(d.train.images[k * 12] * 255)));
    const valIds = [...Array(d.val.n).keys()].map((k) => Math.round(d.val.images[k * 12] * 255));
    expect(trainIds.size).toBe(180);
    expect(valIds.some((v) => trainIds.has(v))).toBe(false); // disjoint
    // Test split is the whole t10k file: its labels are 5 of each class.
    expect(classCounts(d.test.labels, 10)).toEqual(new Array(10).fill(5));
    // Validation is carved out of train, stratified: 2 per class.
    expect(classCounts(d.val.labels, 10)).toEqual(new Array(10).fill(2));
    expect(d.classNames?.[9]).toBe('Ankle boot');
  });

  it('keeps each image with its own label', () => {
    writeAll();
    const d = loadDataset({ name: 'fashion-mnist', path: dir });
    // Test sample i has pixel (7i + i mod 10) mod 256 and label i mod 10; check the pairing is intact.
    // Test sample i has pixel byte i and label i mod 10; the pairing must survive the shuffle.
    for (let k = 0; k < d.test.n; k++) expect(d.test.labels[k]).toBe(Math.round(d.test.images[k * 12] * 255) % 10);
    expect(new Set([...Array(d.test.n).keys()].map((k) => d.test.images[k * 12])).size).toBe(50);
  });

  it('limit splits the budget between the train and test files in proportion', () => {
    writeAll({ nTrain: 400, nTest: 100 });
    const d = loadDataset({ name: 'fashion-mnist', path: dir, limit: 100, valFraction: 0.2 });
    expect([d.train.n, d.val.n, d.test.n]).toEqual([64, 16, 20]);
    expect(classCounts(d.test.labels, 10)).toEqual(new Array(10).fill(2));
  });

  it('missing files: the error names the file and says how to get it', () => {
    expect(() => loadDataset({ name: 'fashion-mnist', path: dir })).toThrow(DataError);
    expect(() => loadDataset({ name: 'fashion-mnist', path: dir })).toThrow(/train-images-idx3-ubyte: file not found; install .*apt-get install dataset-fashion-mnist.*`path`/);
  });

  it.each([
    ['truncated image file', (b: Buffer) => b.subarray(0, b.length - 5), 'train-images-idx3-ubyte', /truncated: header declares 200 × 4 × 3 = 2400 data bytes but only 2395 follow/],
    ['header cut short', (b: Buffer) => b.subarray(0, 10), 'train-images-idx3-ubyte', /truncated: 10 bytes, shorter than the 16-byte IDX header/],
    ['trailing bytes', (b: Buffer) => Buffer.concat([b, Buffer.alloc(3)]), 'train-labels-idx1-ubyte', /3 unexpected bytes after the 200 data/],
    ['wrong magic (labels file given as images)', (_b: Buffer) => fakeSet(200).labels, 'train-images-idx3-ubyte', /wrong magic number 0x00000801 \(expected 0x00000803/],
    ['label out of range', (b: Buffer) => { const c = Buffer.from(b); c[8 + 17] = 12; return c; }, 'train-labels-idx1-ubyte', /label 12 of sample 17 is out of range 0\.\.9/],
    ['gzip garbage', (b: Buffer) => Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), b.subarray(0, 40)]), 't10k-images-idx3-ubyte', /corrupt gzip data/],
    ['count mismatch', (_b: Buffer) => fakeSet(199).labels, 'train-labels-idx1-ubyte', /holds 199 labels but .*train-images-idx3-ubyte holds 200 images/],
  ])('%s → DataError naming the file and the problem', (_what, corrupt, file, message) => {
    writeAll();
    const p = join(dir, file);
    writeFileSync(p, corrupt(readFileSync(p)));
    let err: unknown;
    try {
      loadDataset({ name: 'fashion-mnist', path: dir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).file).toBe(p);
    expect((err as Error).message).toMatch(message);
  });

  it('mnist-idx reads the same IDX layout from a required path with digit names', () => {
    writeAll({ gzip: true });
    const d = loadDataset({ name: 'mnist-idx', path: dir });
    expect([d.name, d.train.n, d.val.n, d.test.n, d.classNames?.[3]]).toEqual(['mnist-idx', 180, 20, 50, '3']);
    expect(() => loadDataset({ name: 'mnist-idx' })).toThrow(/dataset\.path: got undefined, expected the folder holding train-images-idx3-ubyte/);
  });

  it('rejects testFraction (the files have their own test split)', () => {
    expect(() => loadDataset({ name: 'fashion-mnist', path: dir, testFraction: 0.1 })).toThrow(ConfigError);
  });

  const installed = existsSync(join(FASHION_MNIST_DEFAULT_PATH, 'train-images-idx3-ubyte.gz'));
  (installed ? it : it.skip)('reads the Debian dataset-fashion-mnist files: 60k + 10k, 6,000 per class in train', () => {
    // Label file checked directly: 60,000 labels, 6,000 per class, first one 9 (Ankle boot).
    const labels = parseIdx(gunzipSync(readFileSync(join(FASHION_MNIST_DEFAULT_PATH, 'train-labels-idx1-ubyte.gz'))), 'train labels', IDX_LABELS_MAGIC);
    expect(labels.dims).toEqual([60000]);
    expect(labels.data[0]).toBe(9);
    expect(classCounts(labels.data, 10)).toEqual(new Array(10).fill(6000));
    // A stratified 7,000-sample draw through the loader: 6,000 from train (600/class) and 1,000 test.
    const d = loadDataset({ name: 'fashion-mnist', limit: 7000 });
    expect([d.train.n, d.val.n, d.test.n]).toEqual([5400, 600, 1000]);
    expect(classCounts(d.val.labels, 10)).toEqual(new Array(10).fill(60));
    expect(classCounts(d.test.labels, 10)).toEqual(new Array(10).fill(100));
    expect([d.test.height, d.test.width, d.test.channels]).toEqual([28, 28, 1]);
    const mean = d.train.images.reduce((a, b) => a + b, 0) / d.train.images.length;
    expect(mean).toBeGreaterThan(0.2); // Fashion-MNIST mean pixel ≈ 0.286
    expect(mean).toBeLessThan(0.37);
  });
});
