// Philox4x32-10 known answers (Random123 test vectors), bitwise WASM = reference for uniform and
// normal streams, and the distribution of the samples.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadTwins, bitMismatches, describeMismatches, type Twins } from './support.js';

let t: Twins;
beforeAll(async () => {
  t = await loadTwins();
});

// Random123 kat_vectors: philox4x32_10 (counter, key) → output.
const KAT: [number[], number[], number[]][] = [
  [
    [0, 0, 0, 0],
    [0, 0],
    [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
  ],
  [
    [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    [0xffffffff, 0xffffffff],
    [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  ],
  [
    [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    [0xa4093822, 0x299f31d0],
    [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  ],
];

describe('philox4x32-10', () => {
  it.each(KAT.map((k, i) => [i, ...k] as const))('known answer %i', (_i, c, k, expected) => {
    for (const kernels of [t.wasm, t.ref]) {
      const out = t.heap.alloc(16);
      kernels.philox_block(out, c[0], c[1], c[2], c[3], k[0], k[1]);
      expect(Array.from(t.heap.u32.subarray(out >>> 2, (out >>> 2) + 4))).toEqual(expected);
    }
  });

  it.each([1, 3, 4, 7, 1000, 4099])('uniform and normal streams match the reference bit for bit (n=%i)', (n) => {
    for (const [name, call] of [
      ['uniform', (k: Twins['ref'], p: number) => k.philox_uniform(p, n, 7, 3, 11, 5)],
      ['normal', (k: Twins['ref'], p: number) => k.philox_normal(p, n, 0.5, 7, 3, 11, 5)],
    ] as const) {
      const pw = t.heap.allocF32(n),
        pr = t.heap.allocF32(n);
      call(t.wasm, pw);
      call(t.ref, pr);
      const a = t.heap.viewF32(pw, n),
        b = t.heap.viewF32(pr, n);
      const bad = bitMismatches(a, b);
      expect(bad, `${name} mismatches:\n${describeMismatches(a, b, bad)}`).toEqual([]);
    }
  });

  it('uniforms lie in [0, 1) with mean ½ and variance 1/12', () => {
    const n = 200_000,
      p = t.heap.allocF32(n);
    t.wasm.philox_uniform(p, n, 1, 0, 0, 0);
    const u = t.heap.viewF32(p, n);
    let s = 0,
      s2 = 0,
      lo = 1,
      hi = 0;
    for (const x of u) {
      s += x;
      s2 += x * x;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    const mean = s / n,
      variance = s2 / n - mean * mean;
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('normals have mean 0, variance std², kurtosis 3 and independent pairs', () => {
    const n = 200_000,
      std = 2,
      p = t.heap.allocF32(n);
    t.wasm.philox_normal(p, n, std, 9, 0, 1, 0);
    const z = t.heap.viewF32(p, n);
    let s = 0,
      s2 = 0,
      s4 = 0,
      cross = 0;
    for (let i = 0; i < n; i++) {
      const x = z[i] / std;
      s += x;
      s2 += x * x;
      s4 += x ** 4;
      if (i % 2 === 0) cross += x * (z[i + 1] / std);
    }
    expect(Math.abs(s / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.015);
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.08);
    expect(Math.abs(cross / (n / 2))).toBeLessThan(4 / Math.sqrt(n / 2));
  });

  it('different streams and seeds give different samples', () => {
    const n = 64,
      p = t.heap.allocF32(3 * n);
    t.wasm.philox_uniform(p, n, 1, 0, 0, 0);
    t.wasm.philox_uniform(p + 4 * n, n, 1, 0, 1, 0);
    t.wasm.philox_uniform(p + 8 * n, n, 2, 0, 0, 0);
    const v = t.heap.viewF32(p, 3 * n);
    expect(Array.from(v.subarray(0, n))).not.toEqual(Array.from(v.subarray(n, 2 * n)));
    expect(Array.from(v.subarray(0, n))).not.toEqual(Array.from(v.subarray(2 * n)));
  });
});
