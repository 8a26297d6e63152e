import { assemble, Fn } from './wasm-builder';

/**
 * The SIMD loops, written with the builder and assembled once into a module that imports
 * tfjs-backend-wasm's own memory, so they read and write tensors in place (no copies).
 * Arguments are byte addresses and sizes; `cB` is a row of C float32 channels in bytes, and
 * every f32x4 loop needs C % 4 = 0 (the callers check; they fall back to tfjs kernels otherwise).
 * Each loop runs over rows (all leading axes flattened) and, innermost, over channels 4 at a time.
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
 * dwTap(xs, ds, acc, cB, N, rows, cols, xImg, dImg, xRow, dRow, xCol, dCol): one tap of the
 * depthwise filter gradient, acc[c] += Σ_{n<N, r<rows, q<cols} x[xs + n·xImg + r·xRow + q·xCol][c]
 * · dy[ds + n·dImg + r·dRow + q·dCol][c] (strides in bytes; the caller clips rows/cols to the
 * window that stays inside the image and folds stride and dilation into the strides).
 */
function dwTap(): Fn {
  const f = new Fn('dwTap', [
    ['xs', 'i32'], ['ds', 'i32'], ['acc', 'i32'], ['cB', 'i32'], ['N', 'i32'], ['rows', 'i32'], ['cols', 'i32'],
    ['xImg', 'i32'], ['dImg', 'i32'], ['xRow', 'i32'], ['dRow', 'i32'], ['xCol', 'i32'], ['dCol', 'i32'],
  ]);
  f.locals('i32', 'n', 'r', 'q', 'cb', 'xp', 'dp', 'ap');
  f.for('n', 0, 'N', 1, () => {
    f.for('r', 0, 'rows', 1, () => {
      f.set('xp', () => f.add(() => f.add('xs', () => f.mul('n', 'xImg')), () => f.mul('r', 'xRow')));
      f.set('dp', () => f.add(() => f.add('ds', () => f.mul('n', 'dImg')), () => f.mul('r', 'dRow')));
      f.for('q', 0, 'cols', 1, () => {
        f.for('cb', 0, 'cB', 16, () => {
          f.set('ap', () => f.add('acc', 'cb'));
          f.store('ap', () => f.vadd(() => f.load('ap'), () => f.vmul(() => f.load(() => f.add('xp', 'cb')), () => f.load(() => f.add('dp', 'cb')))));
        });
        f.inc('xp', 'xCol');
        f.inc('dp', 'dCol');
      });
    });
  });
  return f;
}

/**
 * dwAxpy(src, dst, w, cB, N, rows, cols, sImg, dImg, sRow, dRow, sCol, dCol): one tap of a
 * depthwise convolution or of its input gradient, dst[…][c] += src[…][c] · w[c] over the same
 * kind of clipped window (positions n·img + r·row + q·col, in bytes, for each of src and dst).
 */
function dwAxpy(): Fn {
  const f = new Fn('dwAxpy', [
    ['src', 'i32'], ['dst', 'i32'], ['w', 'i32'], ['cB', 'i32'], ['N', 'i32'], ['rows', 'i32'], ['cols', 'i32'],
    ['sImg', 'i32'], ['dImg', 'i32'], ['sRow', 'i32'], ['dRow', 'i32'], ['sCol', 'i32'], ['dCol', 'i32'],
  ]);
  f.locals('i32', 'n', 'r', 'q', 'cb', 'sp', 'dp', 'ap');
  f.for('n', 0, 'N', 1, () => {
    f.for('r', 0, 'rows', 1, () => {
      f.set('sp', () => f.add(() => f.add('src', () => f.mul('n', 'sImg')), () => f.mul('r', 'sRow')));
      f.set('dp', () => f.add(() => f.add('dst', () => f.mul('n', 'dImg')), () => f.mul('r', 'dRow')));
      f.for('q', 0, 'cols', 1, () => {
        f.for('cb', 0, 'cB', 16, () => {
          f.set('ap', () => f.add('dp', 'cb'));
          f.store('ap', () => f.vadd(() => f.load('ap'), () => f.vmul(() => f.load(() => f.add('sp', 'cb')), () => f.load(() => f.add('w', 'cb')))));
        });
        f.inc('sp', 'sCol');
        f.inc('dp', 'dCol');
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

/** bnSums(x, R, cB, s1, s2): s1[c] = Σ_r x[r, c], s2[c] = Σ_r x[r, c]². */
function bnSums(): Fn {
  const f = new Fn('bnSums', [['x', 'i32'], ['R', 'i32'], ['cB', 'i32'], ['s1', 'i32'], ['s2', 'i32']]);
  f.locals('i32', 'r', 'cb', 'xp').locals('v128', 'v');
  f.for('cb', 0, 'cB', 16, () => {
    f.store(() => f.add('s1', 'cb'), () => f.vzero());
    f.store(() => f.add('s2', 'cb'), () => f.vzero());
  });
  f.set('xp', 'x');
  f.for('r', 0, 'R', 1, () => {
    f.for('cb', 0, 'cB', 16, () => {
      f.set('v', () => f.load(() => f.add('xp', 'cb')));
      f.store(() => f.add('s1', 'cb'), () => f.vadd(() => f.load(() => f.add('s1', 'cb')), 'v'));
      f.store(() => f.add('s2', 'cb'), () => f.vadd(() => f.load(() => f.add('s2', 'cb')), () => f.vmul('v', 'v')));
    });
    f.inc('xp', 'cB');
  });
  return f;
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
  f.locals('i32', 'r', 'cb', 'xp', 'yp', 'pScale', 'pShift').locals('v128', 'vlo', 'vhi');
  vecPtrs(f, ['pScale', 'pShift']);
  f.set('vlo', () => f.splat('lo')).set('vhi', () => f.splat('hi'));
  f.set('xp', 'x').set('yp', 'y');
  f.for('r', 0, 'R', 1, () => {
    f.for('cb', 0, 'cB', 16, () => {
      const z = () => f.vadd(() => f.vmul(() => f.load(() => f.add('xp', 'cb')), () => f.load(() => f.add('pScale', 'cb'))), () => f.load(() => f.add('pShift', 'cb')));
      f.store(() => f.add('yp', 'cb'), () => f.vmin(() => f.vmax(z, 'vlo'), 'vhi'));
    });
    f.inc('xp', 'cB');
    f.inc('yp', 'cB');
  });
  return f;
}

/** Shared by both backward loops: g = dy where lo < z ≤ hi (else 0), x̂ = x·a + b. */
function gradTerms(f: Fn): void {
  f.set('xv', () => f.load(() => f.add('xp', 'cb')));
  f.set('z', () => f.vadd(() => f.vmul('xv', () => f.load(() => f.add('pScale', 'cb'))), () => f.load(() => f.add('pShift', 'cb'))));
  f.set('g', () => f.vand(() => f.load(() => f.add('dp', 'cb')), () => f.vand(() => f.vgt('z', 'vlo'), () => f.vle('z', 'vhi'))));
  f.set('xh', () => f.vadd(() => f.vmul('xv', () => f.load(() => f.add('pA', 'cb'))), () => f.load(() => f.add('pB', 'cb'))));
}

/** bnGradSums(dy, x, R, cB, vecs, lo, hi, sg, sgx): sg[c] = Σ g, sgx[c] = Σ g·x̂. */
function bnGradSums(): Fn {
  const f = new Fn('bnGradSums', [['dy', 'i32'], ['x', 'i32'], ['R', 'i32'], ['cB', 'i32'], ['vecs', 'i32'], ['lo', 'f32'], ['hi', 'f32'], ['sg', 'i32'], ['sgx', 'i32']]);
  f.locals('i32', 'r', 'cb', 'xp', 'dp', 'pScale', 'pShift', 'pA', 'pB').locals('v128', 'vlo', 'vhi', 'xv', 'z', 'g', 'xh');
  vecPtrs(f, ['pScale', 'pShift', 'pA', 'pB']);
  f.set('vlo', () => f.splat('lo')).set('vhi', () => f.splat('hi'));
  f.for('cb', 0, 'cB', 16, () => {
    f.store(() => f.add('sg', 'cb'), () => f.vzero());
    f.store(() => f.add('sgx', 'cb'), () => f.vzero());
  });
  f.set('xp', 'x').set('dp', 'dy');
  f.for('r', 0, 'R', 1, () => {
    f.for('cb', 0, 'cB', 16, () => {
      gradTerms(f);
      f.store(() => f.add('sg', 'cb'), () => f.vadd(() => f.load(() => f.add('sg', 'cb')), 'g'));
      f.store(() => f.add('sgx', 'cb'), () => f.vadd(() => f.load(() => f.add('sgx', 'cb')), () => f.vmul('g', 'xh')));
    });
    f.inc('xp', 'cB');
    f.inc('dp', 'cB');
  });
  return f;
}

/** bnGradApply(dy, x, dx, R, cB, vecs, lo, hi): dx = g·k − c1 − x̂·c2. */
function bnGradApply(): Fn {
  const f = new Fn('bnGradApply', [['dy', 'i32'], ['x', 'i32'], ['dx', 'i32'], ['R', 'i32'], ['cB', 'i32'], ['vecs', 'i32'], ['lo', 'f32'], ['hi', 'f32']]);
  f.locals('i32', 'r', 'cb', 'xp', 'dp', 'op', 'pScale', 'pShift', 'pA', 'pB', 'pK', 'pC1', 'pC2').locals('v128', 'vlo', 'vhi', 'xv', 'z', 'g', 'xh');
  vecPtrs(f, ['pScale', 'pShift', 'pA', 'pB', 'pK', 'pC1', 'pC2']);
  f.set('vlo', () => f.splat('lo')).set('vhi', () => f.splat('hi'));
  f.set('xp', 'x').set('dp', 'dy').set('op', 'dx');
  f.for('r', 0, 'R', 1, () => {
    f.for('cb', 0, 'cB', 16, () => {
      gradTerms(f);
      const gk = () => f.vmul('g', () => f.load(() => f.add('pK', 'cb')));
      const xc2 = () => f.vmul('xh', () => f.load(() => f.add('pC2', 'cb')));
      f.store(() => f.add('op', 'cb'), () => f.vsub(() => f.vsub(gk, () => f.load(() => f.add('pC1', 'cb'))), xc2));
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
  bytes ??= assemble([colsum(), dwTap(), dwAxpy(), bmm(), bnSums(), bnApply(), bnGradSums(), bnGradApply(), adamw()]);
  return bytes;
}

export interface SimdExports {
  colsum(x: number, P: number, R: number, C: number, out: number, scale: number): void;
  dwTap(xs: number, ds: number, acc: number, cB: number, N: number, rows: number, cols: number, xImg: number, dImg: number, xRow: number, dRow: number, xCol: number, dCol: number): void;
  dwAxpy(src: number, dst: number, w: number, cB: number, N: number, rows: number, cols: number, sImg: number, dImg: number, sRow: number, dRow: number, sCol: number, dCol: number): void;
  bmm(a: number, b: number, out: number, batch: number, M: number, K: number, N: number, aStride: number, bStride: number): void;
  bnSums(x: number, R: number, cB: number, s1: number, s2: number): void;
  bnApply(x: number, y: number, R: number, cB: number, vecs: number, lo: number, hi: number): void;
  bnGradSums(dy: number, x: number, R: number, cB: number, vecs: number, lo: number, hi: number, sg: number, sgx: number): void;
  bnGradApply(dy: number, x: number, dx: number, R: number, cB: number, vecs: number, lo: number, hi: number): void;
  adamw(w: number, m: number, v: number, g: number, wo: number, mo: number, vo: number, n: number, b1: number, b1c: number, b2: number, b2c: number, lrc: number, c2inv: number, eps: number, keep: number): void;
}
