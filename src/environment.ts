// The environment every figure carries (bench rows, suite results, parity reports, `condensa env`): OS,
// CPU, Node/V8, WASM features, timer resolution; and the WebGPU block of a bench run through Dawn.
import os from 'node:os';
import { adapterModel, type AdapterRecord, type GpuContext } from './webgpu/device.js';

export interface NodeEnvironment {
  os: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  v8: string;
  wasm: { simd: boolean; relaxedSimd: false; threads: false };
  timerResolutionMs: number;
  ci: boolean;
}

/** Smallest non-zero step of performance.now() seen over a short spin. */
function timerResolution(): number {
  let best = Infinity;
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    let t1 = t0;
    while (t1 === t0) t1 = performance.now();
    best = Math.min(best, t1 - t0);
  }
  return best;
}

// (module (func (result v128) (v128.const i32x4 0 0 0 0)))
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

export function nodeEnvironment(): NodeEnvironment {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    wasm: { simd: WebAssembly.validate(SIMD_PROBE), relaxedSimd: false, threads: false },
    timerResolutionMs: timerResolution(),
    ci: Boolean(process.env.CI),
  };
}

/** A bench run's WebGPU: the adapter record (with whether its timestamps are quantized), the GPU's model,
 * and the Dawn options it was created with (space-separated, as CONDENSA_DAWN_FLAGS takes them). */
export interface WebgpuEnvironment {
  adapter: AdapterRecord;
  model: string;
  timestampQuery: boolean;
  dawnFlags: string;
}

export function webgpuEnvironment(ctx: GpuContext, dawnFlags: string[]): WebgpuEnvironment {
  return { adapter: ctx.adapter, model: adapterModel(ctx.adapter), timestampQuery: ctx.hasTimestamps, dawnFlags: dawnFlags.join(' ') };
}
