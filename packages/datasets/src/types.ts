/**
 * The shapes every loader returns. Images are NHWC float32 in [0,1] (after `normalise` they are
 * standardised instead); labels are class indices 0..numClasses−1.
 */
export interface ImageSet {
  /** n × height × width × channels values, NHWC order. */
  images: Float32Array;
  labels: Int32Array;
  n: number;
  height: number;
  width: number;
  channels: number;
  numClasses: number;
}

export interface DatasetSplits {
  name: string;
  train: ImageSet;
  val: ImageSet;
  test: ImageSet;
  classNames?: string[];
}

/** Built-in dataset names; loaders added through `datasetRegistry` use their own names. */
export type BuiltinDatasetName = 'mnist' | 'mnist-idx' | 'fashion-mnist' | 'cifar10' | 'cifar100' | 'synthetic';

export interface DatasetConfig {
  // `string & {}` keeps editor completion of the built-in names while allowing registered ones.
  name: BuiltinDatasetName | (string & {});
  /** Folder with the dataset files (fashion-mnist default: /usr/share/datasets/fashion-mnist/; mnist-idx, cifar: required). */
  path?: string;
  /** Seed of the split, the `limit` subsample and synthetic data (default 0). */
  seed?: number;
  /** Share of the training pool held out for validation, stratified (default 0.1). */
  valFraction?: number;
  /** Share held out for test; only for datasets without their own test split (mnist, synthetic; default 0.1). */
  testFraction?: number;
  /** At most this many samples over train+val+test, drawn stratified and seeded (default: all). */
  limit?: number;
  /** cifar100 only: 'fine' (100 classes, default) or 'coarse' (20 superclasses). */
  labelMode?: 'fine' | 'coarse';
  /** Loader-specific options (synthetic: height, width, channels, numClasses, samples, noise). */
  options?: Record<string, unknown>;
}

/** One mini-batch: copies of the selected samples plus their indices in the source set. */
export interface Batch {
  images: Float32Array;
  labels: Int32Array;
  n: number;
  indices: Int32Array;
}
