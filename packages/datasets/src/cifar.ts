import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DataError } from '@cosearch/core';
import { rejectTestFraction, type ResolvedDatasetConfig } from './config';
import { readDataFile } from './files';
import { fromBytes } from './image-set';
import { splitTrainTest } from './pool';
import type { DatasetSplits } from './types';

/**
 * CIFAR-10/100 "binary version" (Krizhevsky 2009, https://www.cs.toronto.edu/~kriz/cifar.html):
 * fixed-size records, no header. CIFAR-10: 1 label byte + 3072 pixel bytes; CIFAR-100: coarse
 * label byte, fine label byte, then 3072 pixel bytes. Pixels are planar: 1024 red, 1024 green,
 * 1024 blue, each 32×32 row-major (CHW); we convert to NHWC floats in [0,1].
 */
export const CIFAR_SIZE = 32;
export const CIFAR_PIXELS = 3 * CIFAR_SIZE * CIFAR_SIZE;

export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

interface CifarFormat {
  /** Label bytes at the start of each record. */
  labelBytes: number;
  /** Each label byte's name and class count (checked on read). */
  labels: { name: string; classes: number }[];
}
export const CIFAR10_FORMAT: CifarFormat = { labelBytes: 1, labels: [{ name: 'label', classes: 10 }] };
export const CIFAR100_FORMAT: CifarFormat = { labelBytes: 2, labels: [{ name: 'coarse label', classes: 20 }, { name: 'fine label', classes: 100 }] };

/** Reads one batch file, checking its length and every label byte. Returns records and the chosen label column. */
export function readCifarBatch(file: string, format: CifarFormat, labelColumn: number, howToGet: string): { bytes: Uint8Array; labels: Uint8Array; n: number } {
  const bytes = readDataFile(file, howToGet);
  const record = format.labelBytes + CIFAR_PIXELS;
  if (bytes.length === 0) throw new DataError(file, 'empty file');
  if (bytes.length % record !== 0) {
    throw new DataError(file, `wrong length: ${bytes.length} bytes is not a whole number of ${record}-byte records (truncated or not a CIFAR binary file)`);
  }
  const n = bytes.length / record;
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    format.labels.forEach((l, j) => {
      const v = bytes[i * record + j];
      if (v >= l.classes) throw new DataError(file, `${l.name} ${v} of record ${i} is out of range 0..${l.classes - 1}`);
    });
    labels[i] = bytes[i * record + labelColumn];
  }
  return { bytes, labels, n };
}

/** Reads and concatenates several batch files into one record array. */
function readCifarFiles(files: string[], format: CifarFormat, labelColumn: number, howToGet: string) {
  const parts = files.map((f) => readCifarBatch(f, format, labelColumn, howToGet));
  const n = parts.reduce((a, p) => a + p.n, 0);
  if (parts.length === 1) return parts[0];
  const bytes = new Uint8Array(parts.reduce((a, p) => a + p.bytes.length, 0));
  const labels = new Uint8Array(n);
  let at = 0, li = 0;
  for (const p of parts) {
    bytes.set(p.bytes, at);
    labels.set(p.labels, li);
    at += p.bytes.length;
    li += p.n;
  }
  return { bytes, labels, n };
}

/** Class names from the archive's text file when present (one per line), else `fallback`. */
function readNames(file: string, count: number, fallback: string[] | undefined): string[] | undefined {
  if (existsSync(file)) {
    const names = readFileSync(file, 'utf8').split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0);
    if (names.length === count) return names;
  }
  return fallback;
}

/** The given folder, or its archive sub-folder (`cifar-10-batches-bin`, `cifar-100-binary`) when that holds the files. */
function resolveFolder(path: string, sub: string, probe: string): string {
  return !existsSync(join(path, probe)) && existsSync(join(path, sub, probe)) ? join(path, sub) : path;
}

function requirePath(config: ResolvedDatasetConfig, what: string): string {
  if (config.path === undefined) throw new ConfigError('dataset.path', undefined, `the folder holding ${what}`);
  return config.path;
}

function splitsFrom(name: string, train: ReturnType<typeof readCifarFiles>, test: ReturnType<typeof readCifarFiles>, format: CifarFormat, numClasses: number, config: ResolvedDatasetConfig, classNames?: string[]): DatasetSplits {
  const idx = splitTrainTest(train.labels, test.labels, numClasses, config);
  const shape = { height: CIFAR_SIZE, width: CIFAR_SIZE, channels: 3, numClasses };
  const layout = { kind: 'chw' as const, stride: format.labelBytes + CIFAR_PIXELS, offset: format.labelBytes };
  return {
    name,
    train: fromBytes(train.bytes, idx.train, shape, train.labels, layout),
    val: fromBytes(train.bytes, idx.val, shape, train.labels, layout),
    test: fromBytes(test.bytes, idx.test, shape, test.labels, layout),
    classNames,
  };
}

const CIFAR10_HOW =
  'download the CIFAR-10 binary version (https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz), extract it and pass the folder as `path`';
const CIFAR100_HOW =
  'download the CIFAR-100 binary version (https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz), extract it and pass the folder as `path`';

/** CIFAR-10: data_batch_1..5.bin (50,000) for train/val, test_batch.bin (10,000) for test. */
export function loadCifar10(config: ResolvedDatasetConfig): DatasetSplits {
  rejectTestFraction(config);
  const folder = resolveFolder(requirePath(config, 'data_batch_1.bin … data_batch_5.bin and test_batch.bin (CIFAR-10 binary version)'), 'cifar-10-batches-bin', 'data_batch_1.bin');
  const trainFiles = [1, 2, 3, 4, 5].map((i) => join(folder, `data_batch_${i}.bin`));
  const train = readCifarFiles(trainFiles, CIFAR10_FORMAT, 0, CIFAR10_HOW);
  const test = readCifarFiles([join(folder, 'test_batch.bin')], CIFAR10_FORMAT, 0, CIFAR10_HOW);
  return splitsFrom('cifar10', train, test, CIFAR10_FORMAT, 10, config, readNames(join(folder, 'batches.meta.txt'), 10, [...CIFAR10_CLASSES]));
}

/** CIFAR-100: train.bin (50,000) and test.bin (10,000); fine (100) or coarse (20) labels. */
export function loadCifar100(config: ResolvedDatasetConfig): DatasetSplits {
  rejectTestFraction(config);
  const folder = resolveFolder(requirePath(config, 'train.bin and test.bin (CIFAR-100 binary version)'), 'cifar-100-binary', 'train.bin');
  const coarse = config.labelMode === 'coarse';
  const column = coarse ? 0 : 1;
  const numClasses = coarse ? 20 : 100;
  const train = readCifarFiles([join(folder, 'train.bin')], CIFAR100_FORMAT, column, CIFAR100_HOW);
  const test = readCifarFiles([join(folder, 'test.bin')], CIFAR100_FORMAT, column, CIFAR100_HOW);
  const names = readNames(join(folder, coarse ? 'coarse_label_names.txt' : 'fine_label_names.txt'), numClasses, undefined);
  return splitsFrom('cifar100', train, test, CIFAR100_FORMAT, numClasses, config, names);
}
