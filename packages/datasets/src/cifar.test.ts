import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError } from '@cosearch/core';
import { classCounts, loadDataset } from './index';

/**
 * Records in the exact CIFAR binary layout: label byte(s), then 1024 R, 1024 G, 1024 B bytes
 * (each plane 32×32 row-major). Pixel (ch, p) of record `id` = (id + 3·p + 85·ch) mod 256, so
 * both the record and the CHW→NHWC transposition can be checked.
 */
function records(ids: number[], labelsOf: (id: number) => number[]): Buffer {
  const parts = ids.map((id) => {
    const lab = labelsOf(id);
    const rec = Buffer.alloc(lab.length + 3072);
    lab.forEach((l, j) => (rec[j] = l));
    for (let ch = 0; ch < 3; ch++) for (let p = 0; p < 1024; p++) rec[lab.length + ch * 1024 + p] = (id + 3 * p + 85 * ch) % 256;
    return rec;
  });
  return Buffer.concat(parts);
}
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('cifar10 / cifar100 (binary)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cosearch-cifar-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // CIFAR-10: 5 training batches of 20 records (ids 0..99), test batch of 30 (ids 100..129); label = id mod 10.
  function writeCifar10(folder = dir) {
    mkdirSync(folder, { recursive: true });
    for (let b = 1; b <= 5; b++) writeFileSync(join(folder, `data_batch_${b}.bin`), records(range((b - 1) * 20, b * 20), (id) => [id % 10]));
    writeFileSync(join(folder, 'test_batch.bin'), records(range(100, 130), (id) => [id % 10]));
  }

  it('cifar10: reads every batch, converts CHW bytes to NHWC floats, keeps labels with images', () => {
    writeCifar10();
    const d = loadDataset({ name: 'cifar10', path: dir, seed: 4 });
    expect([d.train.n, d.val.n, d.test.n]).toEqual([90, 10, 30]);
    expect([d.train.height, d.train.width, d.train.channels, d.train.numClasses]).toEqual([32, 32, 3, 10]);
    const seen = new Set<number>();
    for (const s of [d.train, d.val, d.test]) {
      for (let k = 0; k < s.n; k++) {
        const base = k * 3072;
        const id = Math.round(s.images[base] * 255); // pixel (ch 0, p 0) = id (ids < 256)
        seen.add(id);
        expect(s.labels[k]).toBe(id % 10);
        for (const p of [0, 1, 33, 1023]) {
          for (let ch = 0; ch < 3; ch++) {
            expect(Math.round(s.images[base + p * 3 + ch] * 255)).toBe((id + 3 * p + 85 * ch) % 256);
          }
        }
      }
    }
    expect(seen.size).toBe(130); // all records, none twice
    expect(classCounts(d.val.labels, 10)).toEqual(new Array(10).fill(1)); // stratified
    expect(d.classNames?.[0]).toBe('airplane');
  });

  it('cifar10: finds the extracted archive folder and reads batches.meta.txt names', () => {
    writeCifar10(join(dir, 'cifar-10-batches-bin'));
    writeFileSync(join(dir, 'cifar-10-batches-bin', 'batches.meta.txt'), range(0, 10).map((i) => `class${i}`).join('\n') + '\n\n');
    const d = loadDataset({ name: 'cifar10', path: dir, limit: 65 });
    expect([d.train.n, d.val.n, d.test.n]).toEqual([45, 5, 15]);
    expect(d.classNames?.[3]).toBe('class3');
  });

  it('cifar100: fine and coarse labels from two label bytes', () => {
    const labels = (id: number) => [id % 20, (id * 7) % 100];
    writeFileSync(join(dir, 'train.bin'), records(range(0, 200), labels));
    writeFileSync(join(dir, 'test.bin'), records(range(200, 250), labels));
    const fine = loadDataset({ name: 'cifar100', path: dir, valFraction: 0.5 });
    expect([fine.train.n, fine.val.n, fine.test.n, fine.train.numClasses]).toEqual([100, 100, 50, 100]);
    for (let k = 0; k < fine.test.n; k++) expect(fine.test.labels[k]).toBe((Math.round(fine.test.images[k * 3072] * 255) * 7) % 100);
    const coarse = loadDataset({ name: 'cifar100', path: dir, labelMode: 'coarse' });
    expect(coarse.train.numClasses).toBe(20);
    for (let k = 0; k < coarse.train.n; k++) expect(coarse.train.labels[k]).toBe(Math.round(coarse.train.images[k * 3072] * 255) % 20);
  });

  it('missing path or files → errors that say what is needed', () => {
    expect(() => loadDataset({ name: 'cifar10' })).toThrow(ConfigError);
    expect(() => loadDataset({ name: 'cifar10' })).toThrow(/dataset\.path.*data_batch_1\.bin/);
    expect(() => loadDataset({ name: 'cifar10', path: dir })).toThrow(DataError);
    expect(() => loadDataset({ name: 'cifar10', path: dir })).toThrow(/data_batch_1\.bin: file not found; download the CIFAR-10 binary version/);
    expect(() => loadDataset({ name: 'cifar100', path: dir })).toThrow(/train\.bin: file not found; download the CIFAR-100 binary version/);
  });

  it.each([
    ['truncated batch', 'data_batch_3.bin', (b: Buffer) => b.subarray(0, b.length - 100), /wrong length: 61360 bytes is not a whole number of 3073-byte records/],
    ['empty batch', 'test_batch.bin', (_b: Buffer) => Buffer.alloc(0), /empty file/],
    ['label out of range', 'data_batch_2.bin', (b: Buffer) => { const c = Buffer.from(b); c[3073 * 4] = 10; return c; }, /label 10 of record 4 is out of range 0\.\.9/],
    ['gzip garbage', 'data_batch_1.bin', (b: Buffer) => Buffer.concat([Buffer.from([0x1f, 0x8b]), b.subarray(0, 50)]), /corrupt gzip data/],
  ])('%s → DataError naming the file', (_w, file, corrupt, message) => {
    writeCifar10();
    const p = join(dir, file);
    writeFileSync(p, corrupt(readFileSync(p)));
    let err: unknown;
    try {
      loadDataset({ name: 'cifar10', path: dir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).file).toBe(p);
    expect((err as Error).message).toMatch(message);
  });

  it('cifar100: a coarse label ≥ 20 is named even when fine labels are used', () => {
    writeFileSync(join(dir, 'train.bin'), records(range(0, 10), (id) => [id === 6 ? 25 : 1, 2]));
    writeFileSync(join(dir, 'test.bin'), records(range(10, 12), () => [1, 2]));
    expect(() => loadDataset({ name: 'cifar100', path: dir })).toThrow(/train\.bin: coarse label 25 of record 6 is out of range 0\.\.19/);
  });
});
