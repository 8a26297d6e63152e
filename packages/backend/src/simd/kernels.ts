import { assemble, Fn } from './wasm-builder';

/**
 * The SIMD loops, written with the builder and assembled once into a module that imports
 * tfjs-backend-wasm's own memory, so they read and write tensors in place (no copies).
 * Arguments are byte addresses and sizes; `cB` is a row of C float32 channels in bytes. The
 * channel loops (depthwise, BN) need C % 4 = 0 and the matrix products their stated multiples
 * (the callers check and fall back to tfjs kernels otherwise); `colsum` and `bmm` take any size.
 * Loops run over rows (all leading axes flattened) and, innermost, over channels 4 (or 8) at a
 * time. Float sums run in a fixed order, so results are deterministic.
 */

/**
 * colsum(x, P, R, C, out, scale): out[p, c] = scale · Σ_r x[p, r, c] for x [P, R, C] (column
 * sums; any C, the last C % 4 columns scalar).
 */
function colsum(): Fn {
  const f = new Fn('colsum', [['x', 'i32'], ['P', 'i32'], ['R', 'i32'], ['C', 'i32'], ['out', 'i32'], ['scale', 'f32']]);
  f.locals('i32', 'p', 'r', 'cb', 'cB', 'c4B', 'xp', 'op').locals('v128', 'vs');
  f.set('cB', () => f.mul('C', 4));
  f.set('c4B', () => f.mul(() => f.and('C', -4), 4));
  f.set('vs', () => f.splat('scale'));
  f.set('xp', 'x').set('op', 'out');
  f.for('p', 0, 'P', 1, () => {
    f.for('cb', 0, 'cB', 4, () => f.storeF32(() => f.add('op', 'cb'), () => f.f32(0)));
    f.for('r', 0, 'R', 1, () => {
      f.for('cb', 0, 'c4B', 16, () =>
        f.store(() => f.add('op', 'cb'), () => f.vadd(() => f.load(() => f.add('op', 'cb')), () => f.load(() => f.add('xp', 'cb')))),
      );
      f.for('cb', 'c4B', 'cB', 4, () =>
        f.storeF32(() => f.add('op', 'cb'), () => f.fadd(() => f.loadF32(() => f.add('op', 'cb')), () => f.loadF32(() => f.add('xp', 'cb')))),
      );
      f.inc('xp', 'cB');
    });
    f.for('cb', 0, 'c4B', 16, () => f.store(() => f.add('op', 'cb'), () => f.vmul(() => f.load(() => f.add('op', 'cb')), 'vs')));
    f.for('cb', 'c4B', 'cB', 4, () => f.storeF32(() => f.add('op', 'cb'), () => f.fmul(() => f.loadF32(() => f.add('op', 'cb')), 'scale')));
    f.inc('op', 'cB');
  });
  return f;
}

/**
 * The three depthwise-convolution loops (channel multiplier 1), row by row so the rows in use
 * stay in L1: for each image n and output row oy, each filter row ky whose input row
 * iy = oy·sH + ky·dH − pt lies inside the image, each filter column kx, the output columns
 * ox ∈ [ox0, ox1) whose input column ix = ox·sW + kx·dW − pl lies inside (the caller's table
 * `kxRange`: ox0, ox1 as i32 pairs per kx), and f32x4 over channels:
 *   dwFwd:     O[n,oy,ox] += I[n,iy,ix] · F[ky,kx]   (O = y, zeroed here row by row)
 *   dwBwdIn:   I[n,iy,ix] += O[n,oy,ox] · F[ky,kx]   (I = dx, zeroed by the caller)
 *   dwBwdFilt: F[ky,kx]   += I[n,iy,ix] · O[n,oy,ox] (F = dW, zeroed by the caller)
 * Arguments (I, O, F, N, H, W, cB, Ho, Wo, fh, fw, sH, sW, dH, dW, pt, pl, kxRange); sizes in
 * elements except cB (a pixel's C channels in bytes).
 */
function dwRows(name: string, kind: 'fwd' | 'bwdIn' | 'bwdFilt'): Fn {
  const f = new Fn(name, [
    ['I', 'i32'], ['O', 'i32'], ['F', 'i32'], ['N', 'i32'], ['H', 'i32'], ['W', 'i32'], ['cB', 'i32'], ['Ho', 'i32'], ['Wo', 'i32'],
    ['fh', 'i32'], ['fw', 'i32'], ['sH', 'i32'], ['sW', 'i32'], ['dH', 'i32'], ['dW', 'i32'], ['pt', 'i32'], ['pl', 'i32'], ['kxRange', 'i32'],
  ]);
  f.locals('i32', 'n', 'oy', 'ky', 'kx', 'ox', 'ox1', 'iy', 'cb', 'orow', 'irow', 'ip', 'op', 'fp', 'iStep', 'rowB', 'ap', 'up', 'vp', 'unroll');
  f.set('iStep', () => f.mul('sW', 'cB'));
  setUnroll(f);
  f.set('rowB', () => f.mul('Wo', 'cB'));
  f.for('n', 0, 'N', 1, () => {
    f.for('oy', 0, 'Ho', 1, () => {
      f.set('orow', () => f.add('O', () => f.mul(() => f.add(() => f.mul('n', 'Ho'), 'oy'), 'rowB')));
      if (kind === 'fwd') f.for('cb', 0, 'rowB', 16, () => f.store(() => f.add('orow', 'cb'), () => f.vzero()));
      f.for('ky', 0, 'fh', 1, () => {
        f.set('iy', () => f.sub(() => f.add(() => f.mul('oy', 'sH'), () => f.mul('ky', 'dH')), 'pt'));
        f.if(() => f.ltU('iy', 'H'), () => {
          f.set('irow', () => f.add('I', () => f.mul(() => f.mul(() => f.add(() => f.mul('n', 'H'), 'iy'), 'W'), 'cB')));
          f.for('kx', 0, 'fw', 1, () => {
            f.set('ox', () => f.loadI32(() => f.add('kxRange', () => f.mul('kx', 8))));
            f.set('ox1', () => f.loadI32(() => f.add('kxRange', () => f.mul('kx', 8)), 4));
            f.set('fp', () => f.add('F', () => f.mul(() => f.add(() => f.mul('ky', 'fw'), 'kx'), 'cB')));
            // input pixel of the first output column: ix = ox·sW + kx·dW − pl
            f.set('ip', () => f.add('irow', () => f.mul(() => f.sub(() => f.add(() => f.mul('ox', 'sW'), () => f.mul('kx', 'dW')), 'pl'), 'cB')));
            f.set('op', () => f.add('orow', () => f.mul('ox', 'cB')));
            const [dst, u, v] = kind === 'fwd' ? ['op', 'ip', 'fp'] : kind === 'bwdIn' ? ['ip', 'op', 'fp'] : ['fp', 'ip', 'op'];
            // dst[c..c+4] += u[c..c+4]·v[c..c+4] at byte offset `off` from the current channel group
            const axpy = (off: number) =>
              f.store('ap', () => f.vadd(() => f.load('ap', off), () => f.vmul(() => f.load('up', off), () => f.load('vp', off))), off);
            const pointers = () => {
              f.set('ap', () => f.add(dst, 'cb'));
              f.set('up', () => f.add(u, 'cb'));
              f.set('vp', () => f.add(v, 'cb'));
            };
            f.for('ox', 'ox', 'ox1', 1, () => {
              // two channel groups per iteration when C % 8 = 0 (halves the loop overhead)
              f.if('unroll', () => f.for('cb', 0, 'cB', 32, () => {
                pointers();
                axpy(0);
                axpy(16);
              }), () => f.for('cb', 0, 'cB', 16, () => {
                pointers();
                axpy(0);
              }));
              f.inc('ip', 'iStep');
              f.inc('op', 'cB');
            });
          });
        });
      });
    });
  });
  return f;
}

/**
 * bmm(a, b, out, batch, M, K, N, aStride, bStride): batched matrix product out[i] = a[i]·b[i],
 * a[i] [M, K], b[i] [K, N] row-major, batch strides in bytes (0 broadcasts one matrix). For each
 * output row: out[r, :] = Σ_k a[r, k]·b[k, :], f32x4 over n with a scalar tail (any N).
 */
function bmm(): Fn {
  const f = new Fn('bmm', [['a', 'i32'], ['b', 'i32'], ['out', 'i32'], ['batch', 'i32'], ['M', 'i32'], ['K', 'i32'], ['N', 'i32'], ['aStride', 'i32'], ['bStride', 'i32']]);
  f.locals('i32', 'bi', 'i', 'k', 'n', 'nB', 'n4B', 'ap', 'bp', 'op', 'brow', 'orow', 'arow').locals('v128', 'av').locals('f32', 'as');
  f.set('nB', () => f.mul('N', 4));
  f.set('n4B', () => f.mul(() => f.and('N', -4), 4));
  f.set('op', 'out');
  f.for('bi', 0, 'batch', 1, () => {
    f.set('ap', () => f.add('a', () => f.mul('bi', 'aStride')));
    f.set('bp', () => f.add('b', () => f.mul('bi', 'bStride')));
    f.for('i', 0, 'M', 1, () => {
      f.set('orow', () => f.add('op', () => f.mul('i', 'nB')));
      f.set('arow', () => f.add('ap', () => f.mul(() => f.mul('i', 'K'), 4)));
      f.for('n', 0, 'n4B', 16, () => f.store(() => f.add('orow', 'n'), () => f.vzero()));
      f.for('n', 'n4B', 'nB', 4, () => f.storeF32(() => f.add('orow', 'n'), () => f.f32(0)));
      f.set('brow', 'bp');
      f.for('k', 0, 'K', 1, () => {
        f.set('as', () => f.loadF32(() => f.add('arow', () => f.mul('k', 4))));
        f.set('av', () => f.splat('as'));
        f.for('n', 0, 'n4B', 16, () =>
          f.store(() => f.add('orow', 'n'), () => f.vadd(() => f.load(() => f.add('orow', 'n')), () => f.vmul('av', () => f.load(() => f.add('brow', 'n'))))));
        f.for('n', 'n4B', 'nB', 4, () =>
          f.storeF32(() => f.add('orow', 'n'), () => f.fadd(() => f.loadF32(() => f.add('orow', 'n')), () => f.fmul('as', () => f.loadF32(() => f.add('brow', 'n'))))));
        f.inc('brow', 'nB');
      });
    });
    f.inc('op', () => f.mul('M', 'nB'));
  });
  return f;
}

/**
 * atb(a, b, out, R, M, N): out[M, N] += aᵀ·b for a [R, M], b [R, N] (the weight gradient xᵀ·dy
 * of a dense layer / 1×1 conv, without materialising xᵀ); M % 4 = 0, N % 8 = 0, out zeroed by
 * the caller. Register tile of 4 rows × 8 columns of out (8 f32x4 accumulators) over blocks of
 * 128 rows of a and b, so a block of both stays in cache while all tiles pass over it.
 */
function atb(): Fn {
  const f = new Fn('atb', [['a', 'i32'], ['b', 'i32'], ['out', 'i32'], ['R', 'i32'], ['M', 'i32'], ['N', 'i32']]);
  const acc = ['c00', 'c01', 'c10', 'c11', 'c20', 'c21', 'c30', 'c31'];
  f.locals('i32', 'r0', 'r1', 'r', 'i', 'n', 'mB', 'nB', 'ap', 'bp', 'op').locals('v128', ...acc, 'b0', 'b1', 's');
  f.set('mB', () => f.mul('M', 4));
  f.set('nB', () => f.mul('N', 4));
  f.for('r0', 0, 'R', 128, () => {
    f.set('r1', () => f.minS(() => f.add('r0', 128), 'R'));
    f.for('i', 0, 'M', 4, () => {
      f.for('n', 0, 'N', 8, () => {
        f.set('op', () => f.add('out', () => f.mul(() => f.add(() => f.mul('i', 'N'), 'n'), 4)));
        for (let q = 0; q < 4; q++) {
          f.set(acc[2 * q], () => f.load(() => f.add('op', () => f.mul('nB', q))));
          f.set(acc[2 * q + 1], () => f.load(() => f.add('op', () => f.mul('nB', q)), 16));
        }
        f.set('ap', () => f.add('a', () => f.mul(() => f.add(() => f.mul('r0', 'M'), 'i'), 4)));
        f.set('bp', () => f.add('b', () => f.mul(() => f.add(() => f.mul('r0', 'N'), 'n'), 4)));
        f.for('r', 'r0', 'r1', 1, () => {
          f.set('b0', () => f.load('bp'));
          f.set('b1', () => f.load('bp', 16));
          for (let q = 0; q < 4; q++) {
            f.set('s', () => f.loadSplat('ap', 4 * q));
            f.set(acc[2 * q], () => f.vadd(acc[2 * q], () => f.vmul('s', 'b0')));
            f.set(acc[2 * q + 1], () => f.vadd(acc[2 * q + 1], () => f.vmul('s', 'b1')));
          }
          f.inc('ap', 'mB');
          f.inc('bp', 'nB');
        });
        for (let q = 0; q < 4; q++) {
          f.store(() => f.add('op', () => f.mul('nB', q)), acc[2 * q]);
          f.store(() => f.add('op', () => f.mul('nB', q)), acc[2 * q + 1], 16);
        }
      });
    });
  });
  return f;
}

/**
 * ab(a, b, out, R, K, N): out[R, N] = a[R, K]·b[K, N] (dense layers / 1×1 convs: many rows,
 * small K and N); R % 4 = 0, N % 8 = 0. Register tile of 4 rows × 8 columns (8 f32x4
 * accumulators) over k; b (K×N, the weights) stays in cache.
 */
function ab(): Fn {
  const f = new Fn('ab', [['a', 'i32'], ['b', 'i32'], ['out', 'i32'], ['R', 'i32'], ['K', 'i32'], ['N', 'i32']]);
  const acc = ['c00', 'c01', 'c10', 'c11', 'c20', 'c21', 'c30', 'c31'];
  f.locals('i32', 'r', 'n', 'k', 'kB', 'nB', 'a0', 'a1', 'a2', 'a3', 'bp', 'op').locals('v128', ...acc, 'b0', 'b1', 's');
  f.set('kB', () => f.mul('K', 4));
  f.set('nB', () => f.mul('N', 4));
  f.for('r', 0, 'R', 4, () => {
    f.for('n', 0, 'N', 8, () => {
      for (const c of acc) f.set(c, () => f.vzero());
      f.set('a0', () => f.add('a', () => f.mul('r', 'kB')));
      f.set('a1', () => f.add('a0', 'kB'));
      f.set('a2', () => f.add('a1', 'kB'));
      f.set('a3', () => f.add('a2', 'kB'));
      f.set('bp', () => f.add('b', () => f.mul('n', 4)));
      f.for('k', 0, 'K', 1, () => {
        f.set('b0', () => f.load('bp'));
        f.set('b1', () => f.load('bp', 16));
        ['a0', 'a1', 'a2', 'a3'].forEach((ap, q) => {
          f.set('s', () => f.loadSplat(ap));
          f.set(acc[2 * q], () => f.vadd(acc[2 * q], () => f.vmul('s', 'b0')));
          f.set(acc[2 * q + 1], () => f.vadd(acc[2 * q + 1], () => f.vmul('s', 'b1')));
          f.inc(ap, 4);
        });
        f.inc('bp', 'nB');
      });
      f.set('op', () => f.add('out', () => f.mul(() => f.add(() => f.mul('r', 'N'), 'n'), 4)));
      for (let q = 0; q < 4; q++) {
        f.store(() => f.add('op', () => f.mul('nB', q)), acc[2 * q]);
        f.store(() => f.add('op', () => f.mul('nB', q)), acc[2 * q + 1], 16);
      }
    });
  });
  return f;
}

/** bnSums(x, R, cB, s1, s2): s1[c] = Σ_r x[r, c], s2[c] = Σ_r x[r, c]². */
function bnSums(): Fn {
  const f = new Fn('bnSums', [['x', 'i32'], ['R', 'i32'], ['cB', 'i32'], ['s1', 'i32'], ['s2', 'i32']]);
  f.locals('i32', 'r', 'cb', 'xp', 'unroll').locals('v128', 'v');
  setUnroll(f);
  f.for('cb', 0, 'cB', 16, () => {
    f.store(() => f.add('s1', 'cb'), () => f.vzero());
    f.store(() => f.add('s2', 'cb'), () => f.vzero());
  });
  f.set('xp', 'x');
  f.for('r', 0, 'R', 1, () => {
    channelLoop(f, (off) => {
      f.set('v', () => f.load(() => f.add('xp', 'cb'), off));
      f.store(() => f.add('s1', 'cb'), () => f.vadd(() => f.load(() => f.add('s1', 'cb'), off), 'v'), off);
      f.store(() => f.add('s2', 'cb'), () => f.vadd(() => f.load(() => f.add('s2', 'cb'), off), () => f.vmul('v', 'v')), off);
    });
    f.inc('xp', 'cB');
  });
  return f;
}

/**
 * for (cb = 0; cb < cB; cb += 16) body(0) — two channel groups per iteration, body(0) and
 * body(16), when cB % 32 = 0 (C % 8 = 0), which halves the loop overhead. `body(off)` addresses
 * channel group cb + off (pass `off` as the load/store offset). Declares local `unroll` use.
 */
function channelLoop(f: Fn, body: (off: number) => void): void {
  f.if('unroll', () => f.for('cb', 0, 'cB', 32, () => {
    body(0);
    body(16);
  }), () => f.for('cb', 0, 'cB', 16, () => body(0)));
}

/** Sets local `unroll` = (cB % 32 = 0). */
function setUnroll(f: Fn): void {
  f.set('unroll', () => f.e('cB').emit(0x41, 31, 0x71, 0x45)); // (cB & 31) == 0
}

/**
 * Per-channel vectors of the BN kernels live in one block `vecs` of cB-byte rows:
 * 0 scale (γ·inv), 1 shift (β − μ·scale), 2 a (inv), 3 b (−μ·inv), 4 k, 5 c1, 6 c2 (backward),
 * so z = x·scale + shift is the pre-activation and x̂ = x·a + b the normalised input.
 */
function vecPtrs(f: Fn, names: string[]): void {
  names.forEach((n, j) => f.set(n, () => f.add('vecs', () => f.mul('cB', j))));
}

/** bnApply(x, y, R, cB, vecs, lo, hi): y = min(max(x·scale + shift, lo), hi) (identity, ReLU or ReLU6 by lo/hi). */
function bnApply(): Fn {
  const f = new Fn('bnApply', [['x', 'i32'], ['y', 'i32'], ['R', 'i32'], ['cB', 'i32'], ['vecs', 'i32'], ['lo', 'f32'], ['hi', 'f32']]);
  f.locals('i32', 'r', 'cb', 'xp', 'yp', 'pScale', 'pShift', 'unroll').locals('v128', 'vlo', 'vhi');
  setUnroll(f);
  vecPtrs(f, ['pScale', 'pShift']);
  f.set('vlo', () => f.splat('lo')).set('vhi', () => f.splat('hi'));
  f.set('xp', 'x').set('yp', 'y');
  f.for('r', 0, 'R', 1, () => {
    channelLoop(f, (off) => {
      const z = () => f.vadd(() => f.vmul(() => f.load(() => f.add('xp', 'cb'), off), () => f.load(() => f.add('pScale', 'cb'), off)), () => f.load(() => f.add('pShift', 'cb'), off));
      f.store(() => f.add('yp', 'cb'), () => f.vmin(() => f.vmax(z, 'vlo'), 'vhi'), off);
    });
    f.inc('xp', 'cB');
    f.inc('yp', 'cB');
  });
  return f;
}

/** Shared by both backward loops: g = dy where lo < z ≤ hi (else 0), x̂ = x·a + b (channel group cb + off). */
function gradTerms(f: Fn, off: number): void {
  f.set('xv', () => f.load(() => f.add('xp', 'cb'), off));
  f.set('z', () => f.vadd(() => f.vmul('xv', () => f.load(() => f.add('pScale', 'cb'), off)), () => f.load(() => f.add('pShift', 'cb'), off)));
  f.set('g', () => f.vand(() => f.load(() => f.add('dp', 'cb'), off), () => f.vand(() => f.vgt('z', 'vlo'), () => f.vle('z', 'vhi'))));
  f.set('xh', () => f.vadd(() => f.vmul('xv', () => f.load(() => f.add('pA', 'cb'), off)), () => f.load(() => f.add('pB', 'cb'), off)));
}

/** bnGradSums(dy, x, R, cB, vecs, lo, hi, sg, sgx): sg[c] = Σ g, sgx[c] = Σ g·x̂. */
function bnGradSums(): Fn {
  const f = new Fn('bnGradSums', [['dy', 'i32'], ['x', 'i32'], ['R', 'i32'], ['cB', 'i32'], ['vecs', 'i32'], ['lo', 'f32'], ['hi', 'f32'], ['sg', 'i32'], ['sgx', 'i32']]);
  f.locals('i32', 'r', 'cb', 'xp', 'dp', 'pScale', 'pShift', 'pA', 'pB', 'unroll').locals('v128', 'vlo', 'vhi', 'xv', 'z', 'g', 'xh');
  setUnroll(f);
  vecPtrs(f, ['pScale', 'pShift', 'pA', 'pB']);
  f.set('vlo', () => f.splat('lo')).set('vhi', () => f.splat('hi'));
  f.for('cb', 0, 'cB', 16, () => {
    f.store(() => f.add('sg', 'cb'), () => f.vzero());
    f.store(() => f.add('sgx', 'cb'), () => f.vzero());
  });
  f.set('xp', 'x').set('dp', 'dy');
  f.for('r', 0, 'R', 1, () => {
    channelLoop(f, (off) => {
      gradTerms(f, off);
      f.store(() => f.add('sg', 'cb'), () => f.vadd(() => f.load(() => f.add('sg', 'cb'), off), 'g'), off);
      f.store(() => f.add('sgx', 'cb'), () => f.vadd(() => f.load(() => f.add('sgx', 'cb'), off), () => f.vmul('g', 'xh')), off);
    });
    f.inc('xp', 'cB');
    f.inc('dp', 'cB');
  });
  return f;
}

/** bnGradApply(dy, x, dx, R, cB, vecs, lo, hi): dx = g·k − c1 − x̂·c2. */
function bnGradApply(): Fn {
  const f = new Fn('bnGradApply', [['dy', 'i32'], ['x', 'i32'], ['dx', 'i32'], ['R', 'i32'], ['cB', 'i32'], ['vecs', 'i32'], ['lo', 'f32'], ['hi', 'f32']]);
  f.locals('i32', 'r', 'cb', 'xp', 'dp', 'op', 'pScale', 'pShift', 'pA', 'pB', 'pK', 'pC1', 'pC2', 'unroll').locals('v128', 'vlo', 'vhi', 'xv', 'z', 'g', 'xh');
  setUnroll(f);
  vecPtrs(f, ['pScale', 'pShift', 'pA', 'pB', 'pK', 'pC1', 'pC2']);
  f.set('vlo', () => f.splat('lo')).set('vhi', () => f.splat('hi'));
  f.set('xp', 'x').set('dp', 'dy').set('op', 'dx');
  f.for('r', 0, 'R', 1, () => {
    channelLoop(f, (off) => {
      gradTerms(f, off);
      const gk = () => f.vmul('g', () => f.load(() => f.add('pK', 'cb'), off));
      const xc2 = () => f.vmul('xh', () => f.load(() => f.add('pC2', 'cb'), off));
      f.store(() => f.add('op', 'cb'), () => f.vsub(() => f.vsub(gk, () => f.load(() => f.add('pC1', 'cb'), off)), xc2), off);
    });
    f.inc('xp', 'cB');
    f.inc('dp', 'cB');
    f.inc('op', 'cB');
  });
  return f;
}

/**
 * adamw(w, m, v, g, wOut, mOut, vOut, n, b1, b1c, b2, b2c, lrc, c2inv, eps, keep): one AdamW step
 * over n floats (n % 4 = 0): m' = b1·m + b1c·g; v' = b2·v + b2c·g² (b1c = 1 − b1, b2c = 1 − b2);
 * w' = keep·w − lrc·m' / (√(v'·c2inv) + eps)   (lrc = lr/(1−b1^t), c2inv = 1/(1−b2^t), keep = 1 − decay·lr).
 */
function adamw(): Fn {
  const f = new Fn('adamw', [
    ['w', 'i32'], ['m', 'i32'], ['v', 'i32'], ['g', 'i32'], ['wo', 'i32'], ['mo', 'i32'], ['vo', 'i32'], ['n', 'i32'],
    ['b1', 'f32'], ['b1c', 'f32'], ['b2', 'f32'], ['b2c', 'f32'], ['lrc', 'f32'], ['c2inv', 'f32'], ['eps', 'f32'], ['keep', 'f32'],
  ]);
  f.locals('i32', 'i', 'nB').locals('v128', 'vb1', 'vb1c', 'vb2', 'vb2c', 'vlrc', 'vc2', 'veps', 'vkeep', 'gv', 'mv', 'vv');
  f.set('nB', () => f.mul('n', 4));
  f.set('vb1', () => f.splat('b1')).set('vb2', () => f.splat('b2'));
  f.set('vb1c', () => f.splat('b1c')).set('vb2c', () => f.splat('b2c'));
  f.set('vlrc', () => f.splat('lrc')).set('vc2', () => f.splat('c2inv')).set('veps', () => f.splat('eps')).set('vkeep', () => f.splat('keep'));
  f.for('i', 0, 'nB', 16, () => {
    f.set('gv', () => f.load(() => f.add('g', 'i')));
    f.set('mv', () => f.vadd(() => f.vmul(() => f.load(() => f.add('m', 'i')), 'vb1'), () => f.vmul('gv', 'vb1c')));
    f.set('vv', () => f.vadd(() => f.vmul(() => f.load(() => f.add('v', 'i')), 'vb2'), () => f.vmul(() => f.vmul('gv', 'gv'), 'vb2c')));
    f.store(() => f.add('mo', 'i'), 'mv');
    f.store(() => f.add('vo', 'i'), 'vv');
    const upd = () => f.vdiv(() => f.vmul('mv', 'vlrc'), () => f.vadd(() => f.vsqrt(() => f.vmul('vv', 'vc2')), 'veps'));
    f.store(() => f.add('wo', 'i'), () => f.vsub(() => f.vmul(() => f.load(() => f.add('w', 'i')), 'vkeep'), upd));
  });
  return f;
}

/** The assembled module (bytes), built once. */
let bytes: Uint8Array | null = null;
export function simdModuleBytes(): Uint8Array {
  bytes ??= assemble([colsum(), dwRows('dwFwd', 'fwd'), dwRows('dwBwdIn', 'bwdIn'), dwRows('dwBwdFilt', 'bwdFilt'), bmm(), atb(), ab(), bnSums(), bnApply(), bnGradSums(), bnGradApply(), adamw()]);
  return bytes;
}

/** Arguments of the depthwise row loops (see `dwRows`). */
export type DwArgs = [I: number, O: number, F: number, N: number, H: number, W: number, cB: number, Ho: number, Wo: number,
  fh: number, fw: number, sH: number, sW: number, dH: number, dW: number, pt: number, pl: number, kxRange: number];

export interface SimdExports {
  colsum(x: number, P: number, R: number, C: number, out: number, scale: number): void;
  dwFwd(...args: DwArgs): void;
  dwBwdIn(...args: DwArgs): void;
  dwBwdFilt(...args: DwArgs): void;
  bmm(a: number, b: number, out: number, batch: number, M: number, K: number, N: number, aStride: number, bStride: number): void;
  atb(a: number, b: number, out: number, R: number, M: number, N: number): void;
  ab(a: number, b: number, out: number, R: number, K: number, N: number): void;
  bnSums(x: number, R: number, cB: number, s1: number, s2: number): void;
  bnApply(x: number, y: number, R: number, cB: number, vecs: number, lo: number, hi: number): void;
  bnGradSums(dy: number, x: number, R: number, cB: number, vecs: number, lo: number, hi: number, sg: number, sgx: number): void;
  bnGradApply(dy: number, x: number, dx: number, R: number, cB: number, vecs: number, lo: number, hi: number): void;
  adamw(w: number, m: number, v: number, g: number, wo: number, mo: number, vo: number, n: number, b1: number, b1c: number, b2: number, b2c: number, lrc: number, c2inv: number, eps: number, keep: number): void;
}
