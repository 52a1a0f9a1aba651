// Node-only: read build/condensa.wasm (built by `npm run build:wasm`) and instantiate it.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { instantiateWasm, type WasmInstance } from './load.js';
import type { Heap } from './heap.js';

const WASM_PATH = fileURLToPath(new URL('../../build/condensa.wasm', import.meta.url));

export function readWasmBytes(): Uint8Array<ArrayBuffer> {
  if (!existsSync(WASM_PATH)) {
    throw new Error(`${WASM_PATH} is missing: run \`npm run build:wasm\` (npm install runs it for you)`);
  }
  return new Uint8Array(readFileSync(WASM_PATH));
}

export function loadWasm(heap?: Heap): Promise<WasmInstance> {
  return instantiateWasm(readWasmBytes(), heap);
}
