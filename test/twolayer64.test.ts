// f64 two-layer kernels: the loss matches an independent TypeScript f64 evaluation, the gradient
// matches central finite differences, and the Hessian-vector product matches finite differences
// of the gradient, for every activation.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { ACTIVATIONS } from '../src/engine/activations.js';

let w: WasmInstance;
beforeAll(async () => {
  w = await loadWasm();
});

const n = 7,
  D = 3,
  m = 5,
  invAlpha = 0.7;

function problem(seed: number) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const X = Array.from({ length: n * D }, (_, i) => (i % D === D - 1 ? 1 : rnd()));
  return { X, y: Array.from({ length: n }, rnd), W: Array.from({ length: m * D }, rnd), a: Array.from({ length: m }, rnd) };
}

/** Independent f64 loss R = (1/2n)Σ(f − y)². */
function lossTs(f64: (z: number) => number, X: number[], y: number[], W: number[], a: number[]): number {
  let R = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let k = 0; k < m; k++) {
      let z = 0;
      for (let j = 0; j < D; j++) z += W[k * D + j] * X[i * D + j];
      f += a[k] * f64(z);
    }
    R += (f * invAlpha - y[i]) ** 2;
  }
  return R / (2 * n);
}

describe('tl64 kernels', () => {
  for (const act of ACTIVATIONS.filter((a) => !a.layeredOnly)) {
    it(`${act.name}: loss, gradient and Hessian-vector product`, () => {
      const { heap, kernels: k } = w;
      const mark = heap.mark();
      const p = problem(act.kind + 3);
      const X = heap.putF64(p.X),
        y = heap.putF64(p.y),
        W = heap.putF64(p.W),
        a = heap.putF64(p.a);
      const ga = heap.allocF64(m),
        gW = heap.allocF64(m * D);
      const R = k.tl64_loss_grad(n, D, m, act.kind, X, y, W, a, invAlpha, ga, gW);
      expect(R).toBeCloseTo(lossTs(act.f64, p.X, p.y, p.W, p.a), 12);
      const grad = [...heap.viewF64(ga, m), ...heap.viewF64(gW, m * D)];
      const theta = [...p.a, ...p.W];
      const lossAt = (th: number[]) => lossTs(act.f64, p.X, p.y, th.slice(m), th.slice(0, m));
      const h = 1e-6;
      theta.forEach((_, i) => {
        const up = theta.slice(),
          dn = theta.slice();
        up[i] += h;
        dn[i] -= h;
        expect(Math.abs(grad[i] - (lossAt(up) - lossAt(dn)) / (2 * h)), `∂R/∂θ${i}`).toBeLessThan(1e-7);
      });
      // H·v against finite differences of the gradient along v
      const v = theta.map((_, i) => Math.cos(i + 1));
      const va = heap.putF64(v.slice(0, m)),
        vW = heap.putF64(v.slice(m));
      const ha = heap.allocF64(m),
        hW = heap.allocF64(m * D);
      k.tl64_hvp(n, D, m, act.kind, X, y, W, a, invAlpha, va, vW, ha, hW);
      const hv = [...heap.viewF64(ha, m), ...heap.viewF64(hW, m * D)];
      const gradAt = (eps: number) => {
        const Wp = heap.putF64(p.W.map((x, i) => x + eps * v[m + i])),
          ap = heap.putF64(p.a.map((x, i) => x + eps * v[i]));
        k.tl64_loss_grad(n, D, m, act.kind, X, y, Wp, ap, invAlpha, ga, gW);
        return [...heap.viewF64(ga, m), ...heap.viewF64(gW, m * D)];
      };
      const e = 1e-5,
        gp = gradAt(e),
        gm = gradAt(-e);
      const scale = Math.max(1, ...hv.map(Math.abs));
      // ReLU: the kink makes the difference quotient exact away from z = 0, which this data avoids
      hv.forEach((x, i) => expect(Math.abs(x - (gp[i] - gm[i]) / (2 * e)), `(Hv)${i}`).toBeLessThan(1e-6 * scale));
      heap.release(mark);
    });
  }
});
