// Polishing an engine's near-critical f32 weights into an f64 critical point of R: Newton steps
// θ ← θ − H⁺∇R (pseudo-inverse through the eigen-decomposition, so flat directions are left alone),
// with backtracking on ‖∇R‖ and confined to a ball around the start, so the critical point found is
// the one the engine reached and not one Newton wandered to.
import type { WasmInstance } from '../wasm/load.js';
import { hessian64, lossGrad64, norm2, type Problem64 } from './twolayer64.js';
import { symmetricEigen } from './symmetric-eigen.js';

export interface PolishOptions {
  /** the ball: ‖θ − θ₀‖ ≤ radius·‖θ₀‖ (default 0.25) */
  radius?: number;
  maxIterations?: number;
  /** saddle-free Newton (H⁺ with |λ|): heads for a minimum from where H is still indefinite */
  minimum?: boolean;
}

export interface Polished {
  theta: number[];
  loss: number;
  gradNorm: number;
  /** ‖θ − θ₀‖/‖θ₀‖ */
  shift: number;
  /** ‖∇R(θ₀)‖ */
  startGradNorm: number;
  iterations: number;
}

/** The pseudo-inverse solve H⁺g (with |H| when `absolute`), dropping eigenvalues with |λ| ≤ 1e-12·max|λ|. */
function pseudoSolve(H: number[][], g: number[], absolute: boolean): number[] {
  const { values, vectors } = symmetricEigen(H);
  const cut = 1e-12 * Math.max(...values.map(Math.abs));
  const x = g.map(() => 0);
  values.forEach((lam, k) => {
    if (Math.abs(lam) <= cut) return;
    const c = vectors[k].reduce((s, v, i) => s + v * g[i], 0) / (absolute ? Math.abs(lam) : lam);
    vectors[k].forEach((v, i) => (x[i] += c * v));
  });
  return x;
}

export function polishCriticalPoint(wasm: WasmInstance, p: Problem64, theta0: number[], o: PolishOptions = {}): Polished {
  const radius = (o.radius ?? 0.25) * norm2(theta0);
  const startGradNorm = norm2(lossGrad64(wasm, p, theta0).grad);
  const at = (theta: number[], iterations: number): Polished => {
    const { loss, grad } = lossGrad64(wasm, p, theta);
    return { theta, loss, gradNorm: norm2(grad), shift: norm2(theta.map((v, i) => v - theta0[i])) / norm2(theta0), startGradNorm, iterations };
  };
  let cur = at(theta0, 0);
  for (let it = 1; it <= (o.maxIterations ?? 50) && cur.gradNorm > 0; it++) {
    const { grad } = lossGrad64(wasm, p, cur.theta);
    const step = pseudoSolve(hessian64(wasm, p, cur.theta), grad, o.minimum ?? false);
    // backtracking on R for a minimum (the saddle-free step descends R), else on ‖∇R‖ (near a critical
    // point the Newton step descends ‖∇R‖²)
    let next: Polished | undefined;
    for (let t = 1; t >= 2 ** -30 && !next; t /= 2) {
      const theta = cur.theta.map((v, i) => v - t * step[i]);
      if (norm2(theta.map((v, i) => v - theta0[i])) > radius) continue;
      const cand = at(theta, it);
      if (o.minimum ? cand.loss < cur.loss || (cand.loss === cur.loss && cand.gradNorm < cur.gradNorm) : cand.gradNorm < cur.gradNorm) next = cand;
    }
    if (!next) break; // at the rounding floor, or the critical point lies outside the ball
    cur = next;
  }
  return cur;
}
