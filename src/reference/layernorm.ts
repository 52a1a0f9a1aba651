// Scalar twin of assembly/kernels/layernorm.ts (layer normalisation over the F features of each row).
import type { Heap } from '../wasm/heap.js';

const f = Math.fround;

export function layernormKernels(heap: Heap) {
  return {
    layernorm_forward(rows: number, F: number, invF: number, eps: number, x: number, gamma: number, beta: number, y: number, xhat: number, rstd: number): void {
      const m = heap.f32;
      for (let r = 0; r < rows; r++) {
        const row = r * F;
        let s = 0;
        for (let j = 0; j < F; j++) s = f(s + m[(x >>> 2) + row + j]);
        const mu = f(s * invF);
        let q = 0;
        for (let j = 0; j < F; j++) {
          const d = f(m[(x >>> 2) + row + j] - mu);
          q = f(q + f(d * d));
        }
        const rs = f(1 / f(Math.sqrt(f(f(q * invF) + eps))));
        m[(rstd >>> 2) + r] = rs;
        for (let j = 0; j < F; j++) {
          const h = f(f(m[(x >>> 2) + row + j] - mu) * rs);
          m[(xhat >>> 2) + row + j] = h;
          m[(y >>> 2) + row + j] = f(f(h * m[(gamma >>> 2) + j]) + m[(beta >>> 2) + j]);
        }
      }
    },
    layernorm_backward(rows: number, F: number, invF: number, g: number, xhat: number, rstd: number, gamma: number, gx: number): void {
      const m = heap.f32;
      for (let r = 0; r < rows; r++) {
        const row = r * F;
        let sa = 0,
          sb = 0;
        for (let j = 0; j < F; j++) {
          const u = f(m[(g >>> 2) + row + j] * m[(gamma >>> 2) + j]);
          sa = f(sa + u);
          sb = f(sb + f(u * m[(xhat >>> 2) + row + j]));
        }
        const a = f(sa * invF),
          b = f(sb * invF),
          rs = m[(rstd >>> 2) + r];
        for (let j = 0; j < F; j++) {
          const u = f(m[(g >>> 2) + row + j] * m[(gamma >>> 2) + j]);
          m[(gx >>> 2) + row + j] = f(rs * f(f(u - a) - f(m[(xhat >>> 2) + row + j] * b)));
        }
      }
    },
  };
}
