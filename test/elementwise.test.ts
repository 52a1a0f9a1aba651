// Loss, hidden gradient, products, GD, Adam and dropout: WASM equals the reference bit for bit,
// and each computes what it says (checked in f64 on a few entries).
import { describe, it, expect, beforeAll } from 'vitest';
import { loadTwins, bitMismatches, describeMismatches, uniformData, type Twins } from './support.js';

let t: Twins;
beforeAll(async () => {
  t = await loadTwins();
});

function expectSame(pw: number, pr: number, n: number, what: string) {
  const a = t.heap.viewF32(pw, n),
    b = t.heap.viewF32(pr, n);
  const bad = bitMismatches(a, b);
  expect(bad, `${what}:\n${describeMismatches(a, b, bad)}`).toEqual([]);
}

const SIZES = [1, 3, 4, 9, 250, 1003];

describe('elementwise kernels', () => {
  it.each(SIZES)('mse_residual n=%i', (n) => {
    const f = t.heap.putF32(uniformData(t, n, 1)),
      y = t.heap.putF32(uniformData(t, n, 2));
    const ew = t.heap.allocF32(n),
      er = t.heap.allocF32(n);
    const lw = t.wasm.mse_residual(n, f, y, ew),
      lr = t.ref.mse_residual(n, f, y, er);
    expect(Object.is(lw, lr)).toBe(true);
    expectSame(ew, er, n, 'residual');
    const e = t.heap.viewF32(ew, n);
    expect(lw).toBeCloseTo(e.reduce((s, v) => s + v * v, 0) / (2 * n), 5);
  });

  it.each([
    [1, 1],
    [4, 5],
    [7, 250],
    [100, 1003],
  ])('hidden_grad n=%i m=%i', (n, m) => {
    const e = t.heap.putF32(uniformData(t, n, 3)),
      a = t.heap.putF32(uniformData(t, m, 4));
    const s = t.heap.putF32(uniformData(t, n * m, 5));
    const gw = t.heap.allocF32(n * m),
      gr = t.heap.allocF32(n * m);
    t.wasm.hidden_grad(n, m, e, a, s, gw, 0.01);
    t.ref.hidden_grad(n, m, e, a, s, gr, 0.01);
    expectSame(gw, gr, n * m, 'hidden_grad');
  });

  it.each(SIZES)('mul_inplace, gd_step, adam_step n=%i', (n) => {
    const g = t.heap.putF32(uniformData(t, n, 6));
    const init = uniformData(t, n, 7);
    const twins = [t.wasm, t.ref].map(() => ({
      x: t.heap.putF32(init),
      p: t.heap.putF32(init),
      q: t.heap.putF32(init),
      m: t.heap.putF32(uniformData(t, n, 8)),
      v: t.heap.putF32(uniformData(t, n, 9, 0, 1)),
    }));
    [t.wasm, t.ref].forEach((k, i) => {
      const b = twins[i];
      k.mul_inplace(n, b.x, g);
      k.gd_step(n, b.p, g, 0.05);
      for (let step = 1; step <= 3; step++) {
        k.adam_step(n, b.q, g, b.m, b.v, 1e-3, 0.9, 0.999, 1e-8, 1 - 0.9 ** step, 1 - 0.999 ** step);
      }
    });
    for (const key of ['x', 'p', 'q', 'm', 'v'] as const) expectSame(twins[0][key], twins[1][key], n, key);
    const p = t.heap.viewF32(twins[0].p, n),
      gv = t.heap.viewF32(g, n);
    expect(p[0]).toBeCloseTo(init[0] - 0.05 * gv[0], 6);
  });

  it('dropout_mask keeps a fraction ≈ keep, scaled by 1/keep, and matches the reference', () => {
    const n = 100_003,
      keep = 0.9;
    const pw = t.heap.allocF32(n),
      pr = t.heap.allocF32(n);
    t.wasm.dropout_mask(pw, n, keep, 5, 0, 3, 17);
    t.ref.dropout_mask(pr, n, keep, 5, 0, 3, 17);
    expectSame(pw, pr, n, 'mask');
    const mask = t.heap.viewF32(pw, n);
    const kept = mask.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / keep)]));
    expect(Math.abs(kept.length / n - keep)).toBeLessThan(4 * Math.sqrt((keep * (1 - keep)) / n));
  });
});
