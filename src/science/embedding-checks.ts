// The embedding-principle checks of SCIENCE.md §7.5 (T5.1–T5.5) on one critical point θc of a narrow
// two-layer network, in f64: output and loss preserved by every split (also at non-critical θ),
// criticality preserved, the Hessian inertia (negative, zero, positive) before and after one and two
// splits, the flat direction H·V = 0, and the split curvature uᵀHu = α(1 − α)·vᵀMₛv.
import type { TwoLayer64Backend } from './f64-backend.js';
import { hessian64, hessianTimes64, lossGrad64, outputs64, widthOf, type Problem64 } from './twolayer64.js';
import { norm2 } from './critical-point.js';
import { inertia, symmetricEigen, type Inertia } from './symmetric-eigen.js';
import { split, splitCurvatureDirection, splitCurvatureEigen, splitCurvatureMatrix, splitDirection } from './embedding.js';

/** The split ratios of SCIENCE.md §7.5 T5.1 (the pilot's 0.5, 0.3, 1.5, −0.5, and 0). */
export const SPLIT_ALPHAS = [-0.5, 0, 0.3, 0.5, 1.5];

/** Largest |f(T^α_s θ)(xᵢ) − f(θ)(xᵢ)| and |R(T^α_s θ) − R(θ)| over every neuron s and α of `alphas`. */
export function splitPreservation(backend: TwoLayer64Backend, p: Problem64, theta: number[], alphas = SPLIT_ALPHAS): { output: number; loss: number } {
  const f = outputs64(backend, p, theta),
    R = lossGrad64(backend, p, theta).loss;
  let output = 0,
    loss = 0;
  for (let s = 0; s < widthOf(theta, p.D); s++) {
    for (const alpha of alphas) {
      const t = split(theta, p.D, s, alpha);
      outputs64(backend, p, t).forEach((v, i) => (output = Math.max(output, Math.abs(v - f[i]))));
      loss = Math.max(loss, Math.abs(lossGrad64(backend, p, t).loss - R));
    }
  }
  return { output, loss };
}

interface PointCheck {
  gradNorm: number;
  counts: Inertia;
  /** the most negative eigenvalue */
  minEigenvalue: number;
}

function checkPoint(backend: TwoLayer64Backend, p: Problem64, theta: number[]): PointCheck {
  const { values } = symmetricEigen(hessian64(backend, p, theta));
  return { gradNorm: norm2(lossGrad64(backend, p, theta).grad), counts: inertia(values), minEigenvalue: values[0] };
}

export interface SplitCheck extends PointCheck {
  s: number;
  alpha: number;
  /** ‖H·V‖/‖V‖ for the embedding direction V */
  flatness: number;
  /** |uᵀHu − α(1 − α)vᵀMₛv| / |α(1 − α)vᵀMₛv| (NaN for α ∈ {0, 1}, where both vanish) */
  curvatureError: number;
}

/** One split of θc: criticality, inertia, flatness of V and the curvature formula along Mₛ's extreme eigenvector. */
function checkSplit(backend: TwoLayer64Backend, p: Problem64, thetaC: number[], s: number, alpha: number): SplitCheck {
  const t = split(thetaC, p.D, s, alpha);
  const V = splitDirection(thetaC, p.D, s);
  const eig = splitCurvatureEigen(splitCurvatureMatrix(backend, p, thetaC, s));
  const ev = alpha > 0 && alpha < 1 ? eig.min : eig.max;
  const u = splitCurvatureDirection(thetaC, p.D, s, alpha, ev.vector);
  const [HV, Hu] = hessianTimes64(backend, p, t, [V, u]);
  const uHu = Hu.reduce((acc, h, i) => acc + h * u[i], 0);
  const predicted = alpha * (1 - alpha) * ev.value;
  return {
    s,
    alpha,
    ...checkPoint(backend, p, t),
    flatness: norm2(HV) / norm2(V),
    curvatureError: predicted === 0 ? NaN : Math.abs(uHu - predicted) / Math.abs(predicted),
  };
}

export interface EmbeddingChecks {
  before: PointCheck;
  /** every neuron s × every α of SPLIT_ALPHAS */
  oneStep: SplitCheck[];
  /** the equal split of neuron 0 (α = ½) followed by an equal split of neuron 0 again (pilots/embed.py) */
  equal1: SplitCheck;
  equal2: SplitCheck;
  preservation: { output: number; loss: number };
}

export function embeddingChecks(backend: TwoLayer64Backend, p: Problem64, thetaC: number[]): EmbeddingChecks {
  const m = widthOf(thetaC, p.D);
  const oneStep = Array.from({ length: m }, (_, s) => SPLIT_ALPHAS.map((alpha) => checkSplit(backend, p, thetaC, s, alpha))).flat();
  const equal1 = checkSplit(backend, p, thetaC, 0, 0.5);
  const equal2 = checkSplit(backend, p, split(thetaC, p.D, 0, 0.5), 0, 0.5);
  return { before: checkPoint(backend, p, thetaC), oneStep, equal1, equal2, preservation: splitPreservation(backend, p, thetaC) };
}
