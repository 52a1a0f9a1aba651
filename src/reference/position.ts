// Scalar twin of assembly/kernels/position.ts (the last position of each sequence, and its gradient).
import type { Heap } from '../wasm/heap.js';

export function positionKernels(heap: Heap) {
  return {
    last_position(n: number, L: number, C: number, x: number, y: number): void {
      const m = heap.f32;
      for (let i = 0; i < n; i++) m.copyWithin((y >>> 2) + i * C, (x >>> 2) + (i * L + L - 1) * C, (x >>> 2) + (i * L + L) * C);
    },
    last_position_backward(n: number, L: number, C: number, g: number, gx: number): void {
      const m = heap.f32;
      m.fill(0, gx >>> 2, (gx >>> 2) + n * L * C);
      for (let i = 0; i < n; i++) m.copyWithin((gx >>> 2) + (i * L + L - 1) * C, (g >>> 2) + i * C, (g >>> 2) + (i + 1) * C);
    },
  };
}
