// GEMM and GEMV: the blocked f32x4 WASM kernels equal the scalar reference bit for bit on every
// form and on shapes that exercise every tail and block boundary (MR 4, NR 8, KC 256, MC 128,
// NC 512; gemm_tn's unpacked path for N < NR), with leading dimensions larger than the logical ones; and
// they compute the product.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadTwins, bitMismatches, describeMismatches, uniformData, type Twins } from './support.js';

let t: Twins;
beforeAll(async () => {
  t = await loadTwins();
});

type Form = 'nn' | 'tn' | 'nt';
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 8, 3],
  [4, 8, 1],
  [5, 9, 7],
  [3, 17, 2],
  [13, 6, 31],
  [64, 64, 64],
  [67, 71, 300],
  [130, 20, 9],
  [9, 523, 5],
  [4, 8, 513],
  [33, 40, 0],
  [2, 1000, 2],
  // narrow N (< NR): gemm_tn's unpacked path, its 8-, 4- and 1-row steps, one K longer than KC
  [2003, 2, 4],
  [12, 7, 300],
  [37, 5, 7],
];

/** Stored shapes of A and B for a form: rows × cols. */
function stored(form: Form, M: number, N: number, K: number) {
  return { a: form === 'tn' ? [K, M] : [M, K], b: form === 'nt' ? [N, K] : [K, N] };
}

function run(form: Form, M: number, N: number, K: number, pad: number) {
  const { a, b } = stored(form, M, N, K);
  const lda = a[1] + pad,
    ldb = b[1] + pad,
    ldc = N + pad;
  const A = t.heap.putF32(uniformData(t, a[0] * lda, 1 + M));
  const B = t.heap.putF32(uniformData(t, b[0] * ldb, 2 + N));
  const Cw = t.heap.putF32(new Float32Array(M * ldc).fill(7));
  const Cr = t.heap.putF32(new Float32Array(M * ldc).fill(7));
  t.wasm[`gemm_${form}`](M, N, K, A, lda, B, ldb, Cw, ldc, t.work);
  t.ref[`gemm_${form}`](M, N, K, A, lda, B, ldb, Cr, ldc, 0);
  return { A, B, Cw, Cr, lda, ldb, ldc };
}

describe('gemm bit-exactness', () => {
  for (const form of ['nn', 'tn', 'nt'] as const) {
    it.each(SHAPES)(`gemm_${form} M=%i N=%i K=%i`, (M, N, K) => {
      for (const pad of [0, 3]) {
        const { Cw, Cr, ldc } = run(form, M, N, K, pad);
        const a = t.heap.viewF32(Cw, M * ldc),
          b = t.heap.viewF32(Cr, M * ldc);
        const bad = bitMismatches(a, b);
        expect(bad, `pad ${pad}:\n${describeMismatches(a, b, bad)}`).toEqual([]);
        // padding columns of C are never written
        if (pad > 0) for (let i = 0; i < M; i++) expect(a[i * ldc + N]).toBe(7);
      }
    });
  }

  it('computes the product (f64 check of one shape per form)', () => {
    for (const form of ['nn', 'tn', 'nt'] as const) {
      const [M, N, K] = [19, 23, 300];
      const { A, B, Cw, lda, ldb, ldc } = run(form, M, N, K, 1);
      const m = t.heap.f32;
      const av = (i: number, k: number) => (form === 'tn' ? m[(A >>> 2) + k * lda + i] : m[(A >>> 2) + i * lda + k]);
      const bv = (k: number, j: number) => (form === 'nt' ? m[(B >>> 2) + j * ldb + k] : m[(B >>> 2) + k * ldb + j]);
      for (const [i, j] of [
        [0, 0],
        [18, 22],
        [7, 11],
      ]) {
        let s = 0,
          sa = 0;
        for (let k = 0; k < K; k++) {
          s += av(i, k) * bv(k, j);
          sa += Math.abs(av(i, k) * bv(k, j));
        }
        expect(Math.abs(m[(Cw >>> 2) + i * ldc + j] - s)).toBeLessThanOrEqual(K * 2 ** -23 * sa);
      }
    }
  });
});

describe('gemv bit-exactness', () => {
  it.each([
    [1, 1],
    [3, 5],
    [8, 4],
    [17, 33],
    [100, 1001],
    [5, 4099],
  ])('gemv_n and gemv_t M=%i K=%i', (M, K) => {
    const lda = K + 2;
    const A = t.heap.putF32(uniformData(t, M * lda, 5));
    const x = t.heap.putF32(uniformData(t, K, 6));
    const e = t.heap.putF32(uniformData(t, M, 7));
    const [yw, yr, gw, gr] = [M, M, K, K].map((n) => t.heap.allocF32(n));
    t.wasm.gemv_n(M, K, A, lda, x, yw, 0.3);
    t.ref.gemv_n(M, K, A, lda, x, yr, 0.3);
    t.wasm.gemv_t(M, K, A, lda, e, gw, -1.7);
    t.ref.gemv_t(M, K, A, lda, e, gr, -1.7);
    for (const [w, r, n] of [
      [yw, yr, M],
      [gw, gr, K],
    ]) {
      const a = t.heap.viewF32(w, n),
        b = t.heap.viewF32(r, n);
      const bad = bitMismatches(a, b);
      expect(bad, describeMismatches(a, b, bad)).toEqual([]);
    }
    const m = t.heap.f32;
    let s = 0;
    for (let k = 0; k < K; k++) s += m[(A >>> 2) + k] * m[(x >>> 2) + k];
    expect(Math.abs(m[yw >>> 2] - 0.3 * s)).toBeLessThan(1e-5 * Math.max(1, K));
  });
});
