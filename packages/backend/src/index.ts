export * from './init';
export { isCosearchWasmKernel, registerWasmGradientKernels, WASM_FUSED_KERNELS, WASM_MISSING_KERNELS, WASM_REPLACED_KERNELS } from './wasm-kernels';
export type { KernelReplacement } from './wasm-kernels';
export { batchNormAct } from './fused/batch-norm-act';
export type { NormActivation } from './fused/batch-norm-act';
export { adamwUpdate } from './fused/adamw';
export type { AdamWStep } from './fused/adamw';
export { setSimdKernelsEnabled, simdKernelsEnabled } from './simd/runtime';
