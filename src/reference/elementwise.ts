// Scalar twin of assembly/kernels/elementwise.ts.
import type { Heap } from '../wasm/heap.js';
import { philoxUniformKernel } from './philox.js';

const f = Math.fround;

export function elementwiseKernels(heap: Heap) {
  const philoxUniform = philoxUniformKernel(heap);
  const kernels = {
    mse_residual(n: number, fp: number, y: number, e: number): number {
      const m = heap.f32;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const r = f(m[(fp >>> 2) + i] - m[(y >>> 2) + i]);
        m[(e >>> 2) + i] = r;
        s = f(s + f(r * r));
      }
      return f(f(s * 0.5) / n);
    },
    hidden_grad(n: number, mm: number, e: number, a: number, s: number, g: number, c: number): void {
      const m = heap.f32,
        cf = f(c);
      for (let i = 0; i < n; i++) {
        const ec = f(m[(e >>> 2) + i] * cf);
        for (let k = 0; k < mm; k++) {
          const idx = i * mm + k;
          m[(g >>> 2) + idx] = f(f(ec * m[(a >>> 2) + k]) * m[(s >>> 2) + idx]);
        }
      }
    },
    r1_hidden_grad(n: number, mm: number, e: number, a: number, h: number, s: number, g: number, ga: number, c: number, r: number): void {
      const m = heap.f32,
        cf = f(c),
        rf = f(r);
      for (let k = 0; k < mm; k++) {
        const ak = m[(a >>> 2) + k],
          rak = f(rf * ak);
        let sa = 0;
        for (let i = 0; i < n; i++) {
          const idx = i * mm + k,
            hv = m[(h >>> 2) + idx];
          const E = f(m[(e >>> 2) + i] + f(rak * hv));
          sa = f(sa + f(E * hv));
          m[(g >>> 2) + idx] = f(f(f(E * cf) * ak) * m[(s >>> 2) + idx]);
        }
        m[(ga >>> 2) + k] = f(sa * cf);
      }
    },
    mul_inplace(n: number, x: number, y: number): void {
      const m = heap.f32;
      for (let i = 0; i < n; i++) m[(x >>> 2) + i] = f(m[(x >>> 2) + i] * m[(y >>> 2) + i]);
    },
    gd_step(n: number, p: number, g: number, lr: number): void {
      const m = heap.f32,
        l = f(lr);
      for (let i = 0; i < n; i++) m[(p >>> 2) + i] = f(m[(p >>> 2) + i] - f(l * m[(g >>> 2) + i]));
    },
    adam_step(n: number, p: number, g: number, mp: number, v: number, lr: number, b1: number, b2: number, eps: number, bc1: number, bc2: number): void {
      const m = heap.f32;
      [lr, b1, b2, eps, bc1, bc2] = [lr, b1, b2, eps, bc1, bc2].map(f);
      const c1 = f(1 - b1),
        c2 = f(1 - b2);
      for (let i = 0; i < n; i++) {
        const gi = m[(g >>> 2) + i];
        const mi = f(f(b1 * m[(mp >>> 2) + i]) + f(c1 * gi));
        const vi = f(f(b2 * m[(v >>> 2) + i]) + f(c2 * f(gi * gi)));
        m[(mp >>> 2) + i] = mi;
        m[(v >>> 2) + i] = vi;
        const step = f(f(mi / bc1) / f(f(Math.sqrt(f(vi / bc2))) + eps));
        m[(p >>> 2) + i] = f(m[(p >>> 2) + i] - f(lr * step));
      }
    },
    dropout_mask(out: number, n: number, keep: number, seedLo: number, seedHi: number, stream: number, ctr1: number): void {
      philoxUniform(out, n, seedLo, seedHi, stream, ctr1);
      const m = heap.f32,
        k = f(keep),
        scale = f(1 / k);
      for (let i = 0; i < n; i++) m[(out >>> 2) + i] = m[(out >>> 2) + i] < k ? scale : 0;
    },
    add_inplace(n: number, x: number, y: number): void {
      const m = heap.f32;
      for (let i = 0; i < n; i++) m[(x >>> 2) + i] = f(m[(x >>> 2) + i] + m[(y >>> 2) + i]);
    },
    scale_to(n: number, x: number, c: number, y: number): void {
      const m = heap.f32,
        cf = f(c);
      for (let i = 0; i < n; i++) m[(y >>> 2) + i] = f(m[(x >>> 2) + i] * cf);
    },
    adamw_step(
      n: number,
      p: number,
      g: number,
      mp: number,
      v: number,
      lr: number,
      b1: number,
      b2: number,
      eps: number,
      bc1: number,
      bc2: number,
      wd: number,
    ): void {
      const m = heap.f32,
        decay = f(f(lr) * f(wd));
      for (let i = 0; i < n; i++) m[(p >>> 2) + i] = f(m[(p >>> 2) + i] - f(decay * m[(p >>> 2) + i]));
      kernels.adam_step(n, p, g, mp, v, lr, b1, b2, eps, bc1, bc2);
    },
    sum_squares(n: number, x: number): number {
      const m = heap.f32,
        lanes = [0, 0, 0, 0],
        n4 = n - (n % 4);
      for (let i = 0; i < n4; i++) lanes[i % 4] = f(lanes[i % 4] + f(m[(x >>> 2) + i] * m[(x >>> 2) + i]));
      let t = f(f(lanes[0] + lanes[1]) + f(lanes[2] + lanes[3]));
      for (let i = n4; i < n; i++) t = f(t + f(m[(x >>> 2) + i] * m[(x >>> 2) + i]));
      return t;
    },
  };
  return kernels;
}
