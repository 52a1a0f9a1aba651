// The one-step splitting embedding of a two-layer network (Zhang et al., NeurIPS 2021 Def. 5; SCIENCE.md
// §7.1) on flat parameters θ = (a, W): neuron s keeps output weight α·aₛ and an appended copy with the
// same input weight wₛ gets (1 − α)·aₛ, so f, R and the representation are unchanged for every α ∈ R.
// Also the flat direction V of the embedding (moving output weight between the two copies) and the
// curvature of a split along u = ((1 − α)v on wₛ, −αv on the copy): uᵀHu = α(1 − α)·vᵀMₛv (§7.2).
import type { TwoLayer64Backend } from './f64-backend.js';
import { outputs64, widthOf, type Problem64 } from './twolayer64.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** T^α_s(θ): width m → m + 1. */
export function split(theta: number[], D: number, s: number, alpha: number): number[] {
  const m = widthOf(theta, D);
  const a = theta.slice(0, m),
    w = theta.slice(m);
  const as = a[s];
  a[s] = alpha * as;
  return [...a, (1 - alpha) * as, ...w, ...w.slice(s * D, s * D + D)];
}

/** V in the split network's layout: +aₛ on neuron s's output weight, −aₛ on the copy's (H·V = 0 at a critical point). */
export function splitDirection(theta: number[], D: number, s: number): number[] {
  const m = widthOf(theta, D);
  const v = new Array<number>((m + 1) * (D + 1)).fill(0);
  v[s] = theta[s];
  v[m] = -theta[s];
  return v;
}

/** u in the split network's layout: (1 − α)v on wₛ, −αv on the copy's input weight; Jᵢu = 0 for every sample. */
export function splitCurvatureDirection(theta: number[], D: number, s: number, alpha: number, v: number[]): number[] {
  const m = widthOf(theta, D);
  const u = new Array<number>((m + 1) * (D + 1)).fill(0);
  const w0 = m + 1;
  v.forEach((vj, j) => {
    u[w0 + s * D + j] = (1 - alpha) * vj;
    u[w0 + m * D + j] = -alpha * vj;
  });
  return u;
}

/** σ″ of the activations whose Mₛ the checks take (tanh, the activation of the embedding suite). */
function secondDerivative(kind: number): (z: number) => number {
  if (kind !== 1) throw new Error(`Mₛ is implemented for tanh (kind 1) only, got activation kind ${kind}`);
  return (z) => {
    const t = Math.tanh(z);
    return -2 * t * (1 - t * t);
  };
}

/** Mₛ = (1/n)·Σᵢ eᵢ·(aₛ/α)·σ″(wₛ·x̃ᵢ)·x̃ᵢx̃ᵢᵀ (D × D) at θ, eᵢ = f(xᵢ) − yᵢ. */
export function splitCurvatureMatrix(backend: TwoLayer64Backend, p: Problem64, theta: number[], s: number): number[][] {
  const m = widthOf(theta, p.D);
  const d2 = secondDerivative(p.kind);
  const f = outputs64(backend, p, theta);
  const M = Array.from({ length: p.D }, () => new Array<number>(p.D).fill(0));
  for (let i = 0; i < p.n; i++) {
    const x = Array.from(p.X.subarray(i * p.D, i * p.D + p.D));
    const z = x.reduce((acc, xj, j) => acc + xj * theta[m + s * p.D + j], 0);
    const c = ((f[i] - p.y[i]) * theta[s] * p.invAlpha * d2(z)) / p.n;
    for (let j = 0; j < p.D; j++) for (let k = 0; k < p.D; k++) M[j][k] += c * x[j] * x[k];
  }
  return M;
}

/** The extreme eigenpairs of Mₛ: the split is a strict saddle for α ∈ (0, 1) if λ_min < 0, for α ∉ [0, 1] if λ_max > 0. */
export function splitCurvatureEigen(M: number[][]): { min: { value: number; vector: number[] }; max: { value: number; vector: number[] } } {
  const { values, vectors } = symmetricEigen(M);
  const last = values.length - 1;
  return { min: { value: values[0], vector: vectors[0] }, max: { value: values[last], vector: vectors[last] } };
}
