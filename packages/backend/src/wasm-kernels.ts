/**
 * Gradient kernels the tfjs wasm backend lacks (Conv2DBackpropFilter,
 * DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropInput), built from kernels
 * wasm has. TODO(issue 2 helper): implement and test against cpu.
 */
export function registerWasmGradientKernels(): void {
  // filled in by the backend work of issue 2
}
