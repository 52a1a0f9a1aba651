// Scalar twin of assembly/kernels/embedding.ts (token embedding lookup and its table gradient).
import type { Heap } from '../wasm/heap.js';

const f = Math.fround;

export function embeddingKernels(heap: Heap) {
  return {
    embedding_forward(rows: number, dim: number, tokens: number, table: number, y: number): void {
      const m = heap.f32;
      for (let r = 0; r < rows; r++) {
        const tok = Math.trunc(m[(tokens >>> 2) + r]);
        m.copyWithin((y >>> 2) + r * dim, (table >>> 2) + tok * dim, (table >>> 2) + (tok + 1) * dim);
      }
    },
    embedding_grad(rows: number, dim: number, vocab: number, tokens: number, g: number, dtable: number): void {
      const m = heap.f32;
      m.fill(0, dtable >>> 2, (dtable >>> 2) + vocab * dim);
      for (let r = 0; r < rows; r++) {
        const tok = Math.trunc(m[(tokens >>> 2) + r]);
        for (let j = 0; j < dim; j++) m[(dtable >>> 2) + tok * dim + j] = f(m[(dtable >>> 2) + tok * dim + j] + m[(g >>> 2) + r * dim + j]);
      }
    },
  };
}
