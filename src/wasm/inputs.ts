// Deterministic inputs for tests, parity tables and benchmarks: n floats of a Philox stream, mapped
// to [lo, hi) and rounded to f32, the same on every engine.
import type { WasmInstance } from './load.js';

export function uniformInputs(w: Pick<WasmInstance, 'heap' | 'kernels'>, n: number, stream: number, lo = -1, hi = 1): Float32Array {
  const mark = w.heap.mark();
  const p = w.heap.allocF32(n);
  w.kernels.philox_uniform(p, n, 12345, 0, stream, 0);
  const out = Float32Array.from(w.heap.viewF32(p, n), (u) => Math.fround(lo + (hi - lo) * u));
  w.heap.release(mark);
  return out;
}
