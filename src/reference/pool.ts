// Scalar twin of assembly/kernels/pool.ts (average and max pooling, forward and backward), NHWC.
import type { Heap } from '../wasm/heap.js';

const f = Math.fround;

export function poolKernels(heap: Heap) {
  const at = (i: number, h: number, w: number, c: number, H: number, W: number, C: number) => ((i * H + h) * W + w) * C + c;
  return {
    avgpool_forward(n: number, H: number, W: number, C: number, s: number, x: number, y: number): void {
      const m = heap.f32,
        Ho = Math.trunc(H / s),
        Wo = Math.trunc(W / s),
        inv = f(1 / f(s * s));
      let out = y >>> 2;
      for (let i = 0; i < n; i++)
        for (let u = 0; u < Ho; u++)
          for (let v = 0; v < Wo; v++)
            for (let c = 0; c < C; c++) {
              let acc = 0;
              for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) acc = f(acc + m[(x >>> 2) + at(i, u * s + dy, v * s + dx, c, H, W, C)]);
              m[out++] = f(acc * inv);
            }
    },
    avgpool_backward(n: number, H: number, W: number, C: number, s: number, gy: number, gx: number): void {
      const m = heap.f32,
        Ho = Math.trunc(H / s),
        Wo = Math.trunc(W / s),
        inv = f(1 / f(s * s));
      let out = gx >>> 2;
      for (let i = 0; i < n; i++)
        for (let h = 0; h < H; h++)
          for (let w = 0; w < W; w++)
            for (let c = 0; c < C; c++) {
              m[out++] = h < Ho * s && w < Wo * s ? f(m[(gy >>> 2) + at(i, Math.trunc(h / s), Math.trunc(w / s), c, Ho, Wo, C)] * inv) : 0;
            }
    },
    maxpool_forward(n: number, H: number, W: number, C: number, s: number, x: number, y: number, idx: number): void {
      const m = heap.f32,
        u32 = heap.u32,
        Ho = Math.trunc(H / s),
        Wo = Math.trunc(W / s);
      let o = 0;
      for (let i = 0; i < n; i++)
        for (let u = 0; u < Ho; u++)
          for (let v = 0; v < Wo; v++)
            for (let c = 0; c < C; c++) {
              let best = at(i, u * s, v * s, c, H, W, C),
                mx = m[(x >>> 2) + best];
              for (let dy = 0; dy < s; dy++)
                for (let dx = 0; dx < s; dx++) {
                  const a = at(i, u * s + dy, v * s + dx, c, H, W, C);
                  if (m[(x >>> 2) + a] > mx) {
                    mx = m[(x >>> 2) + a];
                    best = a;
                  }
                }
              m[(y >>> 2) + o] = mx;
              u32[(idx >>> 2) + o] = best;
              o++;
            }
    },
    maxpool_backward(n: number, H: number, W: number, C: number, s: number, gy: number, idx: number, gx: number): void {
      const m = heap.f32,
        u32 = heap.u32,
        outs = n * Math.trunc(H / s) * Math.trunc(W / s) * C;
      m.fill(0, gx >>> 2, (gx >>> 2) + n * H * W * C);
      for (let o = 0; o < outs; o++) m[(gx >>> 2) + u32[(idx >>> 2) + o]] = m[(gy >>> 2) + o];
    },
  };
}
