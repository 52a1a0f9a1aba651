// Finding the f64 critical point an engine's f32 weights lead to: first L-BFGS descent of R in f64
// (the engine's run may stop short of the critical point: a few more thousand Adam steps' worth, at
// f64 precision), then Newton steps θ ← θ − H⁺∇R (pseudo-inverse through the eigen-decomposition, so
// flat directions are left alone), with backtracking on ‖∇R‖ and confined to a ball around where the
// descent ended, so the critical point found is the one the run was heading to and not one Newton
// wandered to. The result says whether a critical point was reached (‖∇R‖ ≤ the tolerance).
import { symmetricEigen } from './symmetric-eigen.js';

/** What the descent and the polish need of a loss in f64: R with ∇R, and the full Hessian (two- or three-layer). */
export interface Objective {
  lossGrad(theta: number[]): { loss: number; grad: number[] };
  hessian(theta: number[]): number[][];
}

export const norm2 = (v: number[]): number => Math.hypot(...v);

/** The full N×N Hessian from exact Hessian-vector products H·eⱼ, symmetrised as (H + Hᵀ)/2 to remove rounding asymmetry. */
export function hessianFromProducts(N: number, times: (vs: number[][]) => number[][]): number[][] {
  const cols = times(Array.from({ length: N }, (_, j) => Array.from({ length: N }, (_, i) => (i === j ? 1 : 0))));
  return Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => (cols[j][i] + cols[i][j]) / 2));
}

interface DescentOptions {
  /** stop when ‖∇R‖ falls to this (default 1e-9) */
  gradTol?: number;
  /** most L-BFGS iterations (default 20 000) */
  maxIterations?: number;
  /** curvature pairs kept (default 10) */
  memory?: number;
}

/** L-BFGS with Armijo backtracking on R, in f64: θ after the descent, and its iterations. */
function lbfgsDescent(obj: Objective, theta0: number[], o: DescentOptions = {}): { theta: number[]; iterations: number } {
  const tol = o.gradTol ?? 1e-9,
    mem = o.memory ?? 10;
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
  let theta = theta0.slice();
  let { loss, grad } = obj.lossGrad(theta);
  const pairs: { s: number[]; y: number[]; rho: number }[] = [];
  let it = 0;
  for (; it < (o.maxIterations ?? 20_000) && norm2(grad) > tol; it++) {
    // two-loop recursion: d = −H⁻¹g
    const q = grad.slice(),
      alphas: number[] = [];
    for (let k = pairs.length - 1; k >= 0; k--) {
      const a = pairs[k].rho * dot(pairs[k].s, q);
      alphas[k] = a;
      pairs[k].y.forEach((v, i) => (q[i] -= a * v));
    }
    const last = pairs[pairs.length - 1];
    const gamma = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1 / Math.max(1, norm2(grad));
    const d = q.map((v) => v * gamma);
    for (let k = 0; k < pairs.length; k++) {
      const b = pairs[k].rho * dot(pairs[k].y, d);
      pairs[k].s.forEach((v, i) => (d[i] += (alphas[k] - b) * v));
    }
    let slope = -dot(grad, d);
    if (!(slope < 0)) {
      // not a descent direction: restart from the gradient
      pairs.length = 0;
      d.splice(0, d.length, ...grad.map((v) => v / Math.max(1, norm2(grad))));
      slope = -dot(grad, d);
    }
    let t = 1,
      next: { loss: number; grad: number[] } | undefined,
      cand: number[] = theta;
    for (; t >= 1e-20; t /= 2) {
      cand = theta.map((v, i) => v - t * d[i]);
      const r = obj.lossGrad(cand);
      if (r.loss <= loss + 1e-4 * t * slope) {
        next = r;
        break;
      }
    }
    if (!next) break; // no decrease left at f64 resolution
    const sv = cand.map((v, i) => v - theta[i]),
      yv = next.grad.map((v, i) => v - grad[i]);
    const sy = dot(sv, yv);
    if (sy > 0) {
      pairs.push({ s: sv, y: yv, rho: 1 / sy });
      if (pairs.length > mem) pairs.shift();
    }
    theta = cand;
    ({ loss, grad } = next);
  }
  return { theta, iterations: it };
}

export interface PolishOptions {
  /** L-BFGS descent before Newton (default: none, Newton from θ₀) */
  descent?: DescentOptions;
  /** the ball of the Newton steps around their start θₙ (θ₀, or where the descent ended): ‖θ − θₙ‖ ≤ radius·‖θₙ‖ (default 0.25) */
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
  /** L-BFGS iterations, then Newton iterations */
  descentIterations: number;
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

export function polishCriticalPoint(obj: Objective, theta0: number[], o: PolishOptions = {}): Polished {
  const startGradNorm = norm2(obj.lossGrad(theta0).grad);
  const descent = o.descent ? lbfgsDescent(obj, theta0, o.descent) : { theta: theta0, iterations: 0 };
  const newtonStart = descent.theta;
  const radius = (o.radius ?? 0.25) * norm2(newtonStart);
  const at = (theta: number[], iterations: number): Polished => {
    const { loss, grad } = obj.lossGrad(theta);
    return {
      theta,
      loss,
      gradNorm: norm2(grad),
      shift: norm2(theta.map((v, i) => v - theta0[i])) / norm2(theta0),
      startGradNorm,
      descentIterations: descent.iterations,
      iterations,
    };
  };
  let cur = at(newtonStart, 0);
  for (let it = 1; it <= (o.maxIterations ?? 50) && cur.gradNorm > 0; it++) {
    const { grad } = obj.lossGrad(cur.theta);
    const step = pseudoSolve(obj.hessian(cur.theta), grad, o.minimum ?? false);
    // backtracking on R for a minimum (the saddle-free step descends R), else on ‖∇R‖ (near a critical
    // point the Newton step descends ‖∇R‖²)
    let next: Polished | undefined;
    for (let t = 1; t >= 2 ** -30 && !next; t /= 2) {
      const theta = cur.theta.map((v, i) => v - t * step[i]);
      if (norm2(theta.map((v, i) => v - newtonStart[i])) > radius) continue;
      const cand = at(theta, it);
      if (o.minimum ? cand.loss < cur.loss || (cand.loss === cur.loss && cand.gradNorm < cur.gradNorm) : cand.gradNorm < cur.gradNorm) next = cand;
    }
    if (!next) break; // at the rounding floor, or the critical point lies outside the ball
    cur = next;
  }
  return cur;
}
