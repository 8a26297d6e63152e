export * from './init';
export { isCosearchWasmKernel, registerWasmGradientKernels, WASM_MISSING_KERNELS, WASM_REPLACED_KERNELS } from './wasm-kernels';
export type { KernelReplacement } from './wasm-kernels';
