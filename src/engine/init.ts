// Initial weights of a run, drawn with the WASM Philox kernels so every backend starts from the
// same bits: a ~ N(0, β1²) (stream initA), W ~ N(0, β2²) (stream initW); with ASI the second half
// copies the first half's W and negates its a, so f(θ₀) ≡ 0.
import type { F32Kernels } from '../wasm/kernels.js';
import type { Heap } from '../wasm/heap.js';
import type { RunSpec } from './spec.js';
import { STREAM } from './streams.js';

export function drawInitialWeights(k: F32Kernels, heap: Heap, spec: RunSpec, D: number, beta1: number, beta2: number): { a: Float32Array; w: Float32Array } {
  const m = spec.model.width;
  const mark = heap.mark();
  const pa = heap.allocF32(m),
    pw = heap.allocF32(m * D);
  const drawn = spec.model.asi ? m / 2 : m;
  k.philox_normal(pa, drawn, beta1, spec.seed, 0, STREAM.initA, 0);
  k.philox_normal(pw, drawn * D, beta2, spec.seed, 0, STREAM.initW, 0);
  const a = heap.viewF32(pa, m).slice(),
    w = heap.viewF32(pw, m * D).slice();
  heap.release(mark);
  if (spec.model.asi) {
    for (let j = 0; j < drawn; j++) a[drawn + j] = -a[j];
    w.copyWithin(drawn * D, 0, drawn * D);
  }
  return { a, w };
}
