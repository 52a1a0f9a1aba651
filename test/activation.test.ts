// Activations: the WASM f32x4 kernel equals the scalar reference bit for bit on every kind, size
// and special value, and both are accurate against f64 Math within a few ulp.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadTwins, bitMismatches, describeMismatches, uniformData, ulpDistance, type Twins } from './support.js';
import { activation } from '../src/reference/activation.js';
import { expf, tanhf, sigmoidf, softplusf, logf, cos2pif } from '../src/reference/mathf.js';
import { ACTIVATIONS } from '../src/engine/activations.js';

let t: Twins;
beforeAll(async () => {
  t = await loadTwins();
});

const SPECIAL = [
  0,
  -0,
  1e-38,
  -1e-38,
  1e-45,
  1e-30,
  -1e-12,
  1e-7,
  0.2499,
  0.25,
  0.5,
  -0.5,
  1,
  -1,
  3,
  8.9,
  9.1,
  20,
  -20,
  87,
  -87,
  88.5,
  -88.5,
  200,
  -200,
  Infinity,
  -Infinity,
  NaN,
];

function inputs(n: number, scale: number): Float32Array {
  const z = uniformData(t, n, 100 + n, -scale, scale);
  z.set(SPECIAL.slice(0, Math.min(n, SPECIAL.length)).map(Math.fround));
  return z;
}

describe('act_forward bit-exactness', () => {
  for (const act of ACTIVATIONS) {
    it.each([1, 2, 3, 4, 5, 7, 33, 1001])(`${act.name}: n=%i`, (n) => {
      for (const scale of [1e-6, 1, 12]) {
        const z = t.heap.putF32(inputs(n, scale));
        const [hw, dw, hr, dr] = [0, 0, 0, 0].map(() => t.heap.allocF32(n));
        t.wasm.act_forward(act.kind, n, z, hw, dw);
        t.ref.act_forward(act.kind, n, z, hr, dr);
        for (const [w, r, what] of [
          [hw, hr, 'σ'],
          [dw, dr, "σ'"],
        ] as const) {
          const a = t.heap.viewF32(w, n),
            b = t.heap.viewF32(r, n);
          const bad = bitMismatches(a, b);
          expect(bad, `${act.name} ${what} scale ${scale}:\n${describeMismatches(a, b, bad)}`).toEqual([]);
        }
      }
    });
  }

  it('skips the derivative when its pointer is 0 and leaves memory past n untouched', () => {
    const n = 6;
    const z = t.heap.putF32([1, 2, 3, 4, 5, 6]);
    const h = t.heap.putF32(new Array(8).fill(42));
    t.wasm.act_forward(1, n, z, h, 0);
    expect(Array.from(t.heap.viewF32(h + 4 * n, 2))).toEqual([42, 42]);
  });
});

/** Largest ulp error of an f32 function against an f64 truth over a grid. */
function maxUlp(fn: (x: number) => number, truth: (x: number) => number, lo: number, hi: number, n = 20001): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const x = Math.fround(lo + ((hi - lo) * i) / (n - 1));
    const want = Math.fround(truth(x));
    if (want === 0 || !Number.isFinite(want)) continue;
    worst = Math.max(worst, ulpDistance(fn(x), want));
  }
  return worst;
}

describe('accuracy of the module math against f64', () => {
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  it.each([
    ['exp', expf, Math.exp, -80, 80, 3],
    ['tanh near 0', tanhf, Math.tanh, -1e-3, 1e-3, 3],
    ['tanh', tanhf, Math.tanh, -10, 10, 4],
    ['sigmoid', sigmoidf, sigmoid, -30, 30, 4],
    ['softplus', softplusf, softplus, -30, 30, 4],
    ['log', logf, Math.log, 1e-7, 1, 3],
  ] as const)('%s within %s…%s', (_name, fn, truth, lo, hi, ulps) => {
    expect(maxUlp(fn, truth, lo, hi)).toBeLessThanOrEqual(ulps);
  });

  it('cos 2πu has absolute error below 2e-7', () => {
    let worst = 0;
    for (let i = 0; i < 20000; i++) {
      const u = Math.fround(-0.25 + (1.25 * i) / 20000);
      worst = Math.max(worst, Math.abs(cos2pif(u) - Math.cos(2 * Math.PI * u)));
    }
    expect(worst).toBeLessThan(2e-7);
  });

  it('GELU (tanh form) is within 8 ulp of its f64 formula, or |z|·2⁻²³ for z < 0, where 1 + t cancels (t’s rounding, scaled by z/2)', () => {
    const gelu = ACTIVATIONS.find((a) => a.name === 'gelu')!;
    for (let i = 0; i <= 4000; i++) {
      const z = Math.fround(-8 + (16 * i) / 4000),
        want = gelu.f64(z),
        [h] = activation(gelu.kind, z);
      const ok = Math.abs(h - want) <= Math.max(8 * 2 ** (Math.floor(Math.log2(Math.abs(want) || 2 ** -126)) - 23), z < 0 ? Math.abs(z) * 2 ** -23 : 0);
      expect(ok, `gelu(${z}) = ${h}, f64 ${want}`).toBe(true);
    }
  });

  it('derivatives agree with central differences of σ in f64', () => {
    for (const act of ACTIVATIONS.filter((a) => a.name !== 'relu')) {
      for (const z of [-2.5, -0.3, 0.1, 0.7, 3]) {
        const [, d] = activation(act.kind, z);
        const h = 1e-3;
        const fd = (act.f64(z + h) - act.f64(z - h)) / (2 * h);
        expect(Math.abs(d - fd), `${act.name} at ${z}`).toBeLessThan(2e-5 + 1e-5 * Math.abs(fd));
      }
    }
  });
});
