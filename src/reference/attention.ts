// Scalar twin of assembly/kernels/attention.ts (causal single-head attention, forward and backward).
import type { Heap } from '../wasm/heap.js';
import { expf } from './mathf.js';

const f = Math.fround;

export function attentionKernels(heap: Heap) {
  /** f32 index of element (row, col) of a row-major tensor of `width` columns at byte address base. */
  const at = (base: number, row: number, width: number, col: number) => (base >>> 2) + row * width + col;
  return {
    attention_forward(n: number, L: number, dk: number, dv: number, scale: number, Q: number, K: number, V: number, A: number, Z: number): void {
      const m = heap.f32;
      for (let i = 0; i < n; i++) {
        const r0 = i * L;
        for (let a = 0; a < L; a++) {
          const arow = (r0 + a) * L;
          let mx = 0;
          for (let b = 0; b <= a; b++) {
            let s = 0;
            for (let k = 0; k < dk; k++) s = f(s + f(m[at(Q, r0 + a, dk, k)] * m[at(K, r0 + b, dk, k)]));
            s = f(s * scale);
            m[at(A, arow, 1, b)] = s;
            mx = b === 0 ? s : Math.max(mx, s);
          }
          let S = 0;
          for (let b = 0; b <= a; b++) {
            const e = expf(f(m[at(A, arow, 1, b)] - mx));
            m[at(A, arow, 1, b)] = e;
            S = f(S + e);
          }
          for (let b = 0; b < L; b++) m[at(A, arow, 1, b)] = b <= a ? f(m[at(A, arow, 1, b)] / S) : 0;
          for (let j = 0; j < dv; j++) {
            let z = 0;
            for (let b = 0; b <= a; b++) z = f(z + f(m[at(A, arow, 1, b)] * m[at(V, r0 + b, dv, j)]));
            m[at(Z, r0 + a, dv, j)] = z;
          }
        }
      }
    },
    attention_backward(
      n: number,
      L: number,
      dk: number,
      dv: number,
      scale: number,
      Q: number,
      K: number,
      V: number,
      A: number,
      gZ: number,
      gS: number,
      gQ: number,
      gK: number,
      gV: number,
    ): void {
      const m = heap.f32;
      for (let i = 0; i < n; i++) {
        const r0 = i * L;
        for (let a = 0; a < L; a++) {
          const arow = (r0 + a) * L;
          let c = 0;
          for (let b = 0; b <= a; b++) {
            let g = 0;
            for (let j = 0; j < dv; j++) g = f(g + f(m[at(gZ, r0 + a, dv, j)] * m[at(V, r0 + b, dv, j)]));
            m[at(gS, arow, 1, b)] = g;
            c = f(c + f(m[at(A, arow, 1, b)] * g));
          }
          for (let b = 0; b < L; b++) m[at(gS, arow, 1, b)] = b <= a ? f(m[at(A, arow, 1, b)] * f(m[at(gS, arow, 1, b)] - c)) : 0;
        }
        for (let b = 0; b < L; b++) {
          for (let j = 0; j < dv; j++) {
            let g = 0;
            for (let a = b; a < L; a++) g = f(g + f(m[at(A, (r0 + a) * L, 1, b)] * m[at(gZ, r0 + a, dv, j)]));
            m[at(gV, r0 + b, dv, j)] = g;
          }
          for (let k = 0; k < dk; k++) {
            let g = 0;
            for (let a = b; a < L; a++) g = f(g + f(m[at(gS, (r0 + a) * L, 1, b)] * m[at(Q, r0 + a, dk, k)]));
            m[at(gK, r0 + b, dk, k)] = f(g * scale);
          }
        }
        for (let a = 0; a < L; a++)
          for (let k = 0; k < dk; k++) {
            let g = 0;
            for (let b = 0; b <= a; b++) g = f(g + f(m[at(gS, (r0 + a) * L, 1, b)] * m[at(K, r0 + b, dk, k)]));
            m[at(gQ, r0 + a, dk, k)] = f(g * scale);
          }
      }
    },
  };
}
