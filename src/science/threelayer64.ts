// The three-layer network f(x) = (1/α)·Σₖ aₖσ(W2ₖ·[σ(W1·x̃); 1]) in f64 through the kernels thr64_* (./f64-backend.ts):
// outputs, R = (1/2n)·Σᵢ(f(xᵢ) − yᵢ)² with its gradient, the Hessian from exact Hessian-vector products,
// and the one-step splitting embedding of a neuron of either hidden layer (SCIENCE.md §7.1). θ is one
// flat vector (a, W2, W1): a ∈ R^m2, W2 m2×(m1 + 1) with the bias weight last, W1 m1×D (x̃'s bias last).
import type { ThreeLayer64Backend } from './f64-backend.js';
import { hessianFromProducts, type Objective } from './critical-point.js';
import type { Problem64 } from './twolayer64.js';

/** The two-layer problem's dataset (X n×D, bias column last), activation kind and 1/α, with the two hidden widths. */
export interface Problem3 extends Problem64 {
  m1: number;
  m2: number;
}

/** The parameter count of (a, W2, W1). */
export const size3 = (p: Pick<Problem3, 'D' | 'm1' | 'm2'>): number => p.m2 + p.m2 * (p.m1 + 1) + p.m1 * p.D;

function onHeap<T>(
  backend: ThreeLayer64Backend,
  p: Problem3,
  theta: number[],
  body: (ptr: { X: number; y: number; a: number; W2: number; W1: number; work: number }) => T,
): T {
  if (theta.length !== size3(p)) throw new Error(`a three-layer θ for m1 = ${p.m1}, m2 = ${p.m2}, D = ${p.D} has ${size3(p)} entries, got ${theta.length}`);
  const { heap } = backend;
  const mark = heap.mark();
  try {
    const nW2 = p.m2 * (p.m1 + 1);
    return body({
      X: heap.putF64(p.X),
      y: heap.putF64(p.y),
      a: heap.putF64(theta.slice(0, p.m2)),
      W2: heap.putF64(theta.slice(p.m2, p.m2 + nW2)),
      W1: heap.putF64(theta.slice(p.m2 + nW2)),
      work: heap.allocF64(6 * p.m1 + 7 * p.m2 + 2),
    });
  } finally {
    heap.release(mark);
  }
}

export function outputs3(backend: ThreeLayer64Backend, p: Problem3, theta: number[]): number[] {
  return onHeap(backend, p, theta, ({ X, a, W2, W1, work }) => {
    const f = backend.heap.allocF64(p.n);
    backend.kernels.thr64_forward(p.n, p.D, p.m1, p.m2, p.kind, X, W1, W2, a, p.invAlpha, work, f);
    return Array.from(backend.heap.viewF64(f, p.n));
  });
}

export function lossGrad3(backend: ThreeLayer64Backend, p: Problem3, theta: number[]): { loss: number; grad: number[] } {
  return onHeap(backend, p, theta, ({ X, y, a, W2, W1, work }) => {
    const { heap } = backend;
    const nW2 = p.m2 * (p.m1 + 1);
    const [ga, gW2, gW1] = [heap.allocF64(p.m2), heap.allocF64(nW2), heap.allocF64(p.m1 * p.D)];
    const loss = backend.kernels.thr64_loss_grad(p.n, p.D, p.m1, p.m2, p.kind, X, y, W1, W2, a, p.invAlpha, work, ga, gW2, gW1);
    return { loss, grad: [...heap.viewF64(ga, p.m2), ...heap.viewF64(gW2, nW2), ...heap.viewF64(gW1, p.m1 * p.D)] };
  });
}

export function hessianTimes3(backend: ThreeLayer64Backend, p: Problem3, theta: number[], vs: number[][]): number[][] {
  return onHeap(backend, p, theta, ({ X, y, a, W2, W1, work }) => {
    const { heap } = backend;
    const nW2 = p.m2 * (p.m1 + 1);
    const [ha, hW2, hW1] = [heap.allocF64(p.m2), heap.allocF64(nW2), heap.allocF64(p.m1 * p.D)];
    return vs.map((v) => {
      const mark = heap.mark();
      const [va, vW2, vW1] = [heap.putF64(v.slice(0, p.m2)), heap.putF64(v.slice(p.m2, p.m2 + nW2)), heap.putF64(v.slice(p.m2 + nW2))];
      backend.kernels.thr64_hvp(p.n, p.D, p.m1, p.m2, p.kind, X, y, W1, W2, a, p.invAlpha, work, va, vW2, vW1, ha, hW2, hW1);
      heap.release(mark);
      return [...heap.viewF64(ha, p.m2), ...heap.viewF64(hW2, nW2), ...heap.viewF64(hW1, p.m1 * p.D)];
    });
  });
}

/** The full Hessian ∇²R(θ). */
export function hessian3(backend: ThreeLayer64Backend, p: Problem3, theta: number[]): number[][] {
  return hessianFromProducts(theta.length, (vs) => hessianTimes3(backend, p, theta, vs));
}

export const threeLayerObjective = (backend: ThreeLayer64Backend, p: Problem3): Objective => ({
  lossGrad: (t) => lossGrad3(backend, p, t),
  hessian: (t) => hessian3(backend, p, t),
});

/** θ's three blocks as row arrays: a (m2), W2 rows (m1 + 1 each), W1 rows (D each). */
function blocks(p: Problem3, theta: number[]): { a: number[]; W2: number[][]; W1: number[][] } {
  const nW2 = p.m2 * (p.m1 + 1);
  const rows = (flat: number[], width: number) => Array.from({ length: flat.length / width }, (_, k) => flat.slice(k * width, (k + 1) * width));
  return { a: theta.slice(0, p.m2), W2: rows(theta.slice(p.m2, p.m2 + nW2), p.m1 + 1), W1: rows(theta.slice(p.m2 + nW2), p.D) };
}

/**
 * The one-step splitting embedding T^α of neuron s of hidden layer `layer` (SCIENCE.md §7.1): the copy gets
 * the neuron's input weights and bias; its outgoing weights split as (1 − α) on the original and α on the
 * copy (layer 2: the output weight aₛ; layer 1: column s of W2). Returns the wider problem and θ'.
 */
export function split3(p: Problem3, theta: number[], layer: 1 | 2, s: number, alpha: number): { p: Problem3; theta: number[] } {
  const { a, W2, W1 } = blocks(p, theta);
  if (layer === 2) {
    if (!(s >= 0 && s < p.m2)) throw new Error(`split3: layer 2 has ${p.m2} neurons, no neuron ${s}`);
    const a2 = [...a, alpha * a[s]];
    a2[s] = (1 - alpha) * a[s];
    return { p: { ...p, m2: p.m2 + 1 }, theta: [...a2, ...[...W2, W2[s]].flat(), ...W1.flat()] };
  }
  if (!(s >= 0 && s < p.m1)) throw new Error(`split3: layer 1 has ${p.m1} neurons, no neuron ${s}`);
  // the copy's column goes after the m1 neuron columns, before the bias column
  const W2s = W2.map((row) => [...row.slice(0, s), (1 - alpha) * row[s], ...row.slice(s + 1, p.m1), alpha * row[s], row[p.m1]]);
  return { p: { ...p, m1: p.m1 + 1 }, theta: [...a, ...W2s.flat(), ...[...W1, W1[s]].flat()] };
}
