// Instantiate the Condensa WASM module over a Heap. Platform-neutral: the caller supplies the bytes
// (src/wasm/node.ts reads them from disk; a browser page fetches them).
import { Heap } from './heap.js';
import type { WasmKernels } from './kernels.js';

export interface WasmInstance {
  heap: Heap;
  kernels: WasmKernels;
}

export async function instantiateWasm(bytes: BufferSource, heap = new Heap()): Promise<WasmInstance> {
  if (!WebAssembly.validate(bytes)) {
    throw new Error('condensa.wasm failed validation: this runtime lacks WebAssembly SIMD (or the file is corrupt)');
  }
  const module = await WebAssembly.compile(bytes);
  const instance = await WebAssembly.instantiate(module, {
    env: {
      memory: heap.memory,
      abort: (_msg: number, _file: number, line: number, col: number) => {
        throw new Error(`condensa.wasm aborted at ${line}:${col}`);
      },
    },
  });
  return { heap, kernels: instance.exports as unknown as WasmKernels };
}
