// Scalar twin of assembly/kernels/philox.ts: Philox4x32-10, uniform and Box–Muller normal samples.
import type { Heap } from '../wasm/heap.js';
import { logf, cos2pif } from './mathf.js';

const f = Math.fround;
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two u32, from 16-bit halves. */
function mulhi(a: number, b: number): number {
  const al = a & 0xffff,
    ah = a >>> 16,
    bl = b & 0xffff,
    bh = b >>> 16;
  const lh = al * bh,
    hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + Math.floor(lh / 65536) + Math.floor(hl / 65536) + Math.floor(mid / 65536)) >>> 0;
}

/** Philox4x32-10 of counter (c0..c3) under key (k0, k1). */
export function philox(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number): [number, number, number, number] {
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi(M0, c0),
      lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2),
      lo1 = Math.imul(M1, c2) >>> 0;
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
  }
  return [c0, c1, c2, c3];
}

const u01 = (w: number): number => f((w >>> 8) * 5.9604644775390625e-8);

export function philoxBlockKernel(heap: Heap) {
  return (out: number, c0: number, c1: number, c2: number, c3: number, k0: number, k1: number): void => {
    heap.u32.set(philox(c0 >>> 0, c1 >>> 0, c2 >>> 0, c3 >>> 0, k0 >>> 0, k1 >>> 0), out >>> 2);
  };
}

export function philoxUniformKernel(heap: Heap) {
  return (out: number, n: number, seedLo: number, seedHi: number, stream: number, ctr1: number): void => {
    const o = heap.f32,
      base = out >>> 2;
    for (let i = 0; i < n; i += 4) {
      const w = philox(i >>> 2, ctr1 >>> 0, stream >>> 0, 0, seedLo >>> 0, seedHi >>> 0);
      for (let l = 0; l < Math.min(4, n - i); l++) o[base + i + l] = u01(w[l]);
    }
  };
}

export function sampleWeightsKernel(heap: Heap) {
  return (out: number, n: number, batch: number, scale: number, seedLo: number, seedHi: number, stream: number, ctr1: number): void => {
    const o = heap.f32,
      base = out >>> 2;
    o.fill(0, base, base + n);
    for (let j = 0; j < batch; j += 4) {
      const w = philox(j >>> 2, ctr1 >>> 0, stream >>> 0, 0, seedLo >>> 0, seedHi >>> 0);
      for (let l = 0; l < Math.min(4, batch - j); l++) {
        const i = Math.min(Math.trunc(f(u01(w[l]) * n)), n - 1);
        o[base + i] = f(o[base + i] + 1);
      }
    }
    for (let i = 0; i < n; i++) o[base + i] = f(o[base + i] * f(scale));
  };
}

export function philoxNormalKernel(heap: Heap) {
  return (out: number, n: number, std: number, seedLo: number, seedHi: number, stream: number, ctr1: number): void => {
    const o = heap.f32,
      base = out >>> 2,
      s = f(std);
    for (let i = 0; i < n; i += 4) {
      const w = philox(i >>> 2, ctr1 >>> 0, stream >>> 0, 0, seedLo >>> 0, seedHi >>> 0);
      for (let l = 0; l < Math.min(4, n - i); l++) {
        const pair = l & 2;
        const u1 = f(((w[pair] >>> 8) + 1) * 5.9604644775390625e-8);
        const u2 = u01(w[pair + 1]);
        const r = f(Math.sqrt(f(-2 * logf(u1))));
        const angle = (l & 1) === 0 ? u2 : f(u2 - 0.25);
        o[base + i + l] = f(s * f(r * cos2pif(angle)));
      }
    }
  };
}
