import { Rng } from '@cosearch/core';
import { tf } from '@cosearch/backend';

/**
 * Fast Gaussian noise tensors for the MVM output noise: a fixed table of 2^21 N(0,1) samples
 * (drawn once from a seeded Rng) is kept in JS memory, and each call copies a window at an offset
 * drawn from the caller's seed into a tensor (slicing a backend-resident table copied all of it
 * on wasm). Per-element draws (tf.randomNormal or Rng.normal) cost more than
 * the LeNet matrix products themselves; windows of a table this size are, for this purpose,
 * independent draws. Falls back to tf.randomNormal beyond the table size.
 */
const TABLE_SIZE = 1 << 21;
let table: Float32Array | null = null;

function getTable(): Float32Array {
  if (table === null) {
    const rng = new Rng(0x6e6f6973);
    table = new Float32Array(TABLE_SIZE);
    for (let i = 0; i < TABLE_SIZE; i++) table[i] = rng.normal();
  }
  return table;
}

/** N(0, std²) noise of the given 2-D shape, reproducible from `seed`. */
export function gaussianNoise(shape: [number, number], std: number, seed: number): tf.Tensor2D {
  const n = shape[0] * shape[1];
  if (n > TABLE_SIZE / 2) return tf.randomNormal(shape, 0, std, 'float32', seed);
  const off = new Rng(seed).int(TABLE_SIZE - n);
  const t = getTable();
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = std * t[off + i];
  return tf.tensor2d(out, shape);
}
