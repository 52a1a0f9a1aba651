// The two-layer network f(x) = (1/α)·Σₖ aₖσ(wₖ·x̃) in f64 through the f64 kernels tl64_* (./f64-backend.ts): outputs,
// the loss R = (1/2n)·Σᵢ(f(xᵢ) − yᵢ)² with its gradient, and the full Hessian built column by column
// from the exact Hessian-vector product. Parameters are one flat vector θ = (a₁…aₘ, w₁…wₘ) with each
// wₖ ∈ R^D (bias last), the kernels' layout. For the exact-algebra checks of the embedding principle.
import type { TwoLayer64Backend } from './f64-backend.js';
import type { Dataset } from '../engine/data.js';
import { hessianFromProducts, type Objective } from './critical-point.js';

/** A dataset and network form (activation kind, 1/α) in f64. */
export interface Problem64 {
  n: number;
  /** weights per neuron: d + 1 */
  D: number;
  kind: number;
  invAlpha: number;
  /** n × D row-major, last column 1 */
  X: Float64Array;
  y: Float64Array;
}

export function problem64(data: Dataset, kind: number, alpha: number): Problem64 {
  return { n: data.n, D: data.d + 1, kind, invAlpha: 1 / alpha, X: Float64Array.from(data.x), y: Float64Array.from(data.y) };
}

/** θ = (a, W) flattened, from a snapshot's output weights a (m) and input weights w (m × D). */
export const flatten = (a: ArrayLike<number>, w: ArrayLike<number>): number[] => [...Array.from(a), ...Array.from(w)];

/** The width m of θ for D weights per neuron. */
export const widthOf = (theta: number[], D: number): number => theta.length / (D + 1);

/** Run `body` with θ's (a, W) on the heap, releasing every allocation afterwards. */
function onHeap<T>(backend: TwoLayer64Backend, p: Problem64, theta: number[], body: (ptr: { X: number; y: number; a: number; W: number; m: number }) => T): T {
  const { heap } = backend;
  const mark = heap.mark();
  try {
    const m = widthOf(theta, p.D);
    return body({ X: heap.putF64(p.X), y: heap.putF64(p.y), a: heap.putF64(theta.slice(0, m)), W: heap.putF64(theta.slice(m)), m });
  } finally {
    heap.release(mark);
  }
}

/** f(xᵢ) for every row of p.X. */
export function outputs64(backend: TwoLayer64Backend, p: Problem64, theta: number[]): number[] {
  return onHeap(backend, p, theta, ({ X, a, W, m }) => {
    const f = backend.heap.allocF64(p.n);
    backend.kernels.tl64_forward(p.n, p.D, m, p.kind, X, W, a, p.invAlpha, f);
    return Array.from(backend.heap.viewF64(f, p.n));
  });
}

/** R(θ) and ∇R(θ) (flat, in θ's layout). */
export function lossGrad64(backend: TwoLayer64Backend, p: Problem64, theta: number[]): { loss: number; grad: number[] } {
  return onHeap(backend, p, theta, ({ X, y, a, W, m }) => {
    const { heap, kernels } = backend;
    const ga = heap.allocF64(m),
      gW = heap.allocF64(m * p.D);
    const loss = kernels.tl64_loss_grad(p.n, p.D, m, p.kind, X, y, W, a, p.invAlpha, ga, gW);
    return { loss, grad: [...heap.viewF64(ga, m), ...heap.viewF64(gW, m * p.D)] };
  });
}

/** ∇²R(θ)·v for each v of `vs` (flat, in θ's layout). */
export function hessianTimes64(backend: TwoLayer64Backend, p: Problem64, theta: number[], vs: number[][]): number[][] {
  return onHeap(backend, p, theta, ({ X, y, a, W, m }) => {
    const { heap, kernels } = backend;
    const ha = heap.allocF64(m),
      hW = heap.allocF64(m * p.D);
    return vs.map((v) => {
      const mark = heap.mark();
      kernels.tl64_hvp(p.n, p.D, m, p.kind, X, y, W, a, p.invAlpha, heap.putF64(v.slice(0, m)), heap.putF64(v.slice(m)), ha, hW);
      heap.release(mark);
      return [...heap.viewF64(ha, m), ...heap.viewF64(hW, m * p.D)];
    });
  });
}

/** The full Hessian ∇²R(θ). */
export function hessian64(backend: TwoLayer64Backend, p: Problem64, theta: number[]): number[][] {
  return hessianFromProducts(theta.length, (vs) => hessianTimes64(backend, p, theta, vs));
}

/** R, ∇R and the Hessian of the problem, for the critical-point search (./critical-point.ts). */
export const twoLayerObjective = (backend: TwoLayer64Backend, p: Problem64): Objective => ({
  lossGrad: (t) => lossGrad64(backend, p, t),
  hessian: (t) => hessian64(backend, p, t),
});
