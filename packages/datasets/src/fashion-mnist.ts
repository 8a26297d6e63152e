import { ConfigError, DataError } from '@cosearch/core';
import { rejectTestFraction, type ResolvedDatasetConfig } from './config';
import { locate } from './files';
import { fromBytes } from './image-set';
import { checkLabels, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, readIdx } from './idx';
import { splitTrainTest } from './pool';
import type { DatasetSplits } from './types';

/** Where Debian's `dataset-fashion-mnist` package installs the four gzipped IDX files. */
export const FASHION_MNIST_DEFAULT_PATH = '/usr/share/datasets/fashion-mnist/';

/** Label names, from the zalandoresearch/fashion-mnist README. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

const HOW_TO_GET =
  'install Fashion-MNIST with `sudo apt-get install dataset-fashion-mnist` (files land in /usr/share/datasets/fashion-mnist/), ' +
  'or download the four IDX files from https://github.com/zalandoresearch/fashion-mnist and pass their folder as `path`';

/** One images+labels IDX pair, checked against each other. */
export function readIdxPair(folder: string, prefix: string, numClasses: number) {
  const imagesFile = locate(folder, [`${prefix}-images-idx3-ubyte`, `${prefix}-images-idx3-ubyte.gz`]);
  const labelsFile = locate(folder, [`${prefix}-labels-idx1-ubyte`, `${prefix}-labels-idx1-ubyte.gz`]);
  const images = readIdx(imagesFile, IDX_IMAGES_MAGIC, HOW_TO_GET);
  const labels = readIdx(labelsFile, IDX_LABELS_MAGIC, HOW_TO_GET);
  const [n, rows, cols] = images.dims;
  if (labels.dims[0] !== n) {
    throw new DataError(labelsFile, `holds ${labels.dims[0]} labels but ${imagesFile} holds ${n} images`);
  }
  if (rows < 1 || cols < 1) throw new DataError(imagesFile, `image size ${rows} × ${cols} is empty`);
  checkLabels(labels.data, numClasses, labelsFile);
  return { pixels: images.data, labels: labels.data, n, rows, cols };
}

interface IdxDatasetInfo {
  name: string;
  folder: string;
  classNames: string[];
}

/** Train (`train-*`) and test (`t10k-*`) IDX pairs of one folder; validation carved out of train. */
function loadIdxDataset(config: ResolvedDatasetConfig, info: IdxDatasetInfo): DatasetSplits {
  rejectTestFraction(config);
  const train = readIdxPair(info.folder, 'train', 10);
  const test = readIdxPair(info.folder, 't10k', 10);
  if (test.rows !== train.rows || test.cols !== train.cols) {
    throw new DataError(info.folder, `test images are ${test.rows} × ${test.cols} but training images are ${train.rows} × ${train.cols}`);
  }
  const idx = splitTrainTest(train.labels, test.labels, 10, config);
  const shape = { height: train.rows, width: train.cols, channels: 1, numClasses: 10 };
  const layout = { kind: 'hwc' as const, stride: train.rows * train.cols, offset: 0 };
  return {
    name: info.name,
    train: fromBytes(train.pixels, idx.train, shape, train.labels, layout),
    val: fromBytes(train.pixels, idx.val, shape, train.labels, layout),
    test: fromBytes(test.pixels, idx.test, shape, test.labels, layout),
    classNames: [...info.classNames],
  };
}

/**
 * Fashion-MNIST (Xiao et al. 2017): 60,000 training + 10,000 test images, 28×28 greyscale,
 * 10 classes, from IDX files (raw or gzipped). Validation is carved out of the training file.
 */
export function loadFashionMnist(config: ResolvedDatasetConfig): DatasetSplits {
  return loadIdxDataset(config, { name: 'fashion-mnist', folder: config.path ?? FASHION_MNIST_DEFAULT_PATH, classNames: FASHION_MNIST_CLASSES });
}

/** The full 60k + 10k MNIST from its original IDX files in `path` (same file names and format). */
export function loadMnistIdx(config: ResolvedDatasetConfig): DatasetSplits {
  if (config.path === undefined) {
    throw new ConfigError('dataset.path', undefined, 'the folder holding train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), t10k-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz)');
  }
  return loadIdxDataset(config, { name: 'mnist-idx', folder: config.path, classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] });
}
