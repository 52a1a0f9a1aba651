// The three-layer f64 kernels (thr64_*) against finite differences: the gradient against central
// differences of R, the Hessian-vector product against central differences of ∇R, the Hessian symmetric;
// and the splitting embedding of either hidden layer keeping the output on random parameters.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { hessian3, hessianTimes3, lossGrad3, outputs3, size3, split3, type Problem3 } from '../src/science/threelayer64.js';
import { deepSplitPreservation } from '../src/science/embedding-deep.js';

let wasm: WasmInstance;
beforeAll(async () => {
  wasm = await loadWasm();
});

/** A deterministic problem: n points of a 2-d input (plus the bias column), widths m1, m2, tanh. */
function problem(m1: number, m2: number, kind = 1): { p: Problem3; theta: number[] } {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const n = 9,
    D = 3;
  const X = Float64Array.from({ length: n * D }, (_, i) => (i % D === D - 1 ? 1 : 2 * rand()));
  const y = Float64Array.from({ length: n }, () => rand());
  const p: Problem3 = { n, D, kind, invAlpha: 1 / 1.3, X, y, m1, m2 };
  return { p, theta: Array.from({ length: size3(p) }, () => 0.8 * rand()) };
}

const maxRelDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.max(1e-8, Math.abs(v), Math.abs(b[i]))));

describe('three-layer f64 network (thr64_*)', () => {
  it.each([
    [3, 2, 1],
    [2, 4, 2],
    [4, 3, 4],
  ])('m1 = %i, m2 = %i, activation kind %i: the gradient matches central differences of R', (m1, m2, kind) => {
    const { p, theta } = problem(m1, m2, kind);
    const { grad } = lossGrad3(wasm, p, theta);
    const h = 1e-6;
    const fd = theta.map((_, j) => {
      const [tp, tm] = [theta.slice(), theta.slice()];
      tp[j] += h;
      tm[j] -= h;
      return (lossGrad3(wasm, p, tp).loss - lossGrad3(wasm, p, tm).loss) / (2 * h);
    });
    expect(maxRelDiff(grad, fd)).toBeLessThan(1e-6);
  });

  it.each([
    [3, 2, 1],
    [2, 4, 2],
  ])('m1 = %i, m2 = %i, kind %i: H·v matches central differences of ∇R, and H is symmetric', (m1, m2, kind) => {
    const { p, theta } = problem(m1, m2, kind);
    const v = theta.map((_, i) => Math.sin(3 * i + 1));
    const [Hv] = hessianTimes3(wasm, p, theta, [v]);
    const h = 1e-5;
    const gp = lossGrad3(
        wasm,
        p,
        theta.map((t, i) => t + h * v[i]),
      ).grad,
      gm = lossGrad3(
        wasm,
        p,
        theta.map((t, i) => t - h * v[i]),
      ).grad;
    expect(
      maxRelDiff(
        Hv,
        gp.map((g, i) => (g - gm[i]) / (2 * h)),
      ),
    ).toBeLessThan(1e-6);
    const H = hessianTimes3(
      wasm,
      p,
      theta,
      theta.map((_, j) => theta.map((__, i) => (i === j ? 1 : 0))),
    );
    const scale = Math.max(...H.flat().map(Math.abs));
    expect(Math.max(...H.flatMap((row, i) => row.map((x, j) => Math.abs(x - H[j][i]))))).toBeLessThan(1e-13 * scale);
    expect(hessian3(wasm, p, theta)).toHaveLength(theta.length);
  });

  it('a split in either hidden layer keeps the output and the loss on random parameters, for every α', () => {
    const { p, theta } = problem(3, 2);
    const { output, loss } = deepSplitPreservation(wasm, p, theta);
    expect(output).toBeLessThan(1e-14);
    expect(loss).toBeLessThan(1e-15);
    const wide = split3(p, theta, 1, 1, 0.3);
    expect([wide.p.m1, wide.p.m2, wide.theta.length]).toEqual([4, 2, size3({ ...p, m1: 4 })]);
    expect(outputs3(wasm, wide.p, wide.theta)).toHaveLength(p.n);
  });

  it('names a θ of the wrong size and a neuron that is not there', () => {
    const { p, theta } = problem(3, 2);
    expect(() => lossGrad3(wasm, p, theta.slice(1))).toThrow(/has 19 entries, got 18/);
    expect(() => split3(p, theta, 2, 5, 0.5)).toThrow(/layer 2 has 2 neurons, no neuron 5/);
  });
});
