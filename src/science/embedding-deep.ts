// The embedding principle in depth (SCIENCE.md §7.1, §7.5 T5.1 "also for a 3-layer net"): splitting a
// neuron of either hidden layer of a three-layer network preserves the output and the loss exactly, keeps a
// critical point critical, and adds zero Hessian eigenvalues; the embedding direction V = T¹θ − T⁰θ (θ′ is
// affine in α) is flat, H·V = 0. All in f64 through ./threelayer64.ts.
import type { ThreeLayer64Backend } from './f64-backend.js';
import { inertia, symmetricEigen, type Inertia } from './symmetric-eigen.js';
import { norm2 } from './critical-point.js';
import { hessian3, hessianTimes3, lossGrad3, outputs3, split3, type Problem3 } from './threelayer64.js';
import { SPLIT_ALPHAS } from './embedding-checks.js';

interface DeepSplit {
  layer: 1 | 2;
  s: number;
  alpha: number;
  gradNorm: number;
  counts: Inertia;
  /** ‖H·V‖/‖V‖ along the embedding direction */
  flatness: number;
}

export interface DeepChecks {
  before: { gradNorm: number; counts: Inertia };
  splits: DeepSplit[];
}

/**
 * Zero eigenvalues: |λ| ≤ DEEP_ZERO_TOLERANCE·max(1, max|λ(H(θc))|), one τ for θc and all its splits. A split's
 * new null directions sit at rounding level (1e-17–1e-15), while three-layer minima can have genuine
 * eigenvalues near 1e-9·max|λ| (seed 27: 9.7e-9 of 10.3), which SCIENCE.md's two-layer 1e-9, taken per
 * matrix, calls zero at some splits and not at others.
 */
const DEEP_ZERO_TOLERANCE = 1e-12;

const eigenvalues = (backend: ThreeLayer64Backend, p: Problem3, theta: number[]) => symmetricEigen(hessian3(backend, p, theta)).values;

/** Every one-step split (both hidden layers, every neuron, every α of SPLIT_ALPHAS). */
function eachSplit(p: Problem3, theta: number[], alphas = SPLIT_ALPHAS): { layer: 1 | 2; s: number; alpha: number }[] {
  return ([1, 2] as const).flatMap((layer) => Array.from({ length: layer === 1 ? p.m1 : p.m2 }, (_, s) => alphas.map((alpha) => ({ layer, s, alpha }))).flat());
}

/** Largest |Δf| over the training inputs and |ΔR| over every one-step split of θ (any θ, critical or not). */
export function deepSplitPreservation(backend: ThreeLayer64Backend, p: Problem3, theta: number[]): { output: number; loss: number } {
  const f = outputs3(backend, p, theta),
    R = lossGrad3(backend, p, theta).loss;
  let output = 0,
    loss = 0;
  for (const { layer, s, alpha } of eachSplit(p, theta)) {
    const wide = split3(p, theta, layer, s, alpha);
    outputs3(backend, wide.p, wide.theta).forEach((v, i) => (output = Math.max(output, Math.abs(v - f[i]))));
    loss = Math.max(loss, Math.abs(lossGrad3(backend, wide.p, wide.theta).loss - R));
  }
  return { output, loss };
}

/** At a critical point θc: its inertia, and after each one-step split ‖∇R‖, the inertia and the flatness of V. */
export function deepEmbeddingChecks(backend: ThreeLayer64Backend, p: Problem3, thetaC: number[]): DeepChecks {
  const reference = eigenvalues(backend, p, thetaC);
  const splits = eachSplit(p, thetaC).map(({ layer, s, alpha }): DeepSplit => {
    const wide = split3(p, thetaC, layer, s, alpha);
    const [t0, t1] = [0, 1].map((a) => split3(p, thetaC, layer, s, a).theta);
    const V = t1.map((v, i) => v - t0[i]);
    const [HV] = hessianTimes3(backend, wide.p, wide.theta, [V]);
    return {
      layer,
      s,
      alpha,
      gradNorm: norm2(lossGrad3(backend, wide.p, wide.theta).grad),
      counts: inertia(eigenvalues(backend, wide.p, wide.theta), DEEP_ZERO_TOLERANCE, reference),
      flatness: norm2(HV) / norm2(V),
    };
  });
  return { before: { gradNorm: norm2(lossGrad3(backend, p, thetaC).grad), counts: inertia(reference, DEEP_ZERO_TOLERANCE) }, splits };
}
