// Instantiate the Condensa WASM module over a Heap. Platform-neutral: the caller supplies the bytes
// (src/wasm/node.ts reads them from disk; a browser page fetches them).
import { Heap } from './heap.js';
import type { WasmKernels } from './kernels.js';

export interface WasmInstance {
  heap: Heap;
  kernels: WasmKernels;
  /** the compiled module, which workers instantiate again over their own heaps */
  module: WebAssembly.Module;
}

/** Compile condensa.wasm's bytes, or say why this runtime cannot. */
function compileWasm(bytes: BufferSource): Promise<WebAssembly.Module> {
  if (!WebAssembly.validate(bytes)) {
    throw new Error('condensa.wasm failed validation: this runtime lacks WebAssembly SIMD (or the file is corrupt)');
  }
  return WebAssembly.compile(bytes);
}

/** An instance over `heap`, from the file's bytes or a module compiled before (a worker gets the module). */
export async function instantiateWasm(source: BufferSource | WebAssembly.Module, heap = new Heap()): Promise<WasmInstance> {
  const module = source instanceof WebAssembly.Module ? source : await compileWasm(source);
  const instance = await WebAssembly.instantiate(module, {
    env: {
      memory: heap.memory,
      abort: (_msg: number, _file: number, line: number, col: number) => {
        throw new Error(`condensa.wasm aborted at ${line}:${col}`);
      },
    },
  });
  return { heap, kernels: instance.exports as unknown as WasmKernels, module };
}
