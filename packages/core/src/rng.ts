/**
 * Seeded pseudo-random numbers for every package (no `Math.random` anywhere in cosearch).
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018) — 128-bit state, fast in 32-bit integer JS
 * arithmetic, passes BigCrush. Seeds are expanded with splitmix32 so nearby seeds give
 * unrelated streams. `fork(label)` derives an independent child stream from the parent's seed
 * and a label (not from the parent's position), so workers get the same streams however many
 * numbers the parent has drawn. The state is plain data: `state()` / `Rng.fromState()` make it
 * checkpointable.
 */
export interface RngState {
  seed: number;
  s: [number, number, number, number];
  spareNormal: number | null;
}

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a hash of a string, used to turn fork labels into seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class Rng {
  private s: [number, number, number, number];
  private spareNormal: number | null = null;

  constructor(readonly seed: number) {
    if (!Number.isInteger(seed)) throw new TypeError(`Rng seed must be an integer, got ${seed}`);
    const next = splitmix32(seed);
    this.s = [next(), next(), next(), next()];
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  static fromState(state: RngState): Rng {
    const rng = new Rng(state.seed);
    rng.s = [...state.s] as [number, number, number, number];
    rng.spareNormal = state.spareNormal;
    return rng;
  }

  state(): RngState {
    return { seed: this.seed, s: [...this.s] as [number, number, number, number], spareNormal: this.spareNormal };
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    s[0] >>>= 0; s[1] >>>= 0; s[2] >>>= 0; s[3] >>>= 0;
    return result;
  }

  /** Uniform float in [0, 1) with 53 bits of resolution. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n > 0) || !Number.isInteger(n)) throw new RangeError(`Rng.int needs a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Standard normal deviate (Marsaglia polar method), scaled to N(mean, std²). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return mean + std * u * f;
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick on an empty array');
    return items[this.int(items.length)];
  }

  /** Index drawn with probability proportional to non-negative weights. */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    if (!(total > 0)) throw new RangeError('Rng.categorical needs a positive total weight');
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
    return weights.length - 1;
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    return p;
  }

  /**
   * An independent child stream identified by `label`. Depends only on this generator's seed and
   * the label, so `rng.fork('worker-3')` is the same stream wherever and whenever it is called.
   */
  fork(label: string | number): Rng {
    const mixed = splitmix32((this.seed ^ hashString(String(label))) >>> 0)();
    return new Rng(mixed | 0);
  }

  /** A fresh integer seed drawn from this stream (for libraries that take a numeric seed). */
  nextSeed(): number {
    return this.nextUint32() | 0;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
