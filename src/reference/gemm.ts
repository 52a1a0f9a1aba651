// Scalar twin of assembly/kernels/gemm.ts: the textbook loops, with each sum in the kernel's
// documented order (sequential over k for GEMM; four lane sums for gemv_n), rounded to f32 per op. The
// conv GEMMs read the patch matrix of an NHWC image element by element (im2col's columns, never stored).
import type { Heap } from '../wasm/heap.js';

const f = Math.fround;

/** C = op(A)·op(B); element (i, k) of op(A) and (k, j) of op(B) read by the two functions. */
function gemmRef(
  heap: Heap,
  M: number,
  N: number,
  K: number,
  a: (m: Float32Array, i: number, k: number) => number,
  b: (m: Float32Array, k: number, j: number) => number,
  C: number,
  ldc: number,
): void {
  const m = heap.f32;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc = f(acc + f(a(m, i, k) * b(m, k, j)));
      m[(C >>> 2) + i * ldc + j] = acc;
    }
  }
}

/** Rows (n·Ho·Wo), columns (C·k·k) and element (r, q) of the patch matrix of an NHWC image at x: the
 * columns im2col writes, x(i, u·stride + dy − pad, v·stride + dx − pad, c) or 0 outside the image. */
function patches(n: number, H: number, W: number, C: number, k: number, stride: number, pad: number, x: number) {
  const Ho = Math.trunc((H + 2 * pad - k) / stride) + 1,
    Wo = Math.trunc((W + 2 * pad - k) / stride) + 1;
  return {
    rows: n * Ho * Wo,
    cols: C * k * k,
    at(m: Float32Array, r: number, q: number): number {
      const i = Math.trunc(r / (Ho * Wo)),
        u = Math.trunc(r / Wo) % Ho,
        v = r % Wo;
      const c = Math.trunc(q / (k * k)),
        dy = Math.trunc(q / k) % k,
        dx = q % k;
      const h = u * stride + dy - pad,
        w = v * stride + dx - pad;
      return h >= 0 && h < H && w >= 0 && w < W ? m[(x >>> 2) + ((i * H + h) * W + w) * C + c] : 0;
    },
  };
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
        (m, i, k) => m[(A >>> 2) + i * lda + k],
        (m, k, j) => m[(B >>> 2) + k * ldb + j],
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
        (m, i, k) => m[(A >>> 2) + k * lda + i],
        (m, k, j) => m[(B >>> 2) + k * ldb + j],
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
        (m, i, k) => m[(A >>> 2) + i * lda + k],
        (m, k, j) => m[(B >>> 2) + j * ldb + k],
        C,
        ldc,
      );
    },
    conv_gemm_nt(n: number, H: number, W: number, C: number, k: number, stride: number, pad: number, F: number, x: number, wt: number, y: number): void {
      const p = patches(n, H, W, C, k, stride, pad, x);
      gemmRef(heap, p.rows, F, p.cols, p.at, (m, q, j) => m[(wt >>> 2) + j * p.cols + q], y, F);
    },
    conv_gemm_tn(n: number, H: number, W: number, C: number, k: number, stride: number, pad: number, F: number, g: number, x: number, dwt: number): void {
      const p = patches(n, H, W, C, k, stride, pad, x);
      gemmRef(heap, F, p.cols, p.rows, (m, i, r) => m[(g >>> 2) + r * F + i], p.at, dwt, p.cols);
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
