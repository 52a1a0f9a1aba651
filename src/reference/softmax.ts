// Scalar twin of assembly/kernels/softmax.ts (softmax cross-entropy, loss and gradient).
import type { Heap } from '../wasm/heap.js';
import { expf, logf } from './mathf.js';

const f = Math.fround;

export function softmaxKernels(heap: Heap) {
  return {
    softmax_ce(n: number, K: number, z: number, labels: number, g: number, scale: number): number {
      const m = heap.f32,
        sc = f(scale);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const row = (z >>> 2) + i * K,
          grow = (g >>> 2) + i * K,
          y = Math.trunc(m[(labels >>> 2) + i]);
        let mx = m[row];
        for (let j = 1; j < K; j++) mx = Math.max(mx, m[row + j]);
        let s = 0;
        for (let j = 0; j < K; j++) {
          const t = expf(f(m[row + j] - mx));
          m[grow + j] = t;
          s = f(s + t);
        }
        total = f(total + f(logf(s) - f(m[row + y] - mx)));
        for (let j = 0; j < K; j++) m[grow + j] = f(f(f(m[grow + j] / s) - (j === y ? 1 : 0)) * sc);
      }
      return f(total / n);
    },
  };
}
