// One parity case of a kernel (src/webgpu/kernel-parity.ts runs them; the program kernels' come from
// their declarations, src/kernels/): what it runs with, and the outputs it compares, each with its tolerance.
import type { WasmInstance } from '../wasm/load.js';
import type { GpuContext } from './device.js';
import type { Tolerance } from './tolerance.js';

export interface Env {
  ctx: GpuContext;
  wasm: WasmInstance;
  work: number;
}

export type Compared = { name: string; tol: Tolerance; got: Float32Array; want: Float32Array; scale?: Float64Array };
export interface KernelCase {
  kernel: string;
  case: string;
  run(env: Env): Promise<Compared[]>;
}
