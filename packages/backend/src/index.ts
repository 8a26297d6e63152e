export * from './init';
export { registerWasmGradientKernels } from './wasm-kernels';
