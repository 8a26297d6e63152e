export * from './init';
export { registerWasmGradientKernels, WASM_MISSING_KERNELS, WASM_REPLACED_KERNELS } from './wasm-kernels';
