/**
 * A minimal WebAssembly assembler: enough to write a few SIMD loops (f32x4) over memory shared
 * with tfjs-backend-wasm, without a C toolchain or a prebuilt binary in the repository. Every
 * function takes i32 / f32 parameters, returns nothing, and works on byte addresses in the one
 * imported memory (`env.memory`). Encoding: WebAssembly core spec 2.0, §5 (binary format) and
 * the fixed-width SIMD opcodes (prefix 0xFD).
 */
export type ValType = 'i32' | 'f32' | 'v128';
const TYPE_CODE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const utf8 = (s: string): number[] => {
  const b = new TextEncoder().encode(s);
  return [...uleb(b.length), ...b];
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

/** An operand: a local's name (local.get), an i32 constant, or code that pushes one value. */
export type Expr = string | number | (() => void);

/** Builds one function body. Loads/stores take a byte address expression and a constant offset. */
export class Fn {
  readonly code: number[] = [];
  private readonly index = new Map<string, number>();
  private readonly paramTypes: ValType[] = [];
  private readonly localTypes: ValType[] = [];

  constructor(readonly name: string, params: [string, ValType][]) {
    for (const [n, t] of params) {
      this.index.set(n, this.index.size);
      this.paramTypes.push(t);
    }
  }

  /** Declares locals (after the parameters). */
  locals(type: ValType, ...names: string[]): this {
    for (const n of names) {
      this.index.set(n, this.index.size);
      this.localTypes.push(type);
    }
    return this;
  }

  private idx(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`wasm-builder: unknown local ${name} in ${this.name}`);
    return i;
  }

  emit(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  /** Pushes an operand. */
  e(x: Expr): this {
    if (typeof x === 'string') return this.emit(0x20, ...uleb(this.idx(x)));
    if (typeof x === 'number') return this.emit(0x41, ...sleb(x | 0));
    x();
    return this;
  }

  set(name: string, value?: Expr): this {
    if (value !== undefined) this.e(value);
    return this.emit(0x21, ...uleb(this.idx(name)));
  }

  // i32 arithmetic on two operands.
  add(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0x6a); }
  sub(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0x6b); }
  mul(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0x6c); }
  and(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0x71); }
  /** Unsigned a < b (i32): for a signed index, 0 ≤ a < b in one comparison. */
  ltU(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0x49); }
  /** min(a, b) for signed i32 (select). */
  minS(a: Expr, b: Expr): this { return this.e(a).e(b).e(a).e(b).emit(0x48, 0x1b); }
  /** if (cond ≠ 0) body() [else otherwise()] */
  if(cond: Expr, body: () => void, otherwise?: () => void): this {
    this.e(cond).emit(0x04, 0x40);
    body();
    if (otherwise) {
      this.emit(0x05);
      otherwise();
    }
    return this.emit(0x0b);
  }
  /** name += value (i32). */
  inc(name: string, value: Expr): this { return this.add(name, value).set(name); }

  f32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    return this.emit(0x43, ...b);
  }

  // Memory (align hint 2 = 4 bytes: tensors are float32-aligned, never 16-byte aligned by contract).
  loadI32(addr: Expr, offset = 0): this { return this.e(addr).emit(0x28, 2, ...uleb(offset)); }
  loadF32(addr: Expr, offset = 0): this { return this.e(addr).emit(0x2a, 2, ...uleb(offset)); }
  storeF32(addr: Expr, value: Expr, offset = 0): this { return this.e(addr).e(value).emit(0x38, 2, ...uleb(offset)); }
  /** v128.load32_splat: one float from memory into all four lanes. */
  loadSplat(addr: Expr, offset = 0): this { return this.e(addr).emit(0xfd, 0x09, 2, ...uleb(offset)); }
  load(addr: Expr, offset = 0): this { return this.e(addr).emit(0xfd, 0x00, 2, ...uleb(offset)); }
  store(addr: Expr, value: Expr, offset = 0): this { return this.e(addr).e(value).emit(0xfd, 0x0b, 2, ...uleb(offset)); }

  // f32 scalar and f32x4 ops, each taking its operands as expressions.
  fadd(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0x92); }
  fmul(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0x94); }
  splat(a: Expr): this { return this.e(a).emit(0xfd, 0x13); }
  vadd(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0xfd, 0xe4, 0x01); }
  vsub(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0xfd, 0xe5, 0x01); }
  vmul(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0xfd, 0xe6, 0x01); }
  vdiv(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0xfd, 0xe7, 0x01); }
  vmin(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0xfd, 0xe8, 0x01); }
  vmax(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0xfd, 0xe9, 0x01); }
  vsqrt(a: Expr): this { return this.e(a).emit(0xfd, 0xe3, 0x01); }
  vgt(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0xfd, 0x44); }
  vle(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0xfd, 0x45); }
  vand(a: Expr, b: Expr): this { return this.e(a).e(b).emit(0xfd, 0x4e); }
  vzero(): this { return this.emit(0xfd, 0x0c, ...new Array(16).fill(0)); }

  /**
   * for (v = from; v < to; v += step) body()   (signed compare; `to` is re-evaluated each
   * iteration, so pass a local or a constant).
   */
  for(v: string, from: Expr, to: Expr, step: Expr, body: () => void): this {
    this.set(v, from);
    this.emit(0x02, 0x40, 0x03, 0x40); // block, loop
    this.e(v).e(to).emit(0x4e, 0x0d, 0x01); // i32.ge_s; br_if 1 (leave the block)
    body();
    this.inc(v, step);
    return this.emit(0x0c, 0x00, 0x0b, 0x0b); // br 0 (loop); end loop; end block
  }

  /** Encoded function type and body. */
  encode(): { type: number[]; body: number[] } {
    const type = [0x60, ...vec(this.paramTypes.map((t) => [TYPE_CODE[t]])), 0x00];
    const groups: number[][] = [];
    for (const t of this.localTypes) groups.push([1, TYPE_CODE[t]]);
    const inner = [...vec(groups), ...this.code, 0x0b];
    return { type, body: [...uleb(inner.length), ...inner] };
  }
}

/** A module of the given functions importing `env.memory`; each function exported under its name. */
export function assemble(fns: Fn[]): Uint8Array {
  const enc = fns.map((f) => f.encode());
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(enc.map((e) => e.type))),
    ...section(2, vec([[...utf8('env'), ...utf8('memory'), 0x02, 0x00, 0x00]])),
    ...section(3, vec(fns.map((_, i) => uleb(i)))),
    ...section(7, vec(fns.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(enc.map((e) => e.body))),
  ];
  return new Uint8Array(bytes);
}
