// The kernels of layered models (conv as im2col + GEMM, pooling, softmax cross-entropy, residual add,
// scaling, AdamW, Σx²): WASM equals the reference bit for bit on odd shapes, and each computes what
// it says (f64 checks: col2im is the adjoint of im2col, pooling and softmax by hand).
import { describe, it, expect, beforeAll } from 'vitest';
import { loadTwins, bitMismatches, describeMismatches, uniformData, type Twins } from './support.js';

let t: Twins;
beforeAll(async () => {
  t = await loadTwins();
});

function expectSame(pw: number, pr: number, n: number, what: string) {
  const a = t.heap.viewF32(pw, n), b = t.heap.viewF32(pr, n);
  const bad = bitMismatches(a, b);
  expect(bad, `${what}:\n${describeMismatches(a, b, bad)}`).toEqual([]);
}

/** Run `call` on WASM and on the reference with fresh copies of `inputs` and zeroed outputs; compare outputs. */
function twins(inputs: Float32Array[], outputs: number[], call: (k: Twins['wasm'] | Twins['ref'], ins: number[], outs: number[]) => number | void, what: string) {
  const run = (k: Twins['wasm'] | Twins['ref']) => {
    const ins = inputs.map((a) => t.heap.putF32(a)), outs = outputs.map((n) => t.heap.allocF32(n));
    return { ret: call(k, ins, outs), ins, outs };
  };
  const w = run(t.wasm), r = run(t.ref);
  if (typeof w.ret === 'number') expect(Object.is(w.ret, r.ret), `${what}: returned ${w.ret} vs ${r.ret}`).toBe(true);
  outputs.forEach((n, i) => expectSame(w.outs[i], r.outs[i], n, `${what} output ${i}`));
  inputs.forEach((a, i) => expectSame(w.ins[i], r.ins[i], a.length, `${what} input ${i} (updated in place)`));
  return { ret: w.ret, out: outputs.map((n, i) => t.heap.viewF32(w.outs[i], n).slice()), ins: w.ins.map((p, i) => t.heap.viewF32(p, inputs[i].length).slice()) };
}

const outSize = (L: number, k: number, stride: number, pad: number) => Math.floor((L + 2 * pad - k) / stride) + 1;
const CONV: [number, number, number, number, number, number, number][] = [
  // n, H, W, C, k, stride, pad
  [1, 3, 3, 1, 1, 1, 0], [2, 8, 8, 3, 3, 1, 0], [3, 7, 5, 2, 3, 2, 1], [2, 6, 9, 4, 5, 1, 2], [1, 5, 5, 3, 5, 3, 0],
];

describe('conv kernels', () => {
  it.each(CONV)('im2col and col2im n=%i H=%i W=%i C=%i k=%i stride=%i pad=%i: twins agree, col2im is the adjoint', (n, H, W, C, k, stride, pad) => {
    const Ho = outSize(H, k, stride, pad), Wo = outSize(W, k, stride, pad), rows = n * Ho * Wo, ckk = C * k * k;
    const x = uniformData(t, n * H * W * C, 1), c = uniformData(t, rows * ckk, 2);
    const cols = twins([x], [rows * ckk], (kk, [px], [pc]) => kk.im2col(n, H, W, C, k, stride, pad, px, pc), 'im2col').out[0];
    const back = twins([c], [n * H * W * C], (kk, [pc], [px]) => kk.col2im(n, H, W, C, k, stride, pad, pc, px), 'col2im').out[0];
    // ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩
    const lhs = cols.reduce((s, v, i) => s + v * c[i], 0), rhs = x.reduce((s, v, i) => s + v * back[i], 0);
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-5 * (1 + Math.abs(lhs)));
    // one entry by hand: row (i = n−1, u = Ho−1, v = 0), column (c = C−1, dy = k−1, dx = 0)
    const h = (Ho - 1) * stride + k - 1 - pad, w = -pad, q = ((C - 1) * k + k - 1) * k;
    const want = h >= 0 && h < H && w >= 0 && w < W ? x[(((n - 1) * H + h) * W + w) * C + C - 1] : 0;
    expect(cols[(((n - 1) * Ho + Ho - 1) * Wo) * ckk + q]).toBe(want);
  });

  it.each([[1, 1], [7, 3], [50, 16], [33, 5]])('bias_add and bias_grad rows=%i F=%i', (rows, F) => {
    const z = uniformData(t, rows * F, 3), b = uniformData(t, F, 4);
    const added = twins([z, b], [], (kk, [pz, pb]) => kk.bias_add(rows, F, pz, pb), 'bias_add').ins[0];
    expect(added[rows * F - 1]).toBe(Math.fround(z[rows * F - 1] + b[F - 1]));
    const db = twins([z], [F], (kk, [pz], [pd]) => kk.bias_grad(rows, F, pz, pd), 'bias_grad').out[0];
    expect(db[F - 1]).toBeCloseTo(Array.from({ length: rows }, (_, r) => z[r * F + F - 1]).reduce((s, v) => s + v, 0), 5);
  });
});

describe('pooling kernels', () => {
  it.each([[1, 4, 4, 1, 2], [2, 7, 5, 3, 2], [3, 9, 9, 4, 3]])('avg and max pooling n=%i H=%i W=%i C=%i s=%i', (n, H, W, C, s) => {
    const Ho = Math.floor(H / s), Wo = Math.floor(W / s), outs = n * Ho * Wo * C, size = n * H * W * C;
    const x = uniformData(t, size, 5), gy = uniformData(t, outs, 6);
    const avg = twins([x], [outs], (kk, [px], [py]) => kk.avgpool_forward(n, H, W, C, s, px, py), 'avgpool_forward').out[0];
    let first = 0;
    for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) first += x[(dy * W + dx) * C];
    expect(avg[0]).toBeCloseTo(first / (s * s), 6);
    twins([gy], [size], (kk, [pg], [px]) => kk.avgpool_backward(n, H, W, C, s, pg, px), 'avgpool_backward');
    const [mx, idx] = twins([x], [outs, outs], (kk, [px], [py, pi]) => kk.maxpool_forward(n, H, W, C, s, px, py, pi), 'maxpool_forward').out;
    let best = -Infinity;
    for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) best = Math.max(best, x[(dy * W + dx) * C]);
    expect(mx[0]).toBe(best);
    const gx = twins([gy, idx], [size], (kk, [pg, pi], [px]) => kk.maxpool_backward(n, H, W, C, s, pg, pi, px), 'maxpool_backward').out[0];
    // the gradient lands on the maxima only, and carries gy
    expect(gx.filter((v) => v !== 0).length).toBe(outs);
    expect(gx.reduce((a, v) => a + v, 0)).toBeCloseTo(gy.reduce((a, v) => a + v, 0), 4);
  });
});

describe('softmax cross-entropy', () => {
  it.each([[1, 2], [5, 3], [20, 10]])('n=%i K=%i: loss and gradient by hand, twins agree', (n, K) => {
    const z = uniformData(t, n * K, 7, -4, 4), labels = Float32Array.from({ length: n }, (_, i) => (i * 7) % K);
    const { ret, out } = twins([z, labels], [n * K], (kk, [pz, pl], [pg]) => kk.softmax_ce(n, K, pz, pl, pg, 1 / n), 'softmax_ce');
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const row = Array.from(z.subarray(i * K, (i + 1) * K)), mx = Math.max(...row), s = row.reduce((a, v) => a + Math.exp(v - mx), 0);
      loss += Math.log(s) - (row[labels[i]] - mx);
      row.forEach((v, j) => expect(out[0][i * K + j]).toBeCloseTo((Math.exp(v - mx) / s - (j === labels[i] ? 1 : 0)) / n, 6));
    }
    expect(ret).toBeCloseTo(loss / n, 5);
  });
});

describe('residual add, scaling, AdamW, Σx²', () => {
  it.each([1, 3, 4, 9, 1003])('n=%i', (n) => {
    const x = uniformData(t, n, 8), y = uniformData(t, n, 9);
    expect(twins([x, y], [], (kk, [px, py]) => kk.add_inplace(n, px, py), 'add_inplace').ins[0][n - 1]).toBe(Math.fround(x[n - 1] + y[n - 1]));
    expect(twins([x], [n], (kk, [px], [py]) => kk.scale_to(n, px, 0.3, py), 'scale_to').out[0][0]).toBe(Math.fround(x[0] * Math.fround(0.3)));
    const sq = twins([x], [], (kk, [px]) => kk.sum_squares(n, px), 'sum_squares').ret as number;
    expect(sq).toBeCloseTo(x.reduce((s, v) => s + v * v, 0), 4);
    const m = uniformData(t, n, 10), v = uniformData(t, n, 11, 0, 1);
    const upd = twins([x, y, m, v], [], (kk, [pp, pg, pm, pv]) => kk.adamw_step(n, pp, pg, pm, pv, 0.01, 0.9, 0.999, 1e-8, 0.1, 0.001, 0.5), 'adamw_step').ins;
    // wd = 0 is Adam exactly
    const adam = twins([x, y, m, v], [], (kk, [pp, pg, pm, pv]) => kk.adamw_step(n, pp, pg, pm, pv, 0.01, 0.9, 0.999, 1e-8, 0.1, 0.001, 0), 'adamw wd=0').ins;
    const plain = twins([x, y, m, v], [], (kk, [pp, pg, pm, pv]) => kk.adam_step(n, pp, pg, pm, pv, 0.01, 0.9, 0.999, 1e-8, 0.1, 0.001), 'adam').ins;
    expect(Array.from(adam[0])).toEqual(Array.from(plain[0]));
    // decoupled decay: the AdamW parameter sits lr·wd·p below the Adam one, to first order
    expect(upd[0][0]).toBeCloseTo(plain[0][0] - 0.005 * x[0], 5);
  });
});
