// Scalar twin of assembly/kernels/conv.ts (im2col, a conv layer's input gradient, bias add and gradient), NHWC.
import type { Heap } from '../wasm/heap.js';

const f = Math.fround;
const outSize = (L: number, k: number, stride: number, pad: number) => Math.trunc((L + 2 * pad - k) / stride) + 1;

export function convKernels(heap: Heap) {
  return {
    im2col(n: number, H: number, W: number, C: number, k: number, stride: number, pad: number, x: number, cols: number): void {
      const m = heap.f32,
        Ho = outSize(H, k, stride, pad),
        Wo = outSize(W, k, stride, pad);
      let out = cols >>> 2;
      for (let i = 0; i < n; i++)
        for (let u = 0; u < Ho; u++)
          for (let v = 0; v < Wo; v++) {
            for (let c = 0; c < C; c++)
              for (let dy = 0; dy < k; dy++)
                for (let dx = 0; dx < k; dx++) {
                  const h = u * stride + dy - pad,
                    w = v * stride + dx - pad;
                  m[out++] = h >= 0 && h < H && w >= 0 && w < W ? m[(x >>> 2) + ((i * H + h) * W + w) * C + c] : 0;
                }
          }
    },
    conv_input_grad(n: number, H: number, W: number, C: number, k: number, stride: number, pad: number, F: number, g: number, wt: number, gx: number): void {
      const m = heap.f32,
        Ho = outSize(H, k, stride, pad),
        Wo = outSize(W, k, stride, pad),
        ckk = C * k * k;
      let out = gx >>> 2;
      for (let i = 0; i < n; i++)
        for (let h = 0; h < H; h++)
          for (let w = 0; w < W; w++)
            for (let c = 0; c < C; c++) {
              let s = 0;
              for (let u = 0; u < Ho; u++) {
                const dy = h + pad - u * stride;
                if (dy < 0 || dy >= k) continue;
                for (let v = 0; v < Wo; v++) {
                  const dx = w + pad - v * stride;
                  if (dx < 0 || dx >= k) continue;
                  // column (c, dy, dx) of row r of g·wt
                  const r = (i * Ho + u) * Wo + v,
                    q = (c * k + dy) * k + dx;
                  let t = 0;
                  for (let j = 0; j < F; j++) t = f(t + f(m[(g >>> 2) + r * F + j] * m[(wt >>> 2) + j * ckk + q]));
                  s = f(s + t);
                }
              }
              m[out++] = s;
            }
    },
    bias_add(rows: number, F: number, z: number, b: number): void {
      const m = heap.f32;
      for (let r = 0; r < rows; r++) for (let j = 0; j < F; j++) m[(z >>> 2) + r * F + j] = f(m[(z >>> 2) + r * F + j] + m[(b >>> 2) + j]);
    },
    bias_grad(rows: number, F: number, g: number, db: number): void {
      const m = heap.f32;
      for (let j = 0; j < F; j++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s = f(s + m[(g >>> 2) + r * F + j]);
        m[(db >>> 2) + j] = s;
      }
    },
  };
}
