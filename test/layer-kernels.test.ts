// The kernels of layered models (the patch matrix im2col, a conv layer's input gradient, pooling, softmax
// cross-entropy, layer norm, residual add, scaling, AdamW, Σx²): WASM equals the reference bit for bit on odd shapes and SIMD tails, every
// output element is written, and each kernel computes what its contract says, checked in f64 (the conv
// input gradient is the adjoint of im2col applied to g·wt, with the bits of gemm_nn then that adjoint's
// gather; the softmax-ce gradient is the central difference of its loss, pooling and the optimiser by hand).
import { describe, it, expect, beforeAll } from 'vitest';
import { loadTwins, bitMismatches, describeMismatches, uniformData, type Twins } from './support.js';

let t: Twins;
beforeAll(async () => {
  t = await loadTwins();
});

/** Unit roundoff of f32. */
const U = 2 ** -24;
const f = Math.fround;
type Kernels = Twins['wasm'] | Twins['ref'];

/** Outputs start filled with a different value per form, so an element a kernel skips shows as a mismatch. */
const SENTINEL = { wasm: 1234.5, ref: -4321.25 };

function expectSame(a: Float32Array, b: Float32Array, what: string) {
  const bad = bitMismatches(a, b);
  expect(bad, `${what}:\n${describeMismatches(a, b, bad)}`).toEqual([]);
}

/**
 * Run `call` on WASM and on the reference, each on fresh copies of `inputs` and on outputs of the
 * given sizes; the returned value, the outputs and the inputs (some kernels update in place) must
 * agree bitwise. Returns the WASM results.
 */
function twins(inputs: Float32Array[], outputs: number[], call: (k: Kernels, ins: number[], outs: number[]) => number | void, what: string) {
  const run = (k: Kernels, fill: number) => {
    const mark = t.heap.mark();
    const ins = inputs.map((a) => t.heap.putF32(a)),
      outs = outputs.map((n) => t.heap.putF32(new Float32Array(n).fill(fill)));
    const ret = call(k, ins, outs);
    const res = { ret, ins: ins.map((p, i) => t.heap.viewF32(p, inputs[i].length).slice()), out: outs.map((p, i) => t.heap.viewF32(p, outputs[i]).slice()) };
    t.heap.release(mark);
    return res;
  };
  const w = run(t.wasm, SENTINEL.wasm),
    r = run(t.ref, SENTINEL.ref);
  if (typeof w.ret === 'number') expect(Object.is(w.ret, r.ret), `${what}: returned ${w.ret} vs ${r.ret}`).toBe(true);
  w.out.forEach((a, i) => expectSame(a, r.out[i], `${what} output ${i}`));
  w.ins.forEach((a, i) => expectSame(a, r.ins[i], `${what} input ${i} (updated in place)`));
  return w;
}

/** Indices where `ok` fails, at most 5, with a description each (an empty list passes). */
function failures(count: number, ok: (i: number) => boolean, describe: (i: number) => string): string[] {
  const bad: string[] = [];
  for (let i = 0; i < count && bad.length < 5; i++) if (!ok(i)) bad.push(describe(i));
  return bad;
}

const outSize = (L: number, k: number, stride: number, pad: number) => Math.floor((L + 2 * pad - k) / stride) + 1;
const CONV: [number, number, number, number, number, number, number][] = [
  // n, H, W, C, k, stride, pad
  [1, 3, 3, 1, 1, 1, 0], // 1×1 kernel
  [2, 8, 8, 3, 3, 1, 0], // valid
  [3, 7, 5, 2, 3, 2, 1], // stride 2 with padding, odd sizes
  [2, 6, 9, 4, 5, 1, 2], // "same" 5×5
  [1, 5, 5, 3, 5, 3, 0], // one output position
  [2, 10, 11, 3, 2, 3, 0], // stride > k: pixels no window covers
];

describe('conv kernels', () => {
  it.each(CONV)('im2col n=%i H=%i W=%i C=%i k=%i stride=%i pad=%i: twins agree, every entry by hand', (n, H, W, C, k, stride, pad) => {
    const Ho = outSize(H, k, stride, pad),
      Wo = outSize(W, k, stride, pad),
      rows = n * Ho * Wo,
      ckk = C * k * k;
    const x = uniformData(t, n * H * W * C, 1);
    const cols = twins([x], [rows * ckk], (kk, [px], [pc]) => kk.im2col(n, H, W, C, k, stride, pad, px, pc), 'im2col').out[0];
    // row (i, u, v), column (c, dy, dx)
    const want = (e: number): number => {
      const r = Math.floor(e / ckk),
        q = e % ckk,
        i = Math.floor(r / (Ho * Wo)),
        u = Math.floor(r / Wo) % Ho,
        v = r % Wo;
      const ch = Math.floor(q / (k * k)),
        dy = Math.floor(q / k) % k,
        dx = q % k,
        h = u * stride + dy - pad,
        w = v * stride + dx - pad;
      return h >= 0 && h < H && w >= 0 && w < W ? x[((i * H + h) * W + w) * C + ch] : 0;
    };
    expect(
      failures(
        rows * ckk,
        (e) => Object.is(cols[e], want(e)),
        (e) => `cols[${e}] = ${cols[e]}, want ${want(e)}`,
      ),
    ).toEqual([]);
  });

  /** The CONV geometries with F filters, then channels in eights and fours (rows of one, two, four windows),
   * and kernels too large for the workspace: in blocks of 32 channels, one channel a block, read in place. */
  const INPUT_GRAD: [number, number, number, number, number, number, number, number][] = [
    ...CONV.map((c, j): [number, number, number, number, number, number, number, number] => [...c, [1, 5, 4, 7, 3, 2][j]]),
    [2, 10, 10, 16, 3, 1, 1, 16],
    [1, 5, 9, 20, 3, 1, 1, 7],
    [3, 7, 7, 12, 3, 2, 1, 9],
    [1, 4, 4, 40, 3, 1, 1, 512],
    [1, 3, 3, 3, 3, 1, 1, 10000],
    [1, 2, 2, 2, 5, 1, 2, 6600],
  ];
  it.each(INPUT_GRAD)(
    'conv_input_grad n=%i H=%i W=%i C=%i k=%i stride=%i pad=%i F=%i: twins agree, the bits of gemm_nn then the adjoint of im2col',
    (n, H, W, C, k, stride, pad, F) => {
      const Ho = outSize(H, k, stride, pad),
        Wo = outSize(W, k, stride, pad),
        rows = n * Ho * Wo,
        ckk = C * k * k,
        size = n * H * W * C;
      const g = uniformData(t, rows * F, 2),
        wt = uniformData(t, F * ckk, 5);
      const gx = twins([g, wt], [size], (kk, [pg, pw], [px]) => kk.conv_input_grad(n, H, W, C, k, stride, pad, F, pg, pw, px, t.work), 'conv_input_grad')
        .out[0];
      // the composition it replaces: the columns g·wt (gemm_nn), then each pixel's window entries gathered in
      // row order from 0 (col2im)
      const mark = t.heap.mark();
      const pc = t.heap.alloc(4 * rows * ckk);
      t.wasm.gemm_nn(rows, ckk, F, t.heap.putF32(g), F, t.heap.putF32(wt), ckk, pc, ckk, t.work);
      const cols = t.heap.viewF32(pc, rows * ckk).slice();
      t.heap.release(mark);
      const composed = new Float32Array(size);
      for (let e = 0; e < size; e++) {
        const [i, h, w, c] = [Math.floor(e / (H * W * C)), Math.floor(e / (W * C)) % H, Math.floor(e / C) % W, e % C];
        let s = 0;
        for (let u = 0; u < Ho; u++)
          for (let v = 0; v < Wo; v++) {
            const dy = h + pad - u * stride,
              dx = w + pad - v * stride;
            if (dy >= 0 && dy < k && dx >= 0 && dx < k) s = f(s + cols[((i * Ho + u) * Wo + v) * ckk + (c * k + dy) * k + dx]);
          }
        composed[e] = s;
      }
      expectSame(gx, composed, 'conv_input_grad against gemm_nn then the gather');
      if (F > 64) return;
      // ⟨im2col(x), g·wt⟩ = ⟨x, gx⟩ in f64, up to gx's f32 sums: F + k² terms at most each, so
      // |error of x-element e| ≤ (F + k²)·u·Σ|terms| = (F + k²)·u·conv_input_grad(|g|, |wt|)[e]
      const x = uniformData(t, size, 1);
      const patches = twins([x], [rows * ckk], (kk, [px], [pc]) => kk.im2col(n, H, W, C, k, stride, pad, px, pc), 'im2col').out[0];
      const absGx = twins(
        [g.map(Math.abs), wt.map(Math.abs)],
        [size],
        (kk, [pg, pw], [px]) => kk.conv_input_grad(n, H, W, C, k, stride, pad, F, pg, pw, px, t.work),
        '|conv_input_grad|',
      ).out[0];
      let lhs = 0;
      for (let r = 0; r < rows; r++)
        for (let q = 0; q < ckk; q++) {
          let d = 0;
          for (let j = 0; j < F; j++) d += g[r * F + j] * wt[j * ckk + q];
          lhs += patches[r * ckk + q] * d;
        }
      const rhs = x.reduce((s, v, i) => s + v * gx[i], 0);
      const bound = x.reduce((s, v, i) => s + Math.abs(v) * (F + k * k) * U * absGx[i], 0) + 1e-12 * (1 + Math.abs(lhs));
      expect(Math.abs(lhs - rhs), `⟨im2col(x), g·wt⟩ = ${lhs}, ⟨x, conv_input_grad(g, wt)⟩ = ${rhs}`).toBeLessThanOrEqual(bound);
      // a pixel that no window reaches gets exactly 0
      const reached = (p: number, Lo: number) => Array.from({ length: Lo }, (_, o) => p + pad - o * stride).some((d) => d >= 0 && d < k);
      const pixel = (e: number) => [Math.floor(e / (W * C)) % H, Math.floor(e / C) % W];
      expect(
        failures(
          size,
          (e) => {
            const [h, w] = pixel(e);
            return reached(h, Ho) && reached(w, Wo) ? gx[e] !== 0 : gx[e] === 0;
          },
          (e) => `gx[${e}] = ${gx[e]}`,
        ),
      ).toEqual([]);
    },
  );

  it.each([
    [1, 1],
    [7, 3],
    [50, 16],
    [33, 5],
    [4, 9],
  ])('bias_add and bias_grad rows=%i F=%i', (rows, F) => {
    const z = uniformData(t, rows * F, 3),
      b = uniformData(t, F, 4);
    const added = twins([z, b], [], (kk, [pz, pb]) => kk.bias_add(rows, F, pz, pb), 'bias_add').ins[0];
    expect(
      failures(
        rows * F,
        (e) => Object.is(added[e], f(z[e] + b[e % F])),
        (e) => `z[${e}] = ${added[e]}`,
      ),
    ).toEqual([]);
    const db = twins([z], [F], (kk, [pz], [pd]) => kk.bias_grad(rows, F, pz, pd), 'bias_grad').out[0];
    const col = (j: number) => Array.from({ length: rows }, (_, r) => z[r * F + j]);
    const exact = (j: number) => col(j).reduce((s, v) => s + v, 0),
      abs = (j: number) => col(j).reduce((s, v) => s + Math.abs(v), 0);
    expect(
      failures(
        F,
        (j) => Math.abs(db[j] - exact(j)) <= rows * U * abs(j),
        (j) => `db[${j}] = ${db[j]}, Σ = ${exact(j)}`,
      ),
    ).toEqual([]);
  });
});

describe('pooling kernels', () => {
  // n, H, W, C, s: remainders dropped (H or W not a multiple of s), s = 1, one output column
  const POOL = [
    [1, 4, 4, 1, 2],
    [2, 7, 5, 3, 2],
    [3, 9, 9, 4, 3],
    [1, 5, 7, 5, 1],
    [2, 8, 6, 3, 4],
    [2, 6, 6, 18, 2],
  ];
  const shape = (n: number, H: number, W: number, C: number, s: number) => {
    const Ho = Math.floor(H / s),
      Wo = Math.floor(W / s);
    /** Flat input indices of output o's window in (dy outer, dx inner) order. */
    const window = (o: number) => {
      const c = o % C,
        v = Math.floor(o / C) % Wo,
        u = Math.floor(o / (C * Wo)) % Ho,
        i = Math.floor(o / (C * Wo * Ho));
      return Array.from({ length: s * s }, (_, j) => ((i * H + u * s + Math.floor(j / s)) * W + v * s + (j % s)) * C + c);
    };
    return { Ho, Wo, outs: n * Ho * Wo * C, size: n * H * W * C, window };
  };

  it.each(POOL)('average pooling n=%i H=%i W=%i C=%i s=%i: twins agree, forward and backward by hand', (n, H, W, C, s) => {
    const { Ho, Wo, outs, size, window } = shape(n, H, W, C, s);
    const x = uniformData(t, size, 5),
      gy = uniformData(t, outs, 6),
      inv = f(1 / (s * s));
    const y = twins([x], [outs], (kk, [px], [py]) => kk.avgpool_forward(n, H, W, C, s, px, py), 'avgpool_forward').out[0];
    const mean = (o: number) => window(o).reduce((a, e) => a + x[e], 0) / (s * s),
      absMean = (o: number) => window(o).reduce((a, e) => a + Math.abs(x[e]), 0) / (s * s);
    expect(
      failures(
        outs,
        (o) => Math.abs(y[o] - mean(o)) <= (s * s + 2) * U * absMean(o),
        (o) => `y[${o}] = ${y[o]}, mean ${mean(o)}`,
      ),
    ).toEqual([]);
    const gx = twins([gy], [size], (kk, [pg], [px]) => kk.avgpool_backward(n, H, W, C, s, pg, px), 'avgpool_backward').out[0];
    // gx(i,h,w,c) = gy(i, h/s, w/s, c)·inv inside the pooled area, 0 in the dropped remainder
    const want = (e: number) => {
      const c = e % C,
        w = Math.floor(e / C) % W,
        h = Math.floor(e / (C * W)) % H,
        i = Math.floor(e / (C * W * H));
      return h < Ho * s && w < Wo * s ? f(gy[((i * Ho + Math.floor(h / s)) * Wo + Math.floor(w / s)) * C + c] * inv) : 0;
    };
    expect(
      failures(
        size,
        (e) => Object.is(gx[e], want(e)),
        (e) => `gx[${e}] = ${gx[e]}, want ${want(e)}`,
      ),
    ).toEqual([]);
  });

  const MAX_CASES = POOL.flatMap((p) => (['uniform', 'tied'] as const).map((kind) => [...p, kind] as [number, number, number, number, number, string]));
  it.each(MAX_CASES)('max pooling n=%i H=%i W=%i C=%i s=%i, %s values: twins agree, the first maximum by hand', (n, H, W, C, s, kind) => {
    const { outs, size, window } = shape(n, H, W, C, s);
    const u = uniformData(t, size, 7);
    // 'tied': values on a grid of ½, so most windows hold their maximum more than once
    const x = kind === 'tied' ? u.map((v) => Math.floor(v * 2) / 2) : u;
    const gy = uniformData(t, outs, 8);
    const [y, idxF] = twins([x], [outs, outs], (kk, [px], [py, pi]) => kk.maxpool_forward(n, H, W, C, s, px, py, pi), 'maxpool_forward').out;
    const idx = new Uint32Array(idxF.buffer);
    const first = (o: number) => window(o).reduce((b, e) => (x[e] > x[b] ? e : b));
    if (kind === 'tied' && s > 1) expect(Array.from({ length: outs }, (_, o) => window(o).filter((e) => x[e] === y[o]).length > 1).some(Boolean)).toBe(true);
    expect(
      failures(
        outs,
        (o) => idx[o] === first(o) && Object.is(y[o], x[first(o)]),
        (o) => `output ${o}: y ${y[o]} at ${idx[o]}, want ${x[first(o)]} at ${first(o)}`,
      ),
    ).toEqual([]);
    const gx = twins([gy, idxF], [size], (kk, [pg, pi], [px]) => kk.maxpool_backward(n, H, W, C, s, pg, pi, px), 'maxpool_backward').out[0];
    const want = new Float32Array(size);
    idx.forEach((e, o) => (want[e] = gy[o]));
    expect(
      failures(
        size,
        (e) => Object.is(gx[e], want[e]),
        (e) => `gx[${e}] = ${gx[e]}, want ${want[e]}`,
      ),
    ).toEqual([]);
  });
});

describe('softmax cross-entropy', () => {
  /** Mean cross-entropy in f64 of logits zz (n × K) against the labels. */
  const meanCe = (zz: ArrayLike<number>, labels: ArrayLike<number>, n: number, K: number) => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const row = Array.from({ length: K }, (_, j) => zz[i * K + j]),
        mx = Math.max(...row);
      total += Math.log(row.reduce((a, v) => a + Math.exp(v - mx), 0)) - (row[labels[i]] - mx);
    }
    return total / n;
  };

  // n, K, logit range, gradient scale
  it.each([
    [1, 2, 4, 1],
    [5, 3, 4, 0.2],
    [20, 10, 4, 0.05],
    [3, 17, 30, 0.7],
    [6, 1, 4, 1],
  ])('n=%i K=%i logits in ±%i, scale %d: twins agree, loss by hand, gradient = central difference', (n, K, range, scale) => {
    const z = uniformData(t, n * K, 9, -range, range),
      labels = Float32Array.from({ length: n }, (_, i) => (i * 7 + K - 1) % K);
    const { ret, out } = twins([z, labels], [n * K], (kk, [pz, pl], [pg]) => kk.softmax_ce(n, K, pz, pl, pg, scale), 'softmax_ce');
    const loss = meanCe(z, labels, n, K);
    expect(Math.abs((ret as number) - loss), `loss ${ret}, f64 ${loss}`).toBeLessThanOrEqual(1e-6 * (1 + loss));
    // g = scale·n·∂(mean loss)/∂z; the f32 gradient is (t/s − [j = y])·scale, off by a few ulp of 1 times scale
    const z64 = Float64Array.from(z),
      h = 1e-4;
    const fd = (e: number) => {
      const at = (d: number) => {
        z64[e] = z[e] + d;
        const v = meanCe(z64, labels, n, K);
        z64[e] = z[e];
        return v;
      };
      return ((at(h) - at(-h)) / (2 * h)) * scale * n;
    };
    expect(
      failures(
        n * K,
        (e) => Math.abs(out[0][e] - fd(e)) <= 1e-6 * scale + 1e-9,
        (e) => `g[${e}] = ${out[0][e]}, central difference ${fd(e)}`,
      ),
    ).toEqual([]);
  });
});

describe('residual add, scaling, AdamW, Σx²', () => {
  it.each([1, 3, 4, 9, 1003])('n=%i', (n) => {
    const x = uniformData(t, n, 10),
      y = uniformData(t, n, 11);
    const sum = twins([x, y], [], (kk, [px, py]) => kk.add_inplace(n, px, py), 'add_inplace').ins[0];
    expect(
      failures(
        n,
        (i) => Object.is(sum[i], f(x[i] + y[i])),
        (i) => `x[${i}] = ${sum[i]}`,
      ),
    ).toEqual([]);
    const scaled = twins([x], [n], (kk, [px], [py]) => kk.scale_to(n, px, 0.3, py), 'scale_to').out[0];
    expect(
      failures(
        n,
        (i) => Object.is(scaled[i], f(x[i] * f(0.3))),
        (i) => `y[${i}] = ${scaled[i]}`,
      ),
    ).toEqual([]);
    expectSame(twins([x], [], (kk, [px]) => kk.scale_to(n, px, 0.3, px), 'scale_to in place').ins[0], scaled, 'scale_to in place vs out of place');

    const sq = twins([x], [], (kk, [px]) => kk.sum_squares(n, px), 'sum_squares').ret as number;
    const exact = x.reduce((s, v) => s + v * v, 0);
    expect(Math.abs(sq - exact), `Σx² = ${sq}, f64 ${exact}`).toBeLessThanOrEqual((n / 4 + 4) * U * exact);
  });

  it.each([1, 3, 4, 9, 1003])('adamw_step n=%i: twins agree, wd = 0 is adam_step, the update by hand', (n) => {
    const p = uniformData(t, n, 12),
      g = uniformData(t, n, 13),
      m = uniformData(t, n, 14),
      v = uniformData(t, n, 15, 0, 1);
    const [lr, b1, b2, eps, bc1, bc2, wd] = [0.01, 0.9, 0.999, 1e-8, 0.1, 0.001, 0.5];
    const upd = twins([p, g, m, v], [], (kk, [pp, pg, pm, pv]) => kk.adamw_step(n, pp, pg, pm, pv, lr, b1, b2, eps, bc1, bc2, wd), 'adamw_step').ins;
    const noDecay = twins([p, g, m, v], [], (kk, [pp, pg, pm, pv]) => kk.adamw_step(n, pp, pg, pm, pv, lr, b1, b2, eps, bc1, bc2, 0), 'adamw wd=0').ins;
    const adam = twins([p, g, m, v], [], (kk, [pp, pg, pm, pv]) => kk.adam_step(n, pp, pg, pm, pv, lr, b1, b2, eps, bc1, bc2), 'adam').ins;
    [0, 2, 3].forEach((k) => expectSame(noDecay[k], adam[k], `adamw wd=0 vs adam, tensor ${k}`));
    // PyTorch AdamW in f64 on the f32 arguments: q = p − lr·wd·p, then Adam on q
    const [L, B1, B2, E, C1, C2, WD] = [lr, b1, b2, eps, bc1, bc2, wd].map(f);
    const want = (i: number) => {
      const mi = B1 * m[i] + (1 - B1) * g[i],
        vi = B2 * v[i] + (1 - B2) * g[i] * g[i];
      const step = mi / C1 / (Math.sqrt(vi / C2) + E);
      return {
        p: p[i] - L * WD * p[i] - L * step,
        m: mi,
        v: vi,
        scale: Math.abs(p[i]) + L * Math.abs(step) + Math.abs(m[i]) + Math.abs(g[i]) + Math.abs(v[i]),
      };
    };
    expect(
      failures(
        n,
        (i) => {
          const w = want(i);
          return [upd[0][i] - w.p, upd[2][i] - w.m, upd[3][i] - w.v].every((d) => Math.abs(d) <= 16 * U * w.scale);
        },
        (i) => `p ${upd[0][i]} m ${upd[2][i]} v ${upd[3][i]} vs ${JSON.stringify(want(i))}`,
      ),
    ).toEqual([]);
  });
});

describe('layer normalisation', () => {
  it.each([
    [1, 1],
    [5, 7],
    [3, 48],
    [4, 130],
  ])('rows=%i F=%i: WASM = reference; x̂ has mean 0 and variance 1 per row, y = x̂·γ + β; the input gradient is its f64 formula', (rows, F) => {
    const n = rows * F,
      invF = f(1 / F),
      eps = f(1e-5);
    const x = uniformData(t, n, 61, -2, 3),
      gamma = uniformData(t, F, 62),
      beta = uniformData(t, F, 63);
    const fw = twins(
      [x, gamma, beta],
      [n, n, rows],
      (k, [xp, gp, bp], [yp, hp, rp]) => k.layernorm_forward(rows, F, invF, eps, xp, gp, bp, yp, hp, rp),
      `layernorm_forward ${rows}×${F}`,
    );
    const [y, xhat, rstd] = fw.out;
    const bad: string[] = [];
    for (let r = 0; r < rows; r++) {
      const row = Array.from(x.subarray(r * F, (r + 1) * F));
      const mu = row.reduce((a, b) => a + b, 0) / F,
        v = row.reduce((a, b) => a + (b - mu) ** 2, 0) / F,
        rs = 1 / Math.sqrt(v + eps);
      if (Math.abs(rstd[r] - rs) > 1e-5 * rs) bad.push(`rstd[${r}] ${rstd[r]} vs ${rs}`);
      for (let j = 0; j < F; j++) {
        const h = (row[j] - mu) * rs,
          at = r * F + j;
        if (Math.abs(xhat[at] - h) > 1e-5 * (1 + Math.abs(h))) bad.push(`x̂[${at}] ${xhat[at]} vs ${h}`);
        if (Math.abs(y[at] - (xhat[at] * gamma[j] + beta[j])) > 4 * U * (Math.abs(xhat[at] * gamma[j]) + Math.abs(beta[j]))) bad.push(`y[${at}]`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    const g = uniformData(t, n, 64);
    const [gx] = twins(
      [g, xhat, rstd, gamma],
      [n],
      (k, [gp, hp, rp, gm], [gxp]) => k.layernorm_backward(rows, F, invF, gp, hp, rp, gm, gxp),
      `layernorm_backward ${rows}×${F}`,
    ).out;
    for (let r = 0; r < rows; r++) {
      const u = Array.from({ length: F }, (_, j) => g[r * F + j] * gamma[j]);
      const a = u.reduce((s, v) => s + v, 0) / F,
        b = u.reduce((s, v, j) => s + v * xhat[r * F + j], 0) / F;
      const want = u.map((v, j) => rstd[r] * (v - a - xhat[r * F + j] * b));
      const scale = rstd[r] * u.reduce((s, v, j) => s + Math.abs(v) * (1 + Math.abs(xhat[r * F + j])), 0);
      want.forEach((w, j) => {
        if (Math.abs(gx[r * F + j] - w) > 4 * (F + 2) * U * scale) bad.push(`gx[${r * F + j}] ${gx[r * F + j]} vs ${w}`);
      });
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });
});

describe('token embedding', () => {
  it('WASM = reference; the lookup copies each token’s row, the gradient sums the rows that hold a token, in row order', () => {
    const rows = 23,
      dim = 5,
      vocab = 11;
    const tokens = Float32Array.from({ length: rows }, (_, i) => (i * 7) % 9); // tokens 9 and 10 unused
    const table = uniformData(t, vocab * dim, 71);
    const [y] = twins([tokens, table], [rows * dim], (k, [tp, tb], [yp]) => k.embedding_forward(rows, dim, tp, tb, yp), 'embedding_forward').out;
    for (let r = 0; r < rows; r++)
      expect(Array.from(y.subarray(r * dim, (r + 1) * dim))).toEqual(Array.from(table.subarray(tokens[r] * dim, (tokens[r] + 1) * dim)));
    const g = uniformData(t, rows * dim, 72);
    const [dt] = twins([tokens, g], [vocab * dim], (k, [tp, gp], [dp]) => k.embedding_grad(rows, dim, vocab, tp, gp, dp), 'embedding_grad').out;
    for (let v = 0; v < vocab; v++)
      for (let j = 0; j < dim; j++) {
        let s = 0;
        for (let r = 0; r < rows; r++) if (tokens[r] === v) s = f(s + g[r * dim + j]);
        expect(dt[v * dim + j]).toBe(s);
      }
  });
});

describe('causal attention', () => {
  it('WASM = reference; rows of A are a causal softmax of QKᵀ/√dk, Z = AV; the backward pass is the gradient of Σ w·Z', () => {
    // dk and dv of four-column steps and a rest (the WASM row sums)
    const n = 3,
      L = 5,
      dk = 5,
      dv = 6,
      rows = n * L,
      scale = f(1 / Math.sqrt(dk));
    const Q = uniformData(t, rows * dk, 81),
      K = uniformData(t, rows * dk, 82),
      V = uniformData(t, rows * dv, 83);
    const forward = (k: Kernels, [q, kk, v]: number[], [a, z]: number[]) => k.attention_forward(n, L, dk, dv, scale, q, kk, v, a, z);
    const [A, Z] = twins([Q, K, V], [n * L * L, rows * dv], forward, 'attention_forward').out;
    // the contract in f64
    const zOf = (q: Float32Array, k: Float32Array, v: Float32Array, checkA = false) => {
      const z = new Float64Array(rows * dv);
      for (let i = 0; i < n; i++)
        for (let a = 0; a < L; a++) {
          const s = Array.from({ length: a + 1 }, (_, b) => {
            let dot = 0;
            for (let c = 0; c < dk; c++) dot += q[(i * L + a) * dk + c] * k[(i * L + b) * dk + c];
            return dot * scale;
          });
          const mx = Math.max(...s),
            e = s.map((x) => Math.exp(x - mx)),
            sum = e.reduce((x, y) => x + y, 0);
          e.forEach((x, b) => {
            if (checkA) expect(A[(i * L + a) * L + b]).toBeCloseTo(x / sum, 6);
            for (let j = 0; j < dv; j++) z[(i * L + a) * dv + j] += (x / sum) * v[(i * L + b) * dv + j];
          });
          if (checkA) for (let b = a + 1; b < L; b++) expect(A[(i * L + a) * L + b]).toBe(0);
        }
      return z;
    };
    const z64 = zOf(Q, K, V, true);
    Z.forEach((v, e) => expect(v).toBeCloseTo(z64[e], 6));
    // backward: against central differences of Σ w·Z (f64 forward), a few entries of each input
    const w = uniformData(t, rows * dv, 84);
    const [, gQ, gK, gV] = twins(
      [Q, K, V, A, w],
      [n * L * L, rows * dk, rows * dk, rows * dv],
      (k, [q, kk, v, a, gz], [gs, gq, gk, gv]) => k.attention_backward(n, L, dk, dv, scale, q, kk, v, a, gz, gs, gq, gk, gv),
      'attention_backward',
    ).out;
    const objective = (q: Float32Array, k: Float32Array, v: Float32Array) => zOf(q, k, v).reduce((acc, z, e) => acc + z * w[e], 0);
    const h = 1e-3;
    for (const [name, x, g] of [
      ['Q', Q, gQ],
      ['K', K, gK],
      ['V', V, gV],
    ] as const) {
      for (let e = 0; e < x.length; e += 5) {
        const up = Float32Array.from(x),
          down = Float32Array.from(x);
        up[e] += h;
        down[e] -= h;
        const args = (y: Float32Array) => (name === 'Q' ? [y, K, V] : name === 'K' ? [Q, y, V] : [Q, K, y]) as [Float32Array, Float32Array, Float32Array];
        const numeric = (objective(...args(up)) - objective(...args(down))) / (up[e] - down[e]);
        expect(Math.abs(g[e] - numeric), `${name}[${e}]`).toBeLessThan(2e-4);
      }
    }
  });
});

describe('the last position', () => {
  it('WASM = reference; takes each sequence’s last position and puts its gradient back with zeros elsewhere', () => {
    const [n, L, C] = [4, 5, 3];
    const x = uniformData(t, n * L * C, 91);
    const [y] = twins([x], [n * C], (k, [xp], [yp]) => k.last_position(n, L, C, xp, yp), 'last_position').out;
    for (let i = 0; i < n; i++) expect(Array.from(y.subarray(i * C, (i + 1) * C))).toEqual(Array.from(x.subarray((i * L + L - 1) * C, (i * L + L) * C)));
    const [gx] = twins([y], [n * L * C], (k, [gp], [gxp]) => k.last_position_backward(n, L, C, gp, gxp), 'last_position_backward').out;
    gx.forEach((v, e) => expect(v).toBe(Math.floor(e / C) % L === L - 1 ? x[e] : 0));
  });
});
