// The f32 form of output/loss preservation (SCIENCE.md §7.5 T5.1): an engine's f32 weights split in f32
// (T^α_s with α·aₛ and (1 − α)·aₛ rounded to f32) and evaluated by the training kernels themselves
// (TwoLayerF32 over the engine's f32 kernels, passed in), against the loss the engine reported for the
// narrow weights.
import type { Dataset } from '../engine/data.js';
import { TwoLayerF32 } from '../engine/twolayer-f32.js';
import { split } from './embedding.js';

/** The heap and f32 kernels TwoLayerF32 trains on (the WASM instance's). */
export interface F32Backend {
  heap: TwoLayerF32['heap'];
  kernels: TwoLayerF32['k'];
}

/** The f32 loss of the network (a, w) on `data` with the training kernels. */
function lossF32(backend: F32Backend, data: Dataset, kind: number, alpha: number, a: Float32Array, w: Float32Array): number {
  const mark = backend.heap.mark();
  try {
    const net = new TwoLayerF32(backend.heap, backend.kernels, data, a.length, kind, alpha, undefined);
    net.setWeights(a, w);
    return net.forward(0);
  } finally {
    backend.heap.release(mark);
  }
}

/** max over neurons s and `alphas` of |R₃₂(T^α_s θ) − reference|/reference, θ = (a, w) in f32. */
export function splitLossGapF32(
  backend: F32Backend,
  data: Dataset,
  kind: number,
  alpha: number,
  a: Float32Array,
  w: Float32Array,
  reference: number,
  alphas: number[],
): number {
  const D = data.d + 1,
    m = a.length;
  let gap = 0;
  for (let s = 0; s < m; s++) {
    for (const al of alphas) {
      const t = Float32Array.from(split([...a, ...w], D, s, Math.fround(al)));
      const R = lossF32(backend, data, kind, alpha, t.subarray(0, m + 1), t.subarray(m + 1));
      gap = Math.max(gap, Math.abs(R - reference) / reference);
    }
  }
  return gap;
}
