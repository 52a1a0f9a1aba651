// Scalar twin of assembly/kernels/gemm.ts: the textbook loops, with each sum in the kernel's
// documented order (sequential over k for GEMM; four lane sums for gemv_n), rounded to f32 per op.
import type { Heap } from '../wasm/heap.js';

const f = Math.fround;

/** C = op(A)·op(B); element (i, k) of op(A) and (k, j) of op(B) via the index functions. */
function gemmRef(
  heap: Heap,
  M: number,
  N: number,
  K: number,
  aIdx: (i: number, k: number) => number,
  bIdx: (k: number, j: number) => number,
  C: number,
  ldc: number,
): void {
  const m = heap.f32;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc = f(acc + f(m[aIdx(i, k)] * m[bIdx(k, j)]));
      m[(C >>> 2) + i * ldc + j] = acc;
    }
  }
}

export function gemmKernels(heap: Heap) {
  return {
    gemm_workspace_bytes: (): number => 0,
    gemm_nn(M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number): void {
      gemmRef(
        heap,
        M,
        N,
        K,
        (i, k) => (A >>> 2) + i * lda + k,
        (k, j) => (B >>> 2) + k * ldb + j,
        C,
        ldc,
      );
    },
    gemm_tn(M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number): void {
      gemmRef(
        heap,
        M,
        N,
        K,
        (i, k) => (A >>> 2) + k * lda + i,
        (k, j) => (B >>> 2) + k * ldb + j,
        C,
        ldc,
      );
    },
    gemm_nt(M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number): void {
      gemmRef(
        heap,
        M,
        N,
        K,
        (i, k) => (A >>> 2) + i * lda + k,
        (k, j) => (B >>> 2) + j * ldb + k,
        C,
        ldc,
      );
    },
    gemv_n(M: number, K: number, A: number, lda: number, x: number, y: number, scale: number): void {
      const m = heap.f32;
      for (let i = 0; i < M; i++) {
        const s = [0, 0, 0, 0];
        for (let k = 0; k < Math.ceil(K / 4) * 4; k++) {
          const prod = k < K ? f(m[(A >>> 2) + i * lda + k] * m[(x >>> 2) + k]) : 0;
          s[k & 3] = f(s[k & 3] + prod);
        }
        m[(y >>> 2) + i] = f(f(f(s[0] + s[1]) + f(s[2] + s[3])) * f(scale));
      }
    },
    gemv_t(M: number, K: number, A: number, lda: number, x: number, y: number, scale: number): void {
      const m = heap.f32;
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let i = 0; i < M; i++) s = f(s + f(m[(x >>> 2) + i] * m[(A >>> 2) + i * lda + k]));
        m[(y >>> 2) + k] = f(s * f(scale));
      }
    },
  };
}
