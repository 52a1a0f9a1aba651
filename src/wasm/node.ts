// Node-only: read build/condensa.wasm (built by `npm run build:wasm`) and instantiate it; and the
// shared-memory builds, build/condensa-shared{,-helper}.wasm, that a splitting worker pool runs.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { instantiateWasm, type WasmInstance } from './load.js';
import type { Heap } from './heap.js';

const WASM_PATH = fileURLToPath(new URL('../../build/condensa.wasm', import.meta.url));
const SHARED_WASM_PATH = fileURLToPath(new URL('../../build/condensa-shared.wasm', import.meta.url));
const SHARED_HELPER_WASM_PATH = fileURLToPath(new URL('../../build/condensa-shared-helper.wasm', import.meta.url));

function readBytes(path: string): Uint8Array<ArrayBuffer> {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`npm run build:wasm\` (npm install runs it for you)`);
  }
  return new Uint8Array(readFileSync(path));
}

export function readWasmBytes(): Uint8Array<ArrayBuffer> {
  return readBytes(WASM_PATH);
}

/** condensa-shared.wasm compiled (the same code over an imported shared memory), and
 * condensa-shared-helper.wasm (that again, its static data 32 KiB higher); undefined when either is
 * missing or older than condensa.wasm (built from other sources, it could give other bits). */
export function compileSharedWasm(): { module: WebAssembly.Module; helperModule: WebAssembly.Module } | undefined {
  const paths = [SHARED_WASM_PATH, SHARED_HELPER_WASM_PATH];
  if (!existsSync(WASM_PATH) || paths.some((p) => !existsSync(p) || statSync(p).mtimeMs < statSync(WASM_PATH).mtimeMs)) return undefined;
  return { module: new WebAssembly.Module(readBytes(SHARED_WASM_PATH)), helperModule: new WebAssembly.Module(readBytes(SHARED_HELPER_WASM_PATH)) };
}

export function loadWasm(heap?: Heap): Promise<WasmInstance> {
  return instantiateWasm(readWasmBytes(), heap);
}
