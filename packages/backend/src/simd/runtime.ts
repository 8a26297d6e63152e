import * as tf from '@tensorflow/tfjs';
import { simdModuleBytes, type SimdExports } from './kernels';

/**
 * The bridge between tfjs-backend-wasm and cosearch's SIMD loops: the loops' module is
 * instantiated against the backend's own `WebAssembly.Memory`, so a tensor's address
 * (`memoryOffset` in the backend's data map) is directly a pointer the loops read or write.
 * Outputs are allocated with the backend's `makeOutput` (its malloc), so the engine owns and
 * frees them like any other kernel output.
 */
/** The few WebAssembly JS-API members used here (the project's TS lib has no WebAssembly types). */
interface WasmMemory { buffer: ArrayBuffer }
interface WasmApi {
  Memory: new (d: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

interface WasmBackendLike extends tf.KernelBackend {
  wasm: { asm: { memory: WasmMemory }; _malloc(n: number): number; _free(p: number): void };
  dataIdMap: { get(id: tf.DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

export interface SimdRuntime {
  readonly k: SimdExports;
  readonly backend: tf.KernelBackend;
  /** Byte address of a tensor's data in the shared memory. */
  ptr(t: tf.TensorInfo): number;
  /** A new float32 output tensor (uninitialised). */
  output(shape: number[]): tf.TensorInfo;
  /** A scratch block of at least `bytes` bytes, reused across calls (valid until the next call). */
  scratch(bytes: number): number;
  /** A float32 view of `n` floats at byte address `p` (re-made per call: the memory can grow). */
  f32(p: number, n: number): Float32Array;
  /** An int32 view, likewise. */
  i32(p: number, n: number): Int32Array;
}

let enabled = true;
const runtimes = new WeakMap<object, SimdRuntime | null>();

/**
 * Turns cosearch's SIMD kernels on or off (on by default). Off, every kernel and op takes its
 * composed (pre-SIMD) path — for measurements and for tests that compare both paths.
 */
export function setSimdKernelsEnabled(on: boolean): void {
  enabled = on;
}

export function simdKernelsEnabled(): boolean {
  return enabled;
}

/** The runtime for `backend` when it is tfjs-backend-wasm and the engine runs wasm SIMD, else null. */
export function simdRuntime(backend: tf.KernelBackend | undefined = undefined): SimdRuntime | null {
  if (!enabled) return null;
  const b = (backend ?? tf.backend()) as WasmBackendLike;
  if (runtimes.has(b)) return runtimes.get(b)!;
  let rt: SimdRuntime | null = null;
  const memory = b?.wasm?.asm?.memory;
  if (WA && memory instanceof WA.Memory && typeof b.makeOutput === 'function') {
    try {
      const instance = new WA.Instance(new WA.Module(simdModuleBytes()), { env: { memory } });
      let scratchPtr = 0;
      let scratchBytes = 0;
      rt = {
        k: instance.exports as unknown as SimdExports,
        backend: b,
        ptr: (t) => b.dataIdMap.get(t.dataId)!.memoryOffset,
        output: (shape) => b.makeOutput(shape, 'float32'),
        scratch: (bytes) => {
          if (bytes > scratchBytes) {
            if (scratchPtr) b.wasm._free(scratchPtr);
            scratchBytes = Math.max(bytes, 2 * scratchBytes, 4096);
            scratchPtr = b.wasm._malloc(scratchBytes) >>> 0;
          }
          return scratchPtr;
        },
        f32: (p, n) => new Float32Array(memory.buffer, p, n),
        i32: (p, n) => new Int32Array(memory.buffer, p, n),
      };
    } catch {
      rt = null; // an engine without wasm SIMD: the composed kernels keep working
    }
  }
  runtimes.set(b, rt);
  return rt;
}
