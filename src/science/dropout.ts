// Dropout's implicit regularisation (Zhang & Xu, TPAMI 2024; SCIENCE.md §8), in f64 on the host.
//   dropoutLossTerms:    R_S = (1/2n)·Σᵢ(f(xᵢ) − yᵢ)² and Lemma 1's R1 = ((1−p)/(2np))·Σᵢ Σₖ (aₖσ(wₖ·x̃ᵢ)/α)²,
//                        so that E_η R_S^drop = R_S + R1 for inverted dropout with keep probability p
//   standardScore:       |mean − expected| in standard errors of the mean of Monte-Carlo samples (with a
//                        floor for the samples' own rounding)
//   totalVariation1d:    Σ |f(xⱼ₊₁) − f(xⱼ)| of a 1-d network on an even grid (the oscillation of §8.3 a)
//   effectiveRatio:      m_eff/m, the greedy cover of the input weights by directions at cos > 0.95 (§2, Def. 2–3)
import { countLines } from './lines.js';

/** A two-layer network in f64: inputs x (n × D row-major, last column 1), weights and 1/α. */
export interface Network64 {
  x: ArrayLike<number>;
  D: number;
  a: ArrayLike<number>;
  /** m × D row-major */
  w: ArrayLike<number>;
  sigma: (z: number) => number;
  alpha: number;
}

/** f(xᵢ) and the per-neuron contributions oᵢₖ = aₖσ(wₖ·x̃ᵢ)/α; calls visit(i, k, oᵢₖ) and returns f. */
function forward(net: Network64, visit?: (i: number, k: number, o: number) => void): Float64Array {
  const { x, D, a, w, sigma, alpha } = net;
  const n = x.length / D,
    m = a.length;
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < m; k++) {
      let z = 0;
      for (let j = 0; j < D; j++) z += w[k * D + j] * x[i * D + j];
      const o = (a[k] * sigma(z)) / alpha;
      f[i] += o;
      visit?.(i, k, o);
    }
  }
  return f;
}

/** R_S = (1/2n)·Σᵢ(f(xᵢ) − yᵢ)² on the rows of net.x. */
export function squareLoss(net: Network64, y: ArrayLike<number>): number {
  const f = forward(net);
  let s = 0;
  for (let i = 0; i < f.length; i++) s += (f[i] - y[i]) ** 2;
  return s / (2 * f.length);
}

/** R_S and Lemma 1's dropout penalty R1 for keep probability p (SCIENCE.md §8.1). */
export function dropoutLossTerms(net: Network64, y: ArrayLike<number>, keep: number): { RS: number; R1: number } {
  let sq = 0;
  const f = forward(net, (_i, _k, o) => (sq += o * o));
  const n = f.length;
  let rs = 0;
  for (let i = 0; i < n; i++) rs += (f[i] - y[i]) ** 2;
  return { RS: rs / (2 * n), R1: ((1 - keep) / (2 * n * keep)) * sq };
}

/**
 * |mean(samples) − expected| / √(se² + (rtol·expected)²), se = sd/√K the standard error of the mean: how
 * many standard errors apart, with the samples' own rounding (relative rtol, e.g. f32 losses) counted as
 * an error too, so that K identical samples do not make any rounding gap infinitely significant.
 */
export function standardScore(samples: ArrayLike<number>, expected: number, rtol: number): number {
  const K = samples.length;
  if (K < 2) throw new Error(`standardScore needs at least 2 samples, got ${K}`);
  let mean = 0;
  for (let i = 0; i < K; i++) mean += samples[i];
  mean /= K;
  let ss = 0;
  for (let i = 0; i < K; i++) ss += (samples[i] - mean) ** 2;
  return Math.abs(mean - expected) / Math.hypot(Math.sqrt(ss / (K - 1) / K), rtol * expected);
}

/** Σ |f(xⱼ₊₁) − f(xⱼ)| of a 1-d network (D = 2) over `points` even grid points of [lo, hi]. */
export function totalVariation1d(net: Omit<Network64, 'x' | 'D'>, lo: number, hi: number, points = 400): number {
  const x = new Float64Array(2 * points);
  for (let j = 0; j < points; j++) {
    x[2 * j] = lo + ((hi - lo) * j) / (points - 1);
    x[2 * j + 1] = 1;
  }
  const f = forward({ ...net, x, D: 2 });
  let tv = 0;
  for (let j = 1; j < points; j++) tv += Math.abs(f[j] - f[j - 1]);
  return tv;
}

/** m_eff/m: the fewest directions u such that every wₖ has D(u, wₖ) > 0.95, greedily (SCIENCE.md §2). */
export const effectiveRatio = (w: ArrayLike<number>, D: number): number => countLines(w, D, { threshold: 0.95, signed: true }) / (w.length / D);
